import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, Sql, sql } from '../../core/db/database.service';
import { CERTIFICATE_NUMBERS, CertificateNumberRelation } from '../certificate-numbers.port';
import { HOLDER_DIRECTORY_SQL } from '../../shareholders';
import { NO_NUMBERS } from './issuances.repository';

/** The company as an OCF issuer reads it. */
export interface ExportCompanyRow {
  id: string;
  ocf_id: string | null;
  legal_name: string;
  country: string;
  formation_date: string;
  default_currency: string;
  /** Authorized shares before the first dated adjustment (none set: null). */
  initial_authorized_shares: string | null;
}

/** A share class as an OCF stock class reads it. */
export interface ExportClassRow {
  id: string;
  ocf_id: string | null;
  name: string;
  type: string;
  par_value: string;
  votes_per_share: number;
  certificate_prefix: string;
  seniority: number;
  legend_text: string | null;
  converts_to_share_class_id: string | null;
  conversion_numerator: string;
  conversion_denominator: string;
  /** Authorized shares before the first dated adjustment or split. */
  initial_authorized_shares: string;
  board_approval_date: string | null;
}

/** A dated class- or company-level change: a split, a ratio or an authorized-shares adjustment. */
export interface ExportClassEventRow {
  event: 'SPLIT' | 'RATIO' | 'CLASS_AUTHORIZED' | 'COMPANY_AUTHORIZED';
  id: string;
  ocf_id: string | null;
  date: string;
  share_class_id: string | null;
  numerator: string | null;
  denominator: string | null;
  authorized_shares: string | null;
  board_approval_date: string | null;
  stockholder_approval_date: string | null;
}

/** The issuances module's tables an import may give OCF ids to. */
export type LedgerOcfTable =
  | 'company'
  | 'share_class'
  | 'issuance'
  | 'stock_transaction'
  | 'stock_class_split'
  | 'conversion_ratio_adjustment'
  | 'authorized_shares_adjustment'
  | 'company_authorized_shares_adjustment';

export interface OcfIdRow {
  id: string;
  ocfId: string;
  ocfSecurityId?: string;
  /** A security's OCF custom_id (its certificate number there). */
  customId?: string | null;
}

/** A security's OCF security id: the one it came in with, else its own id. */
const securityRef = (alias: string) =>
  sql`(SELECT coalesce(s.ocf_security_id, s.id::text) FROM issuance s WHERE s.id = ${sql([alias])})`;

/**
 * What the OCF export reads of the issuance ledger (tables company, share_class, issuance,
 * stock_transaction, stock_class_split, conversion_ratio_adjustment and the authorized-shares
 * adjustments), in the caller's snapshot transaction. The ledger is shown as known now: a
 * reversed line, its reversal and the securities it created are left out (as of every date the
 * ledger reads as if the line had never been written), but for the reversal of an original
 * issuance, which OCF records as a retraction.
 */
@Injectable()
export class LedgerExportRepository {
  private readonly numbers: Sql;

  constructor(
    private readonly db: Database,
    @Optional() @Inject(CERTIFICATE_NUMBERS) numbers?: CertificateNumberRelation,
  ) {
    this.numbers = numbers?.relation ?? NO_NUMBERS;
  }

  async company(tx: EntityManager): Promise<ExportCompanyRow | undefined> {
    const [row] = await this.db.rows<ExportCompanyRow>(
      sql`
      SELECT c.id, c.ocf_id, c.legal_name, c.country, to_char(c.formation_date, 'YYYY-MM-DD') AS formation_date,
             c.default_currency,
             coalesce((SELECT a.previous_authorized_shares FROM company_authorized_shares_adjustment a
                        ORDER BY a.date, a.recorded_at, a.id LIMIT 1), c.authorized_shares)::text AS initial_authorized_shares
        FROM company c WHERE c.id = app_company_id()`,
      { tx },
    );
    return row;
  }

  async classes(tx: EntityManager): Promise<ExportClassRow[]> {
    return this.db.rows<ExportClassRow>(
      sql`
      SELECT c.id, c.ocf_id, c.name, c.type, c.par_value::text AS par_value, c.votes_per_share,
             c.certificate_prefix, c.seniority, c.legend_text, c.converts_to_share_class_id,
             c.conversion_numerator::text AS conversion_numerator,
             c.conversion_denominator::text AS conversion_denominator,
             coalesce((SELECT e.before FROM (
                 SELECT a.date, a.recorded_at, a.previous_authorized_shares AS before
                   FROM authorized_shares_adjustment a WHERE a.share_class_id = c.id
                 UNION ALL
                 SELECT s.date, s.recorded_at, s.authorized_shares_before
                   FROM stock_class_split s WHERE s.share_class_id = c.id) e
               ORDER BY e.date, e.recorded_at LIMIT 1), c.authorized_shares)::text AS initial_authorized_shares,
             to_char(c.created_at, 'YYYY-MM-DD') AS board_approval_date
        FROM share_class c ORDER BY coalesce(c.ocf_id, c.id::text)`,
      { tx },
    );
  }

  async classEvents(tx: EntityManager, asOf: string): Promise<ExportClassEventRow[]> {
    return this.db.rows<ExportClassEventRow>(
      sql`
      SELECT * FROM (
        SELECT 'SPLIT' AS event, id, ocf_id, to_char(date, 'YYYY-MM-DD') AS date, share_class_id,
               numerator::text AS numerator, denominator::text AS denominator, NULL AS authorized_shares,
               NULL AS board_approval_date, NULL AS stockholder_approval_date, recorded_at
          FROM stock_class_split
        UNION ALL
        SELECT 'RATIO', id, ocf_id, to_char(date, 'YYYY-MM-DD'), share_class_id, numerator::text,
               denominator::text, NULL, NULL, NULL, recorded_at
          FROM conversion_ratio_adjustment
        UNION ALL
        SELECT 'CLASS_AUTHORIZED', id, ocf_id, to_char(date, 'YYYY-MM-DD'), share_class_id, NULL, NULL,
               authorized_shares::text, to_char(board_approval_date, 'YYYY-MM-DD'),
               to_char(stockholder_approval_date, 'YYYY-MM-DD'), recorded_at
          FROM authorized_shares_adjustment
        UNION ALL
        SELECT 'COMPANY_AUTHORIZED', id, ocf_id, to_char(date, 'YYYY-MM-DD'), NULL, NULL, NULL,
               authorized_shares::text, to_char(board_approval_date, 'YYYY-MM-DD'),
               to_char(stockholder_approval_date, 'YYYY-MM-DD'), recorded_at
          FROM company_authorized_shares_adjustment) e
       WHERE e.date <= ${asOf}
       ORDER BY e.date, coalesce(e.ocf_id, e.id::text)`,
      { tx },
    );
  }

  /**
   * The securities issued by `asOf` as OCF TX_STOCK_ISSUANCE objects, one JSON text per line (as
   * `JSON.stringify` writes it: json_strip_nulls prints without spaces), streamed by COPY in the
   * order of the ids the export gives them. A security shows the certificate number as custom_id
   * (the one it came in with first), its holder and class by the OCF ids they came in with, and
   * its class's legend when the class has one (the legend template's id: `<class id>-legend`).
   */
  securityLines(tx: EntityManager, asOf: string): AsyncGenerator<Buffer> {
    return this.db.copyLines(
      sql`
      SELECT json_strip_nulls(json_build_object(
               'object_type', 'TX_STOCK_ISSUANCE', 'id', coalesce(i.ocf_id, i.id::text),
               'date', to_char(i.date, 'YYYY-MM-DD'), 'security_id', coalesce(i.ocf_security_id, i.id::text),
               'custom_id', coalesce(i.ocf_custom_id, n.certificate_number, i.ocf_security_id, i.id::text),
               'stakeholder_id', coalesce(h.ocf_id, i.shareholder_id::text),
               'security_law_exemptions', json_build_array(),
               'stock_class_id', coalesce(c.ocf_id, c.id::text),
               'share_price', json_build_object('amount', i.price::text, 'currency', i.currency),
               'quantity', i.number_of_shares::text,
               'stock_legend_ids', CASE WHEN coalesce(c.legend_text, '') = '' THEN json_build_array()
                                        ELSE json_build_array(coalesce(c.ocf_id, c.id::text) || '-legend') END))
        FROM issuance i
        JOIN share_class c ON c.company_id = i.company_id AND c.id = i.share_class_id
        LEFT JOIN (${HOLDER_DIRECTORY_SQL}) h ON h.id = i.shareholder_id
        LEFT JOIN (${this.numbers}) n ON n.issuance_id = i.id
        LEFT JOIN stock_transaction o ON o.company_id = i.company_id AND o.id = i.origin_transaction_id
       WHERE i.date <= ${asOf}::date AND o.reversed_by_transaction_id IS NULL
       ORDER BY coalesce(i.ocf_id, i.id::text)`,
      tx,
    );
  }

  /**
   * The transactions effective by `asOf` as their OCF TX_STOCK_* objects (a retraction for the
   * reversal of an original issuance), one JSON text per line like securityLines, in the order of
   * the ids the export gives them. Securities are named by their OCF security ids; a split's
   * reissuance names the split and carries no reason of its own.
   */
  transactionLines(tx: EntityManager, asOf: string): AsyncGenerator<Buffer> {
    const base = sql`'id', t.xid, 'date', t.date, 'security_id', t.security_ref`;
    return this.db.copyLines(
      sql`
      SELECT json_strip_nulls(CASE t.kind
        WHEN 'TRANSFER' THEN json_build_object('object_type', 'TX_STOCK_TRANSFER', ${base},
          'quantity', t.quantity, 'resulting_security_ids', t.resulting_refs,
          'balance_security_id', t.balance_ref, 'consideration_text', t.consideration_text)
        WHEN 'CANCELLATION' THEN json_build_object('object_type', 'TX_STOCK_CANCELLATION', ${base},
          'quantity', t.quantity, 'reason_text', coalesce(t.reason, 'cancelled'),
          'balance_security_id', t.balance_ref)
        WHEN 'REPURCHASE' THEN json_build_object('object_type', 'TX_STOCK_REPURCHASE', ${base},
          'price', json_build_object('amount', coalesce(t.price_per_share, '0'),
                                     'currency', coalesce(t.currency, 'USD')),
          'quantity', t.quantity, 'balance_security_id', t.balance_ref,
          'consideration_text', t.consideration_text)
        WHEN 'CONVERSION' THEN json_build_object('object_type', 'TX_STOCK_CONVERSION', ${base},
          'quantity_converted', t.quantity, 'resulting_security_ids', t.resulting_refs,
          'balance_security_id', t.balance_ref)
        WHEN 'REISSUANCE' THEN json_build_object('object_type', 'TX_STOCK_REISSUANCE', ${base},
          'resulting_security_ids', t.resulting_refs, 'split_transaction_id', t.split_ref,
          'reason_text', CASE WHEN t.split_ref IS NULL THEN t.reason END)
        ELSE json_build_object('object_type', 'TX_STOCK_RETRACTION', ${base},
          'reason_text', coalesce(t.reason, 'reversed'))
      END)
        FROM (
      SELECT coalesce(t.ocf_id, t.id::text) AS xid, t.kind, to_char(t.date, 'YYYY-MM-DD') AS date,
             ${securityRef('t.security_id')} AS security_ref, t.quantity::text AS quantity,
             t.price_per_share::text AS price_per_share, t.currency, t.consideration_text, t.reason,
             ${securityRef('t.balance_security_id')} AS balance_ref,
             ARRAY(SELECT coalesce(s.ocf_security_id, s.id::text)
                     FROM unnest(t.resulting_security_ids) WITH ORDINALITY AS r(id, n)
                     JOIN issuance s ON s.id = r.id ORDER BY r.n) AS resulting_refs,
             (SELECT coalesce(p.ocf_id, p.id::text) FROM stock_class_split p
               WHERE p.id = t.split_transaction_id) AS split_ref
        FROM stock_transaction t
       WHERE t.date <= ${asOf}::date AND t.reversed_by_transaction_id IS NULL
         AND (t.kind <> 'REVERSAL' OR NOT EXISTS (
               SELECT 1 FROM stock_transaction r WHERE r.id = t.reversed_transaction_id))) t
       ORDER BY t.xid`,
      tx,
    );
  }

  /**
   * The OCF security id of each of `ids` that the export holds (issued by `asOf`, not reversed):
   * the securities that exercises and releases became, which their transactions name.
   */
  async securityRefs(
    tx: EntityManager,
    asOf: string,
    ids: readonly string[],
  ): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.rows<{ id: string; security_ref: string }>(
      sql`
      SELECT i.id, coalesce(i.ocf_security_id, i.id::text) AS security_ref
        FROM issuance i
        LEFT JOIN stock_transaction o ON o.company_id = i.company_id AND o.id = i.origin_transaction_id
       WHERE i.id = ANY(${ids}::uuid[]) AND i.date <= ${asOf}::date
         AND o.reversed_by_transaction_id IS NULL`,
      { tx },
    );
    return new Map(rows.map((row) => [row.id, row.security_ref]));
  }

  /** Gives rows of `table` the OCF ids they came in with (set once: the schema refuses a change). */
  async recordOcfIds(table: LedgerOcfTable, rows: OcfIdRow[]): Promise<void> {
    if (rows.length === 0) return;
    const ids = rows.map((r) => r.id);
    const ocf = rows.map((r) => r.ocfId);
    const statements: Record<LedgerOcfTable, () => Sql> = {
      company: () => sql`UPDATE company t SET ocf_id = r.ocf_id
        FROM unnest(${ids}::uuid[], ${ocf}::text[]) AS r(id, ocf_id) WHERE t.id = r.id`,
      share_class: () => sql`UPDATE share_class t SET ocf_id = r.ocf_id
        FROM unnest(${ids}::uuid[], ${ocf}::text[]) AS r(id, ocf_id) WHERE t.id = r.id`,
      issuance: () => sql`UPDATE issuance t
        SET ocf_id = r.ocf_id, ocf_security_id = r.ocf_security_id, ocf_custom_id = r.ocf_custom_id
        FROM unnest(${ids}::uuid[], ${ocf}::text[], ${rows.map((r) => r.ocfSecurityId ?? null)}::text[],
                    ${rows.map((r) => r.customId ?? null)}::text[])
             AS r(id, ocf_id, ocf_security_id, ocf_custom_id) WHERE t.id = r.id`,
      stock_transaction: () => sql`UPDATE stock_transaction t SET ocf_id = r.ocf_id
        FROM unnest(${ids}::uuid[], ${ocf}::text[]) AS r(id, ocf_id) WHERE t.id = r.id`,
      stock_class_split: () => sql`UPDATE stock_class_split t SET ocf_id = r.ocf_id
        FROM unnest(${ids}::uuid[], ${ocf}::text[]) AS r(id, ocf_id) WHERE t.id = r.id`,
      conversion_ratio_adjustment:
        () => sql`UPDATE conversion_ratio_adjustment t SET ocf_id = r.ocf_id
        FROM unnest(${ids}::uuid[], ${ocf}::text[]) AS r(id, ocf_id) WHERE t.id = r.id`,
      authorized_shares_adjustment:
        () => sql`UPDATE authorized_shares_adjustment t SET ocf_id = r.ocf_id
        FROM unnest(${ids}::uuid[], ${ocf}::text[]) AS r(id, ocf_id) WHERE t.id = r.id`,
      company_authorized_shares_adjustment: () => sql`UPDATE company_authorized_shares_adjustment t
        SET ocf_id = r.ocf_id
        FROM unnest(${ids}::uuid[], ${ocf}::text[]) AS r(id, ocf_id) WHERE t.id = r.id`,
    };
    await this.db.run(statements[table]());
  }

  /**
   * Locks the company row for the rest of the caller's unit of work (a second import into it
   * waits here) and answers whether it holds nothing yet: no holder, class or security.
   */
  async lockIfEmpty(): Promise<boolean> {
    await this.db.run(sql`SELECT 1 FROM company WHERE id = app_company_id() FOR UPDATE`);
    // A statement of its own, after the lock: it sees what a concurrent import committed.
    const [row] = await this.db.rows<{ empty: boolean }>(
      sql`
      SELECT NOT (EXISTS (SELECT 1 FROM (${HOLDER_DIRECTORY_SQL}) h)
                  OR EXISTS (SELECT 1 FROM share_class) OR EXISTS (SELECT 1 FROM issuance)) AS empty`,
    );
    return row?.empty ?? false;
  }
}
