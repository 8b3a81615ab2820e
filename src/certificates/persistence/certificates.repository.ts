import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, sql } from '../../core/db/database.service';
import { CompanyContext } from '../../core/tenancy/company-context';
import type { InsertEvent } from '../../events';
import { Certificate, CertificateStatus } from '../certificate.entity';

export interface CertificateFilter {
  shareholderId?: string;
  issuanceId?: string;
  status?: CertificateStatus;
  limit: number;
  offset: number;
}

/** The statements of the certificate table. */
@Injectable()
export class CertificatesRepository {
  constructor(private readonly db: Database) {}

  /**
   * Version 1 of an issuance's certificate and its certificate.generated event, in one statement.
   * A certificate already stored for the issuance (a concurrent first render that won: the unique
   * indexes on issuance and version) makes it write nothing and return no row.
   */
  async insertFirst(certificate: Certificate, insertEvent: InsertEvent): Promise<Date | null> {
    const c = certificate;
    const [row] = await this.db.rows<{ created_at: Date }>(
      sql`
      WITH inserted AS (
        INSERT INTO certificate (id, issuance_id, shareholder_id, share_class_id, certificate_number,
                                 version, supersedes_id, reason, status, share_class_name,
                                 number_of_shares, issue_date, verification_code, specimen, content,
                                 size_bytes, sha256, created_by_sub, created_by, request_id)
        VALUES (${c.id}, ${c.issuanceId}, ${c.shareholderId}, ${c.shareClassId}, ${c.certificateNumber},
                1, NULL, NULL, ${CertificateStatus.Active}, ${c.shareClassName}, ${c.numberOfShares},
                ${c.issueDate}, ${c.verificationCode}, ${c.specimen}, ${c.content}, ${c.sizeBytes},
                ${c.sha256}, ${c.createdBySub}, ${c.createdBy}, ${c.requestId})
        ON CONFLICT DO NOTHING
        RETURNING created_at
      ), published AS (${insertEvent(sql`FROM inserted`)})
      SELECT created_at FROM inserted`,
      { name: 'certificate_generate' },
    );
    return row?.created_at ?? null;
  }

  /** The latest version of an issuance's certificate (active, or void), if any. */
  current(issuanceId: string): Promise<Certificate | null> {
    return this.db.read((m) =>
      m.findOne(Certificate, { where: { issuanceId }, order: { version: 'DESC' } }),
    );
  }

  /** In the transaction `tx` when given (locked on request), else on the pool. */
  find(tx: EntityManager | undefined, id: string, lock = false): Promise<Certificate | null> {
    const read = (m: EntityManager) =>
      m.findOne(Certificate, {
        where: { id },
        ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
      });
    return tx ? read(tx) : this.db.read(read);
  }

  /**
   * The certificate with this printed code, in whichever company issued it: the public check has
   * no company, so the schema's SECURITY DEFINER function names the issuer (and nothing else),
   * and the certificate is then read for that company.
   */
  async findByCode(code: string): Promise<Certificate | null> {
    const [row] = await this.db.rows<{ company_id: string | null }>(
      sql`SELECT app_certificate_company_by_code(${code}) AS company_id`,
      { unscoped: true },
    );
    if (!row?.company_id) return null;
    return CompanyContext.run(row.company_id, () =>
      this.db.read((m) => m.findOne(Certificate, { where: { verificationCode: code } })),
    );
  }

  versions(issuanceId: string): Promise<Certificate[]> {
    return this.db.read((m) =>
      m.find(Certificate, { where: { issuanceId }, order: { version: 'ASC' } }),
    );
  }

  async update(tx: EntityManager, id: string, values: Partial<Certificate>): Promise<void> {
    await tx.update(Certificate, { id }, values);
  }

  async insert(tx: EntityManager, certificate: Certificate): Promise<void> {
    await tx.insert(Certificate, certificate);
  }

  /** One certificate with its PDF bytes (not loaded by the other reads). */
  withContent(id: string): Promise<Certificate | null> {
    return this.db.read((m) =>
      m
        .createQueryBuilder(Certificate, 'c')
        .addSelect('c.content')
        .where('c.id = :id', { id })
        .getOne(),
    );
  }

  async list(filter: CertificateFilter): Promise<{ items: Certificate[]; total: number }> {
    return this.db.read((m) => this.listIn(m, filter));
  }

  private async listIn(
    m: EntityManager,
    filter: CertificateFilter,
  ): Promise<{ items: Certificate[]; total: number }> {
    const builder = m.createQueryBuilder(Certificate, 'c');
    if (filter.shareholderId)
      builder.andWhere('c.shareholder_id = :shareholderId', {
        shareholderId: filter.shareholderId,
      });
    if (filter.issuanceId)
      builder.andWhere('c.issuance_id = :issuanceId', { issuanceId: filter.issuanceId });
    if (filter.status) builder.andWhere('c.status = :status', { status: filter.status });
    const [items, total] = await builder
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'ASC')
      .take(filter.limit)
      .skip(filter.offset)
      .getManyAndCount();
    return { items, total };
  }

  create(values: Partial<Certificate>): Certificate {
    return this.db.create(Certificate, values);
  }

  /** For transactions the issuer opens. */
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
}
