import { Inject, Injectable, Optional } from '@nestjs/common';
import { Database, empty, join, Scope, sql, Sql } from '../../core/db/database.service';
import { HOLDER_DIRECTORY_SQL } from '../../shareholders';
import { CERTIFICATE_NUMBERS, CertificateNumberRelation } from '../certificate-numbers.port';
import type { Issuance, SecurityStatus } from '../issuance.entity';

export interface IssueTarget {
  class_id: string | null;
  default_currency: string | null;
}

export interface IssuanceRow {
  id: string;
  shareholder_id: string;
  share_class_id: string;
  number_of_shares: string;
  price: string;
  total_amount: string;
  currency: string;
  date: string;
  certificate_number: string | null;
  created_at: Date;
  created_by_sub: string;
  created_by: string;
  request_id: string | null;
  status: SecurityStatus;
  origin_transaction_id: string | null;
  spent_by_transaction_id: string | null;
  spent_on: string | null;
  derived_security_ids: string[];
  holder_user_id: string | null;
  ocf_security_id: string | null;
}

export interface IssuanceFilter {
  shareholderId?: string;
  shareClassId?: string;
  /** One status; absent: every status. */
  status?: SecurityStatus;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export const NO_NUMBERS = sql`SELECT NULL::uuid AS issuance_id, NULL::varchar AS certificate_number WHERE false`;

export const ISSUANCE_COLUMNS = sql`
  i.id, i.shareholder_id, i.share_class_id, i.number_of_shares::text AS number_of_shares,
  i.price::text AS price, i.total_amount::text AS total_amount, i.currency,
  to_char(i.date, 'YYYY-MM-DD') AS date, n.certificate_number, i.created_at, i.ocf_security_id,
  i.created_by_sub, i.created_by, i.request_id, i.status, i.origin_transaction_id,
  i.spent_by_transaction_id, to_char(i.spent_on, 'YYYY-MM-DD') AS spent_on,
  CASE WHEN t.balance_security_id IS NULL THEN coalesce(t.resulting_security_ids, '{}')
       ELSE t.balance_security_id || t.resulting_security_ids END AS derived_security_ids`;

/** The transaction that spent an issuance `i` (none while outstanding), for ISSUANCE_COLUMNS. */
export const SPENDING = sql`LEFT JOIN stock_transaction t
  ON t.company_id = i.company_id AND t.id = i.spent_by_transaction_id`;

/** The issuance ledger's statements (tables issuance and share_class). */
@Injectable()
export class IssuancesRepository {
  private readonly numbers: Sql;

  constructor(
    private readonly db: Database,
    @Optional() @Inject(CERTIFICATE_NUMBERS) numbers?: CertificateNumberRelation,
  ) {
    this.numbers = numbers?.relation ?? NO_NUMBERS;
  }

  /** The class (the one asked for, else the oldest COMMON class) and the company's currency. */
  async issueTarget(tx: Scope, shareClassId: string | null): Promise<IssueTarget | undefined> {
    const [row] = await this.db.rows<IssueTarget>(
      sql`
      SELECT c.id AS class_id,
             (SELECT default_currency FROM company WHERE id = app_company_id()) AS default_currency
        FROM (SELECT coalesce(${shareClassId}::uuid, (SELECT id FROM share_class WHERE type = 'COMMON'
                                         ORDER BY created_at, id LIMIT 1)) AS id) wanted
        LEFT JOIN share_class c ON c.id = wanted.id`,
      { tx, name: 'issuance_target' },
    );
    return row;
  }

  /**
   * The issuance, its event and the class total in one statement. The class total is raised only
   * while it stays within the authorized shares; the row lock that takes lasts to the end of the
   * statement (or of the idempotency transaction), and concurrent issuances re-check the condition
   * against the committed total. No row comes back when the authorized shares would be exceeded,
   * or the class is not the company's, or (with `defaultCurrency`, the currency the issuance took
   * from the company) the company's default currency is no longer that one; nothing is written
   * then. ck_share_class_issued_within_authorized stays as the backstop; the foreign key
   * fk_issuance_shareholder refuses an unknown holder.
   */
  async issue(
    tx: Scope,
    issuance: Issuance,
    insertEvent: (source: Sql) => Sql,
    defaultCurrency?: string,
  ): Promise<Date | null> {
    const currencyHolds =
      defaultCurrency === undefined
        ? empty
        : sql`AND EXISTS (SELECT 1 FROM company WHERE id = app_company_id() AND default_currency = ${defaultCurrency})`;
    const [row] = await this.db.rows<{ created_at: Date }>(
      sql`
      WITH raised AS (
        UPDATE share_class SET issued_shares = issued_shares + ${issuance.numberOfShares}::bigint
         WHERE id = ${issuance.shareClassId} AND issued_shares + ${issuance.numberOfShares}::bigint <= authorized_shares
               ${currencyHolds}
        RETURNING id
      ), inserted AS (
        INSERT INTO issuance (id, shareholder_id, share_class_id, number_of_shares, price, total_amount,
                              currency, date, created_by_sub, created_by, request_id)
        SELECT ${issuance.id}, ${issuance.shareholderId}, raised.id, ${issuance.numberOfShares}::bigint,
               ${issuance.price}::numeric, ${issuance.totalAmount}::numeric, ${issuance.currency},
               ${issuance.date}::date, ${issuance.createdBySub}, ${issuance.createdBy}, ${issuance.requestId}
          FROM raised
        RETURNING created_at
      ), published AS (${insertEvent(sql`FROM inserted`)} RETURNING id)
      SELECT inserted.created_at FROM inserted, published`,
      {
        tx,
        name:
          defaultCurrency === undefined ? 'issuance_insert' : 'issuance_insert_default_currency',
      },
    );
    return row?.created_at ?? null;
  }

  /** One issuance with its certificate number and the user its holder is linked to. */
  async find(id: string): Promise<IssuanceRow | undefined> {
    const [row] = await this.db.rows<IssuanceRow>(
      sql`
      SELECT ${ISSUANCE_COLUMNS}, h.user_id AS holder_user_id
        FROM issuance i
        JOIN (${HOLDER_DIRECTORY_SQL}) h ON h.id = i.shareholder_id
        LEFT JOIN (${this.numbers}) n ON n.issuance_id = i.id
        ${SPENDING}
       WHERE i.id = ${id}`,
      { name: 'issuance_find' },
    );
    return row;
  }

  /** A page of issuances, newest first, with the total count of the filter. */
  async list(filter: IssuanceFilter): Promise<{ rows: IssuanceRow[]; total: number }> {
    const where: Sql[] = [sql`true`];
    if (filter.shareholderId) where.push(sql`i.shareholder_id = ${filter.shareholderId}`);
    if (filter.shareClassId) where.push(sql`i.share_class_id = ${filter.shareClassId}`);
    if (filter.status) where.push(sql`i.status = ${filter.status}`);
    if (filter.from) where.push(sql`i.date >= ${filter.from}::date`);
    if (filter.to) where.push(sql`i.date <= ${filter.to}::date`);
    const condition = join(where, ' AND ');
    const [rows, [count]] = await Promise.all([
      this.db.rows<IssuanceRow>(sql`
        SELECT ${ISSUANCE_COLUMNS}, NULL AS holder_user_id
          FROM issuance i LEFT JOIN (${this.numbers}) n ON n.issuance_id = i.id
          ${SPENDING}
         WHERE ${condition}
         ORDER BY i.date DESC, i.created_at DESC, i.id ASC
         LIMIT ${filter.limit} OFFSET ${filter.offset}`),
      this.db.rows<{ n: string }>(
        sql`SELECT count(*)::text AS n FROM issuance i WHERE ${condition}`,
      ),
    ]);
    return { rows, total: Number(count?.n ?? 0) };
  }
}
