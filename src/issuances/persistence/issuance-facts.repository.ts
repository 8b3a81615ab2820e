import { Injectable } from '@nestjs/common';
import { Database, sql } from '../../core/db/database.service';
import { HOLDER_DIRECTORY_SQL } from '../../shareholders';

export interface FactsRow {
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
  status: string;
  spent_by_transaction_id: string | null;
  custom_number: string | null;
}

/** The issuance with its class, holder and company, in one round trip (for certificates). */
@Injectable()
export class IssuanceFactsRepository {
  constructor(private readonly db: Database) {}

  async find(issuanceId: string): Promise<FactsRow | undefined> {
    const [row] = await this.db.rows<FactsRow>(
      sql`
      SELECT i.id AS issuance_id, i.shareholder_id, h.name AS holder_name, h.email AS holder_email,
             (SELECT legal_name FROM company WHERE id = app_company_id()) AS company_legal_name,
             c.id AS share_class_id, c.name AS share_class_name, c.type AS share_class_type,
             c.certificate_prefix, c.par_value::text AS par_value, c.legend_text,
             i.number_of_shares::text AS number_of_shares, i.price::text AS price,
             i.total_amount::text AS total_amount, i.currency,
             to_char(i.date, 'YYYY-MM-DD') AS issue_date, i.status, i.spent_by_transaction_id,
             CASE WHEN NOT EXISTS (SELECT 1 FROM issuance o
                                    WHERE o.company_id = i.company_id
                                      AND o.ocf_custom_id = i.ocf_custom_id AND o.id <> i.id
                                      AND o.status = 'OUTSTANDING')
                  THEN i.ocf_custom_id END AS custom_number
        FROM issuance i
        JOIN share_class c ON c.id = i.share_class_id
        JOIN (${HOLDER_DIRECTORY_SQL}) h ON h.id = i.shareholder_id
       WHERE i.id = ${issuanceId}`,
      { name: 'issuance_facts' },
    );
    return row;
  }
}
