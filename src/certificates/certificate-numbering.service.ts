import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../core/db/pg-errors';
import type { IssuanceFacts } from '../issuances';
import { formatCertificateNumber, SEQUENCE_DIGITS } from './certificate-numbering';
import { CertificateQueueRepository } from './persistence/certificate-queue.repository';

/** Gives each issuance its certificate number: the class prefix and the class's next sequence. */
@Injectable()
export class CertificateNumberingService {
  constructor(private readonly repository: CertificateQueueRepository) {}

  /**
   * The issuance's certificate number, assigned on the first call and returned unchanged ever
   * after; one statement (CertificateQueueRepository.assignNumber). The unique indexes on
   * (class, sequence) and on the number are the backstop.
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
    const number = await this.repository.assignNumber(
      facts.issuanceId,
      facts.shareClassId,
      facts.certificatePrefix,
      SEQUENCE_DIGITS,
    );
    if (!number) throw new Error(`no certificate number assigned to issuance ${facts.issuanceId}`);
    return number;
  }
}
