import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, join, sql, Sql } from '../../core/db/database.service';
import { HOLDER_DIRECTORY_SQL } from '../../shareholders';
import { CERTIFICATE_NUMBERS, CertificateNumberRelation } from '../certificate-numbers.port';
import { ISSUANCE_COLUMNS, IssuanceRow, NO_NUMBERS, SPENDING } from './issuances.repository';

export type {
  LedgerCursor,
  LedgerFilter,
  LedgerRow,
  NewSecurity,
  PositionRow,
  SecurityRow,
  TransactionPlan,
} from './ledger-rows';
import type {
  LedgerCursor,
  LedgerFilter,
  LedgerRow,
  PositionRow,
  SecurityRow,
  TransactionPlan,
} from './ledger-rows';

/**
 * Original issuances and the terminal transactions, as one ledger: an original issuance (a
 * security no transaction created) is its own ISSUANCE line; a transaction's balance and resulting
 * securities belong to its line.
 */
const LEDGER_SQL = sql`
  SELECT i.id, 'ISSUANCE' AS kind, i.date, i.created_at AS recorded_at, i.id AS security_id,
         i.shareholder_id, i.share_class_id, i.number_of_shares AS quantity, i.price AS price_per_share,
         i.total_amount, i.currency::text AS currency, NULL::text AS consideration_text,
         NULL::text AS reason, NULL::uuid AS balance_security_id,
         '{}'::uuid[] AS resulting_security_ids, NULL::bigint AS conversion_numerator,
         NULL::bigint AS conversion_denominator, NULL::bigint AS fraction_numerator,
         NULL::bigint AS fraction_denominator, NULL::numeric AS fraction_price_per_share,
         NULL::numeric AS fraction_cash_amount, NULL::uuid AS reversed_transaction_id,
         CASE WHEN i.status = 'REVERSED' THEN i.spent_by_transaction_id END AS reversed_by_transaction_id,
         i.created_by, i.company_id, i.ocf_id
    FROM issuance i WHERE i.origin_transaction_id IS NULL
  UNION ALL
  SELECT t.id, t.kind, t.date, t.recorded_at, t.security_id, s.shareholder_id, s.share_class_id,
         t.quantity, t.price_per_share, t.total_amount, t.currency::text, t.consideration_text, t.reason,
         t.balance_security_id, t.resulting_security_ids, t.conversion_numerator,
         t.conversion_denominator, t.fraction_numerator, t.fraction_denominator,
         t.fraction_price_per_share, t.fraction_cash_amount, t.reversed_transaction_id,
         t.reversed_by_transaction_id, t.created_by, t.company_id, t.ocf_id
    FROM stock_transaction t JOIN issuance s ON s.company_id = t.company_id AND s.id = t.security_id`;

const LEDGER_COLUMNS = sql`
  l.id, l.kind, to_char(l.date, 'YYYY-MM-DD') AS date, l.recorded_at,
  to_char(l.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_key,
  l.security_id, l.shareholder_id,
  l.share_class_id, l.quantity::text AS quantity, l.price_per_share::text AS price_per_share,
  l.total_amount::text AS total_amount, l.currency, l.consideration_text, l.reason,
  l.balance_security_id, l.resulting_security_ids, l.conversion_numerator::text AS conversion_numerator,
  l.conversion_denominator::text AS conversion_denominator, l.fraction_numerator::text AS fraction_numerator,
  l.fraction_denominator::text AS fraction_denominator,
  l.fraction_price_per_share::text AS fraction_price_per_share,
  l.fraction_cash_amount::text AS fraction_cash_amount, l.reversed_transaction_id,
  l.reversed_by_transaction_id, l.created_by, l.ocf_id`;

/** The stock ledger's statements (tables stock_transaction and issuance). */
@Injectable()
export class LedgerRepository {
  private readonly numbers: Sql;

  constructor(
    private readonly db: Database,
    @Optional() @Inject(CERTIFICATE_NUMBERS) numbers?: CertificateNumberRelation,
  ) {
    this.numbers = numbers?.relation ?? NO_NUMBERS;
  }

  /** The security, row-locked until the end of `tx`: concurrent transactions on it queue here. */
  async lockSecurity(tx: EntityManager, id: string): Promise<SecurityRow | undefined> {
    const [row] = await this.db.rows<SecurityRow>(
      sql`
      SELECT id, shareholder_id, share_class_id, number_of_shares::text AS number_of_shares,
             price::text AS price, currency, to_char(date, 'YYYY-MM-DD') AS date, status,
             spent_by_transaction_id
        FROM issuance WHERE id = ${id} FOR UPDATE`,
      { tx, name: 'ledger_lock_security' },
    );
    return row;
  }

  /** Which of `ids` are holders of the company. */
  async existingHolders(tx: EntityManager, ids: readonly string[]): Promise<Set<string>> {
    const rows = await this.db.rows<{ id: string }>(
      sql`SELECT h.id FROM (${HOLDER_DIRECTORY_SQL}) h WHERE h.id = ANY(${ids}::uuid[])`,
      { tx, name: 'ledger_existing_holders' },
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Outstanding shares per holder and class, for `holderIds` and `shareClassIds`. */
  positions(
    tx: EntityManager,
    holderIds: readonly string[],
    shareClassIds: readonly string[],
  ): Promise<PositionRow[]> {
    return this.db.rows<PositionRow>(
      sql`
      SELECT shareholder_id, share_class_id, SUM(number_of_shares)::text AS shares
        FROM issuance
       WHERE status = 'OUTSTANDING' AND share_class_id = ANY(${shareClassIds}::uuid[])
         AND shareholder_id = ANY(${holderIds}::uuid[])
       GROUP BY shareholder_id, share_class_id
       ORDER BY shareholder_id, share_class_id`,
      { tx, name: 'ledger_positions' },
    );
  }

  /**
   * Everything a terminal transaction writes, in one statement: the security spent while it is
   * still outstanding (the row lock taken before makes that certain; uq_stock_transaction_security
   * is the backstop), the transaction row, its balance and resulting securities, and the class
   * total lowered for shares that stop being outstanding. Answers when it was recorded, or null
   * when the security was no longer outstanding (nothing is written then).
   */
  async record(tx: EntityManager, plan: TransactionPlan): Promise<Date | null> {
    const conversion = plan.conversion;
    const fraction = conversion?.fraction ?? null;
    const created = [...(plan.balance ? [plan.balance] : []), ...plan.resulting];
    const [row] = await this.db.rows<{ recorded_at: Date }>(
      sql`
      WITH spent AS (
        UPDATE issuance SET status = ${plan.status}, spent_by_transaction_id = ${plan.id},
                            spent_on = ${plan.date}::date
         WHERE id = ${plan.security.id} AND status = 'OUTSTANDING'
        RETURNING id
      ), recorded AS (
        INSERT INTO stock_transaction (id, kind, date, security_id, quantity, price_per_share, total_amount,
                                       currency, consideration_text, reason, balance_security_id,
                                       resulting_security_ids, conversion_numerator, conversion_denominator,
                                       fraction_numerator, fraction_denominator, fraction_price_per_share,
                                       fraction_cash_amount, created_by_sub, created_by, request_id)
        SELECT ${plan.id}, ${plan.kind}, ${plan.date}::date, spent.id, ${plan.quantity.toString()}::bigint,
               ${plan.pricePerShare}::numeric, ${plan.totalAmount}::numeric, ${plan.currency},
               ${plan.considerationText}, ${plan.reason}, ${plan.balance?.id ?? null}::uuid,
               ${plan.resulting.map((s) => s.id)}::uuid[], ${conversion?.numerator.toString() ?? null}::bigint,
               ${conversion?.denominator.toString() ?? null}::bigint,
               ${fraction?.numerator.toString() ?? null}::bigint, ${fraction?.denominator.toString() ?? null}::bigint,
               ${fraction?.pricePerShare ?? null}::numeric, ${fraction?.cashAmount ?? null}::numeric,
               ${plan.createdBySub}, ${plan.createdBy}, ${plan.requestId}
          FROM spent
        RETURNING recorded_at
      ), created AS (
        INSERT INTO issuance (id, shareholder_id, share_class_id, number_of_shares, price, total_amount,
                              currency, date, created_by_sub, created_by, request_id, origin_transaction_id)
        SELECT s.id, s.holder, s.class, s.shares, s.price, s.total, ${plan.security.currency},
               ${plan.date}::date, ${plan.createdBySub}, ${plan.createdBy}, ${plan.requestId}, ${plan.id}
          FROM unnest(${created.map((c) => c.id)}::uuid[], ${created.map((c) => c.shareholderId)}::uuid[],
                      ${created.map((c) => c.shareClassId)}::uuid[],
                      ${created.map((c) => c.shares.toString())}::bigint[], ${created.map((c) => c.price)}::numeric[],
                      ${created.map((c) => c.totalAmount)}::numeric[]) AS s(id, holder, class, shares, price, total)
         WHERE EXISTS (SELECT 1 FROM recorded)
        RETURNING id
      ), retired AS (
        UPDATE share_class SET issued_shares = issued_shares - ${plan.retired.toString()}::bigint
         WHERE ${plan.retired.toString()}::bigint > 0 AND id = ${plan.security.share_class_id}
           AND EXISTS (SELECT 1 FROM recorded)
        RETURNING id
      )
      SELECT recorded_at FROM recorded`,
      { tx, name: 'ledger_record' },
    );
    return row?.recorded_at ?? null;
  }

  /** Securities by id, as GET /api/issuances/{id} shows them, in the order of `ids`. */
  async securities(tx: EntityManager | undefined, ids: readonly string[]): Promise<IssuanceRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.rows<IssuanceRow>(
      sql`
      SELECT ${ISSUANCE_COLUMNS}, NULL AS holder_user_id
        FROM issuance i LEFT JOIN (${this.numbers}) n ON n.issuance_id = i.id
        ${SPENDING}
       WHERE i.id = ANY(${ids}::uuid[])`,
      { tx, name: 'ledger_securities' },
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** One ledger line: an original issuance or a transaction (in `tx` when given). */
  async transaction(id: string, tx?: EntityManager): Promise<LedgerRow | undefined> {
    const [row] = await this.db.rows<LedgerRow>(
      sql`SELECT ${LEDGER_COLUMNS} FROM (${LEDGER_SQL}) l WHERE l.id = ${id}`,
      { tx },
    );
    return row;
  }

  /** A page of the ledger in effective order (date, then recorded time, then id). */
  page(filter: LedgerFilter, limit: number, cursor?: LedgerCursor): Promise<LedgerRow[]> {
    const where: Sql[] = [sql`true`];
    if (filter.kind) where.push(sql`l.kind = ${filter.kind}`);
    if (filter.shareClassId) where.push(sql`l.share_class_id = ${filter.shareClassId}`);
    if (filter.securityId)
      where.push(
        sql`(l.security_id = ${filter.securityId} OR l.balance_security_id = ${filter.securityId}
             OR ${filter.securityId}::uuid = ANY(l.resulting_security_ids))`,
      );
    if (filter.shareholderId)
      where.push(
        sql`(l.shareholder_id = ${filter.shareholderId} OR EXISTS (
               SELECT 1 FROM issuance r WHERE r.company_id = l.company_id AND r.origin_transaction_id = l.id
                                          AND r.shareholder_id = ${filter.shareholderId}))`,
      );
    if (filter.from) where.push(sql`l.date >= ${filter.from}::date`);
    if (filter.to) where.push(sql`l.date <= ${filter.to}::date`);
    // At the millisecond the API shows recorded_at with, so a shown time can be passed back.
    const recorded = sql`date_trunc('milliseconds', l.recorded_at)`;
    if (filter.recordedFrom) where.push(sql`${recorded} >= ${filter.recordedFrom}::timestamptz`);
    if (filter.recordedTo) where.push(sql`${recorded} <= ${filter.recordedTo}::timestamptz`);
    if (cursor)
      where.push(
        sql`(l.date, l.recorded_at, l.id) > (${cursor.date}::date, ${cursor.recordedAt}::timestamptz, ${cursor.id}::uuid)`,
      );
    return this.db.rows<LedgerRow>(sql`
      SELECT ${LEDGER_COLUMNS} FROM (${LEDGER_SQL}) l
       WHERE ${join(where, ' AND ')}
       ORDER BY l.date, l.recorded_at, l.id
       LIMIT ${limit}`);
  }

  /**
   * The chain of a security: every security it came from back to its original issuance, and
   * every security that came from it since, with the transactions between them.
   */
  async lineage(id: string): Promise<{ securities: IssuanceRow[]; transactions: LedgerRow[] }> {
    const ids = await this.db.rows<{ id: string }>(sql`
      WITH RECURSIVE back AS (
        SELECT i.id, i.origin_transaction_id FROM issuance i WHERE i.id = ${id}
        UNION
        SELECT s.id, s.origin_transaction_id
          FROM back b
          JOIN stock_transaction t ON t.id = b.origin_transaction_id
          JOIN issuance s ON s.id = t.security_id
      ), forward AS (
        SELECT i.id, i.spent_by_transaction_id FROM issuance i WHERE i.id = ${id}
        UNION
        SELECT d.id, d.spent_by_transaction_id
          FROM forward f JOIN issuance d ON d.origin_transaction_id = f.spent_by_transaction_id
      )
      SELECT id FROM back UNION SELECT id FROM forward`);
    const rows = await this.securities(
      undefined,
      ids.map((row) => row.id),
    );
    rows.sort((a, b) =>
      a.date === b.date
        ? a.created_at.getTime() - b.created_at.getTime()
        : a.date < b.date
          ? -1
          : 1,
    );
    const transactionIds = new Set<string>();
    for (const row of rows) {
      transactionIds.add(row.origin_transaction_id ?? row.id);
      if (row.spent_by_transaction_id) transactionIds.add(row.spent_by_transaction_id);
    }
    const transactions = await this.db.rows<LedgerRow>(sql`
      SELECT ${LEDGER_COLUMNS} FROM (${LEDGER_SQL}) l
       WHERE l.id = ANY(${[...transactionIds]}::uuid[]) OR l.security_id = ANY(${rows.map((r) => r.id)}::uuid[])
       ORDER BY l.date, l.recorded_at, l.id`);
    return { securities: rows, transactions };
  }
}
