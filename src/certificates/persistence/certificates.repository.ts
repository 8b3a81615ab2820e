import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, sql } from '../../core/db/database.service';
import { CompanyContext } from '../../core/tenancy/company-context';
import type { InsertEvent } from '../../events';
import { Certificate, CertificateStatus } from '../certificate.entity';
import type { CertificateSnapshotSource } from '../certificate-views';

export interface CertificateFilter {
  shareholderId?: string;
  issuanceId?: string;
  status?: CertificateStatus;
  limit: number;
  offset: number;
}

/** A certificate that a spent security cancelled, as its event shows it. */
export type CancelledCertificate = CertificateSnapshotSource & Pick<Certificate, 'cancelledAt'>;

interface CancelledRow {
  id: string;
  issuance_id: string;
  certificate_number: string;
  version: number;
  sha256: string;
  reason: string | null;
  void_reason: string | null;
  cancelled_at: Date;
}

/** Advisory lock key that, with the issuance's, serialises its first render and its cancellation. */
const CERTIFICATE_ISSUANCE_LOCK = 7_241_102;

/** The statements of the certificate table. */
@Injectable()
export class CertificatesRepository {
  constructor(private readonly db: Database) {}

  /**
   * A new version of an issuance's certificate (version 1, or the one after a cancelled version
   * when the security was reinstated) and its certificate.generated event, inside `tx`, under the
   * issuance's certificate lock (see lockIssuance). That version already stored (a concurrent
   * render that won: the unique indexes on issuance and version), or a cancellation of the
   * security, makes it write nothing and return no row.
   */
  async insertFirst(
    tx: EntityManager,
    certificate: Certificate,
    insertEvent: InsertEvent,
  ): Promise<Date | null> {
    const c = certificate;
    await this.lockIssuance(tx, c.issuanceId);
    const [row] = await this.db.rows<{ created_at: Date }>(
      sql`
      WITH inserted AS (
        INSERT INTO certificate (id, issuance_id, shareholder_id, share_class_id, certificate_number,
                                 version, supersedes_id, reason, status, share_class_name,
                                 number_of_shares, issue_date, verification_code, specimen, content,
                                 size_bytes, sha256, created_by_sub, created_by, request_id)
        SELECT ${c.id}, ${c.issuanceId}, ${c.shareholderId}, ${c.shareClassId}, ${c.certificateNumber},
               ${c.version}, ${c.supersedesId}::uuid, ${c.reason}, ${CertificateStatus.Active},
               ${c.shareClassName}, ${c.numberOfShares},
               ${c.issueDate}::date, ${c.verificationCode}, ${c.specimen}, ${c.content}, ${c.sizeBytes},
               ${c.sha256}, ${c.createdBySub}, ${c.createdBy}, ${c.requestId}
         WHERE NOT EXISTS (SELECT 1 FROM certificate_cancellation WHERE issuance_id = ${c.issuanceId})
        ON CONFLICT DO NOTHING
        RETURNING created_at
      ), published AS (${insertEvent(sql`FROM inserted`)})
      SELECT created_at FROM inserted`,
      { tx },
    );
    return row?.created_at ?? null;
  }

  /**
   * Serialises, per issuance, the first render's insert with the cancellation of the security's
   * certificate until `tx` ends: whichever comes second sees what the first did.
   */
  private async lockIssuance(tx: EntityManager, issuanceId: string): Promise<void> {
    await this.db.run(
      sql`SELECT pg_advisory_xact_lock(${CERTIFICATE_ISSUANCE_LOCK}, hashtext(${issuanceId}))`,
      { tx, name: 'certificate_issuance_lock' },
    );
  }

  /**
   * Records that the security `issuanceId` was spent and cancels its active certificate, if any,
   * in `tx`: its pending render request is dropped, and a later first render stores nothing.
   * Answers the certificate as it was and as it is now (none when it had no active one).
   */
  async cancelForSecurity(
    tx: EntityManager,
    issuanceId: string,
    transactionId: string,
    kind: string,
    reason: string,
  ): Promise<{ before: CancelledCertificate; after: CancelledCertificate } | null> {
    // One round trip for the four: PostgreSQL runs them in order, the lock first.
    const [, , , cancelled] = await Promise.all([
      this.lockIssuance(tx, issuanceId),
      this.db.run(
        sql`INSERT INTO certificate_cancellation (issuance_id, transaction_id, kind)
            VALUES (${issuanceId}, ${transactionId}, ${kind}) ON CONFLICT DO NOTHING`,
        { tx, name: 'certificate_cancellation_record' },
      ),
      this.db.run(sql`DELETE FROM certificate_request WHERE issuance_id = ${issuanceId}`, {
        tx,
        name: 'certificate_request_drop',
      }),
      this.db.rows<CancelledRow>(
        sql`UPDATE certificate
               SET status = ${CertificateStatus.Cancelled}, cancelled_at = now(), cancellation_reason = ${reason}
             WHERE issuance_id = ${issuanceId} AND status = ${CertificateStatus.Active}
         RETURNING id, issuance_id, certificate_number, version, sha256, reason, void_reason, cancelled_at`,
        { tx, name: 'certificate_cancel_active' },
      ),
    ]);
    const row = cancelled[0];
    if (!row) return null;
    const before: CancelledCertificate = {
      id: row.id,
      issuanceId: row.issuance_id,
      certificateNumber: row.certificate_number,
      version: row.version,
      status: CertificateStatus.Active,
      sha256: row.sha256,
      reason: row.reason,
      voidReason: row.void_reason,
      cancellationReason: null,
      cancelledAt: null,
    };
    const after: CancelledCertificate = {
      ...before,
      status: CertificateStatus.Cancelled,
      cancellationReason: reason,
      cancelledAt: row.cancelled_at,
    };
    return { before, after };
  }

  /**
   * The security `issuanceId` is outstanding again (the transaction that spent it was reversed):
   * it may have a valid certificate again. Its certificates' history stays as it is.
   */
  async reinstate(tx: EntityManager, issuanceId: string): Promise<void> {
    await this.lockIssuance(tx, issuanceId);
    await this.db.run(sql`DELETE FROM certificate_cancellation WHERE issuance_id = ${issuanceId}`, {
      tx,
    });
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
