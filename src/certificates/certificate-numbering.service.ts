import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../core/db/pg-errors';
import type { IssuanceFacts } from '../issuances';
import {
  customCertificateNumber,
  formatCertificateNumber,
  SEQUENCE_DIGITS,
} from './certificate-numbering';
import { CertificateQueueRepository } from './persistence/certificate-queue.repository';

/**
 * Gives each issuance its certificate number: the class prefix and the class's next sequence, or
 * for an imported security the number it came with (its OCF custom_id) when that is one security's
 * only and can be a number here (customCertificateNumber); else the class's, the original kept on
 * the issuance (and exported again).
 */
/** A concurrent numbering took the number, the class's sequence, or numbered this issuance. */
const TAKEN = [
  'uq_certificate_assignment_number',
  'uq_certificate_assignment_class_sequence',
  'pk_certificate_assignment',
];

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
    const custom = facts.customNumber
      ? customCertificateNumber(facts.customNumber, facts.certificatePrefix)
      : null;
    if (custom) {
      const number = await this.assignCustom(facts, custom.number, custom.sequence);
      if (number) return number;
    }
    try {
      return await this.assignOnce(facts);
    } catch (error) {
      if (!isUniqueViolation(error, 'pk_certificate_assignment')) throw error;
      // A concurrent numbering of this issuance won: the statement now finds its number.
      return this.assignOnce(facts);
    }
  }

  /** The imported number, or undefined when it is taken (the class's numbering then gives one). */
  private async assignCustom(
    facts: IssuanceFacts,
    number: string,
    sequence: number | null,
  ): Promise<string | undefined> {
    try {
      return await this.repository.assignCustomNumber(
        facts.issuanceId,
        facts.shareClassId,
        number,
        sequence,
      );
    } catch (error) {
      const taken = TAKEN.some((constraint) => isUniqueViolation(error, constraint));
      if (!taken) throw error;
      // Taken meanwhile, by this issuance (found by the class's statement) or another.
      return undefined;
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
