import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { plainQuery } from '../core/db/plain-query';
import { IssuanceNotFoundError } from './issuances.errors';
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
  certificateNumber: string | null;
}

interface FactsRow {
  issuance_id: string;
  shareholder_id: string;
  holder_name: string;
  holder_email: string;
  company_legal_name: string | null;
  share_class_id: string;
  share_class_name: string;
  share_class_type: string;
  certificate_prefix: string;
  par_value: string;
  legend_text: string | null;
  number_of_shares: string;
  price: string;
  total_amount: string;
  currency: string;
  issue_date: string;
  certificate_number: string | null;
}

/** The issuance with its class, holder and company, in one round trip (no company yet: ''). */
const FACTS_SQL = `
  SELECT i.id AS issuance_id, i.shareholder_id, h.name AS holder_name, h.email AS holder_email,
         (SELECT legal_name FROM company WHERE singleton) AS company_legal_name,
         c.id AS share_class_id, c.name AS share_class_name, c.type AS share_class_type,
         c.certificate_prefix, c.par_value::text AS par_value, c.legend_text,
         i.number_of_shares::text AS number_of_shares, i.price::text AS price,
         i.total_amount::text AS total_amount, i.currency,
         to_char(i.date, 'YYYY-MM-DD') AS issue_date, i.certificate_number
    FROM issuance i
    JOIN share_class c ON c.id = i.share_class_id
    JOIN shareholder h ON h.id = i.shareholder_id
   WHERE i.id = $1`;

/** The issuance ledger as other modules (certificates, notifications) may read and annotate it. */
@Injectable()
export class IssuanceFactsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Read on every certificate render and notification: one plain statement. */
  async factsFor(issuanceId: string): Promise<IssuanceFacts> {
    const [row] = await plainQuery<FactsRow>(this.dataSource, FACTS_SQL, [issuanceId]);
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
      certificateNumber: row.certificate_number,
    };
  }
}
