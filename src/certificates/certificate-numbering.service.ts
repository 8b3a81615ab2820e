import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { IssuanceFacts } from '../issuances/issuance-facts.service';
import { CertificateAssignment } from './certificate-assignment.entity';
import { formatCertificateNumber } from './certificate-numbering';

/**
 * Serialises work on one issuance's certificate across transactions and instances without
 * touching the issuances module's rows: a transaction-scoped advisory lock keyed by the issuance.
 */
export async function lockIssuanceCertificate(
  tx: EntityManager,
  issuanceId: string,
): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
    `certificate:${issuanceId}`,
  ]);
}

/** Gives each issuance its certificate number: the class prefix and the class's next sequence. */
@Injectable()
export class CertificateNumberingService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The issuance's certificate number, assigned on the first call and returned unchanged ever
   * after. Its own short transaction: the per-class counter row is incremented by an upsert, whose
   * row lock (the equivalent of SELECT … FOR UPDATE) queues concurrent numberings of the class
   * until commit, and a rollback returns the number, so the sequence is gap-free; the unique
   * indexes on (class, sequence) and on the number are the backstop.
   */
  async assign(facts: IssuanceFacts): Promise<string> {
    const known = await this.find(this.dataSource.manager, facts.issuanceId);
    if (known) return known;
    return this.dataSource.transaction(async (tx) => {
      await lockIssuanceCertificate(tx, facts.issuanceId);
      const assigned = await this.find(tx, facts.issuanceId);
      if (assigned) return assigned;
      const [counter] = await tx.query<Array<{ sequence: string }>>(
        `INSERT INTO certificate_counter AS c (share_class_id, last_sequence) VALUES ($1, 1)
         ON CONFLICT (share_class_id) DO UPDATE SET last_sequence = c.last_sequence + 1
         RETURNING c.last_sequence::text AS sequence`,
        [facts.shareClassId],
      );
      const sequence = Number(counter?.sequence);
      const certificateNumber = formatCertificateNumber(facts.certificatePrefix, sequence);
      await tx.insert(CertificateAssignment, {
        issuanceId: facts.issuanceId,
        shareClassId: facts.shareClassId,
        sequence: String(sequence),
        certificateNumber,
      });
      return certificateNumber;
    });
  }

  private async find(manager: EntityManager, issuanceId: string): Promise<string | null> {
    const row = await manager.findOne(CertificateAssignment, { where: { issuanceId } });
    return row?.certificateNumber ?? null;
  }
}
