import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { IssuanceFacts } from '../issuances/issuance-facts.service';
import { isUniqueViolation } from '../core/db/pg-errors';
import { plainQuery } from '../core/db/plain-query';
import { formatCertificateNumber, SEQUENCE_DIGITS } from './certificate-numbering';

/**
 * The issuance's number, or a new one: the class counter is raised by an upsert and the assignment
 * inserted in the same statement, so a failure returns the number (gap-free). The number is
 * formatted as formatCertificateNumber does: prefix, dash, the sequence padded to SEQUENCE_DIGITS.
 * The upsert's row lock queues concurrent numberings of the class until commit; a concurrent
 * numbering of the same issuance fails on the assignment's primary key and reads the winner's.
 */
const ASSIGN_SQL = `
  WITH known AS (
    SELECT certificate_number FROM certificate_assignment WHERE issuance_id = $1::uuid
  ), counted AS (
    INSERT INTO certificate_counter AS c (share_class_id, last_sequence)
    SELECT $2::uuid, 1 WHERE NOT EXISTS (SELECT 1 FROM known)
    ON CONFLICT (share_class_id) DO UPDATE SET last_sequence = c.last_sequence + 1
    RETURNING c.last_sequence
  ), assigned AS (
    INSERT INTO certificate_assignment (issuance_id, share_class_id, sequence, certificate_number)
    SELECT $1::uuid, $2::uuid, last_sequence,
           $3::text || '-' || lpad(last_sequence::text, greatest($4::int, length(last_sequence::text)), '0')
      FROM counted
    RETURNING certificate_number
  )
  SELECT certificate_number FROM known
  UNION ALL
  SELECT certificate_number FROM assigned`;

/** Gives each issuance its certificate number: the class prefix and the class's next sequence. */
@Injectable()
export class CertificateNumberingService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The issuance's certificate number, assigned on the first call and returned unchanged ever
   * after; one statement (see ASSIGN_SQL). The unique indexes on (class, sequence) and on the
   * number are the backstop.
   */
  async assign(facts: IssuanceFacts): Promise<string> {
    // Refuses a prefix the number format does not allow before anything is written.
    formatCertificateNumber(facts.certificatePrefix, 1);
    try {
      return await this.assignOnce(facts);
    } catch (error) {
      if (!isUniqueViolation(error, 'pk_certificate_assignment')) throw error;
      // A concurrent numbering of this issuance won: the statement now finds its number.
      return this.assignOnce(facts);
    }
  }

  private async assignOnce(facts: IssuanceFacts): Promise<string> {
    const [row] = await plainQuery<{ certificate_number: string }>(this.dataSource, ASSIGN_SQL, [
      facts.issuanceId,
      facts.shareClassId,
      facts.certificatePrefix,
      SEQUENCE_DIGITS,
    ]);
    if (!row) throw new Error(`no certificate number assigned to issuance ${facts.issuanceId}`);
    return row.certificate_number;
  }
}
