import { Injectable } from '@nestjs/common';
import { IssuanceNotFoundError } from './issuances.errors';
import { IssuanceFactsRepository } from './persistence/issuance-facts.repository';
import { normalizeNumeric, shareCount } from '../core/money/money';

/** Everything a share certificate states about its issuance. */
export interface IssuanceFacts {
  issuanceId: string;
  shareholderId: string;
  holderName: string;
  holderEmail: string;
  companyLegalName: string;
  shareClassId: string;
  shareClassName: string;
  shareClassType: string;
  certificatePrefix: string;
  parValue: string;
  legendText: string | null;
  numberOfShares: number;
  price: string;
  totalAmount: string;
  currency: string;
  issueDate: string;
  /** OUTSTANDING, or how the security was spent (it may then have no valid certificate). */
  status: string;
  spentByTransactionId: string | null;
  /**
   * The certificate number the security came in with (its OCF custom_id) when no other
   * outstanding security of the company carries the same one (a package may give a balance the
   * number of the security it came from); else null (the class numbers it).
   */
  customNumber: string | null;
}

/** The issuance ledger as other modules (certificates, notifications) may read it. */
@Injectable()
export class IssuanceFactsService {
  constructor(private readonly repository: IssuanceFactsRepository) {}

  /** Read on every certificate render and notification: one plain statement. */
  async factsFor(issuanceId: string): Promise<IssuanceFacts> {
    const row = await this.repository.find(issuanceId);
    if (!row) throw new IssuanceNotFoundError(issuanceId);
    return {
      issuanceId: row.issuance_id,
      shareholderId: row.shareholder_id,
      holderName: row.holder_name,
      holderEmail: row.holder_email,
      companyLegalName: row.company_legal_name ?? '',
      shareClassId: row.share_class_id,
      shareClassName: row.share_class_name,
      shareClassType: row.share_class_type,
      certificatePrefix: row.certificate_prefix,
      parValue: normalizeNumeric(row.par_value),
      legendText: row.legend_text,
      numberOfShares: shareCount(row.number_of_shares),
      price: normalizeNumeric(row.price),
      totalAmount: normalizeNumeric(row.total_amount),
      currency: row.currency,
      issueDate: row.issue_date,
      status: row.status,
      spentByTransactionId: row.spent_by_transaction_id,
      customNumber: row.custom_number,
    };
  }
}
