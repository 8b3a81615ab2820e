import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, Sql, sql } from '../../core/db/database.service';
import { EXPORT_PAGE, exportPages } from '../../core/db/export-pages';
import type { VestingCondition } from '../vesting/vesting-terms';

/** A stock plan as an OCF export reads it. */
export interface ExportPlanRow {
  id: string;
  ocf_id: string | null;
  name: string;
  share_class_id: string;
  initial_shares_reserved: string;
  board_approval_date: string | null;
  stockholder_approval_date: string | null;
  default_cancellation_behavior: string;
}

export interface ExportPoolAdjustmentRow {
  id: string;
  ocf_id: string | null;
  plan_ref: string;
  date: string;
  shares_reserved: string;
  board_approval_date: string | null;
  stockholder_approval_date: string | null;
}

export interface ExportVestingTermsRow {
  id: string;
  ocf_id: string | null;
  name: string;
  description: string;
  allocation_type: string;
  vesting_conditions: VestingCondition[];
}

export interface ExportGrantRow {
  id: string;
  ocf_id: string | null;
  security_ref: string;
  shareholder_id: string;
  plan_ref: string;
  share_class_id: string;
  compensation_type: string;
  quantity: string;
  exercise_price: string | null;
  currency: string | null;
  grant_date: string;
  vesting_terms_ref: string | null;
  vesting_start_date: string | null;
  /** The grant's own tranches (OCF `vestings`), when it has no vesting terms. */
  vesting_tranches: Array<{ date: string; quantity: string | number }> | null;
  expiration_date: string | null;
  early_exercise: boolean;
  termination_exercise_days: number | null;
}

export interface ExportGrantTransactionRow {
  id: string;
  ocf_id: string | null;
  kind: string;
  security_ref: string;
  date: string;
  quantity: string | null;
  condition_id: string | null;
  reason: string | null;
  /** The stock issuance an exercise or release became (its id: the ledger maps it). */
  resulting_security_id: string | null;
  /** A SAR exercise's settlement (exact decimal text, no trailing zeros), in the grant currency. */
  fair_market_value: string | null;
  settled_shares: string | null;
  cash_amount: string | null;
  currency: string | null;
}

/** The equity-plans tables an import may give OCF ids to. */
export type EquityOcfTable =
  | 'stock_plan'
  | 'stock_plan_pool_adjustment'
  | 'vesting_terms'
  | 'equity_grant'
  | 'equity_grant_transaction';

/** The OCF id a plan is exported under, for a row's `stock_plan_id`. */
const PLAN_REF = (alias: 'a' | 'g') =>
  alias === 'a'
    ? sql`(SELECT coalesce(p.ocf_id, p.id::text) FROM stock_plan p WHERE p.id = a.stock_plan_id)`
    : sql`(SELECT coalesce(p.ocf_id, p.id::text) FROM stock_plan p WHERE p.id = g.stock_plan_id)`;

/** Every row an import named, with its OCF ids: `r(id, ocf_id, ocf_security_id)`. */
type OcfIdRows = Array<{ id: string; ocfId: string; ocfSecurityId?: string }>;

/**
 * What the OCF export reads of the equity plans (and how an import gives their rows OCF ids), in
 * the caller's transaction.
 */

@Injectable()
export class EquityExportRepository {
  constructor(private readonly db: Database) {}

  plans(tx: EntityManager): Promise<ExportPlanRow[]> {
    return this.db.rows<ExportPlanRow>(
      sql`
      SELECT id, ocf_id, name, share_class_id, initial_shares_reserved::text AS initial_shares_reserved,
             to_char(board_approval_date, 'YYYY-MM-DD') AS board_approval_date,
             to_char(stockholder_approval_date, 'YYYY-MM-DD') AS stockholder_approval_date,
             default_cancellation_behavior
        FROM stock_plan ORDER BY coalesce(ocf_id, id::text)`,
      { tx },
    );
  }

  poolAdjustments(tx: EntityManager, asOf: string): Promise<ExportPoolAdjustmentRow[]> {
    return this.db.rows<ExportPoolAdjustmentRow>(
      sql`
      SELECT a.id, a.ocf_id, ${PLAN_REF('a')} AS plan_ref,
             to_char(a.date, 'YYYY-MM-DD') AS date, a.shares_reserved::text AS shares_reserved,
             to_char(a.board_approval_date, 'YYYY-MM-DD') AS board_approval_date,
             to_char(a.stockholder_approval_date, 'YYYY-MM-DD') AS stockholder_approval_date
        FROM stock_plan_pool_adjustment a WHERE a.date <= ${asOf}
       ORDER BY a.date, coalesce(a.ocf_id, a.id::text)`,
      { tx },
    );
  }

  vestingTerms(tx: EntityManager): Promise<ExportVestingTermsRow[]> {
    return this.db.rows<ExportVestingTermsRow>(
      sql`
      SELECT id, ocf_id, name, description, allocation_type, vesting_conditions
        FROM vesting_terms ORDER BY coalesce(ocf_id, id::text)`,
      { tx },
    );
  }

  /** The grants made by `asOf`, in pages of 2,000 by the id the export gives them. */
  grants(tx: EntityManager, asOf: string): AsyncGenerator<ExportGrantRow[]> {
    return exportPages((after) =>
      this.db.rows<ExportGrantRow>(
        sql`
    SELECT g.id, g.ocf_id, coalesce(g.ocf_security_id, g.id::text) AS security_ref, g.shareholder_id,
           ${PLAN_REF('g')} AS plan_ref,
           g.share_class_id,
           g.compensation_type, g.quantity::text AS quantity, g.exercise_price::text AS exercise_price,
           g.currency, to_char(g.grant_date, 'YYYY-MM-DD') AS grant_date,
           (SELECT coalesce(v.ocf_id, v.id::text) FROM vesting_terms v WHERE v.id = g.vesting_terms_id) AS vesting_terms_ref,
           to_char(g.vesting_start_date, 'YYYY-MM-DD') AS vesting_start_date, g.vesting_tranches,
           to_char(g.expiration_date, 'YYYY-MM-DD') AS expiration_date, g.early_exercise,
           g.termination_exercise_days
      FROM equity_grant g WHERE g.grant_date <= ${asOf} AND coalesce(g.ocf_id, g.id::text) > ${after}
     ORDER BY coalesce(g.ocf_id, g.id::text) LIMIT ${EXPORT_PAGE}`,
        { tx },
      ),
    );
  }

  /** The grants' transactions dated by `asOf`, in pages of 2,000 by the id the export gives them. */
  grantTransactions(tx: EntityManager, asOf: string): AsyncGenerator<ExportGrantTransactionRow[]> {
    return exportPages((after) =>
      this.db.rows<ExportGrantTransactionRow>(
        sql`
    SELECT t.id, t.ocf_id, t.kind,
           (SELECT coalesce(g.ocf_security_id, g.id::text) FROM equity_grant g WHERE g.id = t.grant_id) AS security_ref,
           to_char(t.date, 'YYYY-MM-DD') AS date, t.quantity::text AS quantity, t.condition_id, t.reason,
           t.resulting_security_id, trim_scale(t.fair_market_value)::text AS fair_market_value,
           t.settled_shares::text AS settled_shares, trim_scale(t.cash_amount)::text AS cash_amount,
           CASE WHEN t.fair_market_value IS NOT NULL
                THEN (SELECT g.currency FROM equity_grant g WHERE g.id = t.grant_id) END AS currency
      FROM equity_grant_transaction t
     WHERE t.date <= ${asOf} AND coalesce(t.ocf_id, t.id::text) > ${after}
     ORDER BY coalesce(t.ocf_id, t.id::text) LIMIT ${EXPORT_PAGE}`,
        { tx },
      ),
    );
  }

  /** Gives rows of `table` the OCF ids they came in with (set once: the schema refuses a change). */
  async recordOcfIds(
    tx: EntityManager | undefined,
    table: EquityOcfTable,
    rows: OcfIdRows,
  ): Promise<void> {
    if (rows.length === 0) return;
    const ids = rows.map((r) => r.id);
    const ocf = rows.map((r) => r.ocfId);
    const statements: Record<EquityOcfTable, () => Sql> = {
      stock_plan: () => sql`UPDATE stock_plan t SET ocf_id = r.ocf_id
        FROM unnest(${ids}::uuid[], ${ocf}::text[]) AS r(id, ocf_id) WHERE t.id = r.id`,
      stock_plan_pool_adjustment:
        () => sql`UPDATE stock_plan_pool_adjustment t SET ocf_id = r.ocf_id
        FROM unnest(${ids}::uuid[], ${ocf}::text[]) AS r(id, ocf_id) WHERE t.id = r.id`,
      vesting_terms: () => sql`UPDATE vesting_terms t SET ocf_id = r.ocf_id
        FROM unnest(${ids}::uuid[], ${ocf}::text[]) AS r(id, ocf_id) WHERE t.id = r.id`,
      equity_grant:
        () => sql`UPDATE equity_grant t SET ocf_id = r.ocf_id, ocf_security_id = r.ocf_security_id
        FROM unnest(${ids}::uuid[], ${ocf}::text[], ${rows.map((r) => r.ocfSecurityId ?? null)}::text[])
             AS r(id, ocf_id, ocf_security_id) WHERE t.id = r.id`,
      equity_grant_transaction: () => sql`UPDATE equity_grant_transaction t SET ocf_id = r.ocf_id
        FROM unnest(${ids}::uuid[], ${ocf}::text[]) AS r(id, ocf_id) WHERE t.id = r.id`,
    };
    await this.db.run(statements[table](), { tx });
  }
}
