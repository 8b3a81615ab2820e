import { empty, sql, Sql } from '../../core/db/database.service';

/**
 * Each grant at the end of `asOf`, from what was recorded by `knownAt` (when given), of one plan
 * when `planId` is given: `quantity`; `exercised` (exercised or released), `cancelled`
 * (cancelled, forfeited at termination or recorded as expired) and `returned` (given back to the
 * pool) by then; `remaining`, the rest; and `expired`, whether its exercise window (its
 * expiration, or its termination plus the window) closed before `asOf`.
 *
 * An expiration is recorded with all that remained, dated the day after the window's last day,
 * so once it is recorded `remaining` is 0 from that date on; until it is, `remaining` of an
 * expired grant is exactly what the expiration will hold. Counting the expired grants'
 * `remaining` as expired (`lapsedSql`) therefore gives the same figures before and after it is
 * recorded, for any date.
 */
export function grantPositionsSql(
  asOf: string,
  options: { knownAt?: string; planId?: string } = {},
): Sql {
  const { knownAt, planId } = options;
  return sql`
    SELECT x.*, x.quantity - x.exercised - x.cancelled AS remaining FROM (
      SELECT g.id, g.shareholder_id, g.stock_plan_id, g.quantity,
             coalesce(t.exercised, 0) AS exercised, coalesce(t.cancelled, 0) AS cancelled,
             coalesce(t.returned, 0) AS returned,
             least(coalesce(g.expiration_date, 'infinity'::date),
                   coalesce(t.terminated + coalesce(g.termination_exercise_days, 0), 'infinity'::date))
               < ${asOf}::date AS expired
        FROM equity_grant g LEFT JOIN (${transactionTotalsSql(asOf, options)}) t ON t.grant_id = g.id
       WHERE g.grant_date <= ${asOf}::date
             ${knownAt ? sql`AND g.created_at <= ${knownAt}::timestamptz` : empty}
             ${planId ? sql`AND g.stock_plan_id = ${planId}` : empty}) x`;
}

/**
 * Each grant's transactions dated by the end of `asOf` (recorded by `knownAt`, when given; of the
 * grants of one plan when `planId` is given), aggregated once per grant (one pass over the
 * transactions, not a lookup per grant and figure): what was exercised or released, cancelled
 * (cancelled, forfeited at termination or expired), returned to the pool, and the termination's
 * date (a grant is terminated at most once: see GrantTransactionsService.terminate).
 */
function transactionTotalsSql(asOf: string, options: { knownAt?: string; planId?: string }): Sql {
  const { knownAt, planId } = options;
  return sql`
    SELECT t.grant_id,
           sum(t.quantity) FILTER (WHERE t.kind IN ('EXERCISE', 'RELEASE')) AS exercised,
           sum(t.quantity) FILTER (WHERE t.kind IN ('CANCELLATION', 'TERMINATION', 'EXPIRATION')) AS cancelled,
           sum(t.returned_to_pool) AS returned,
           min(t.date) FILTER (WHERE t.kind = 'TERMINATION') AS terminated
      FROM equity_grant_transaction t
     WHERE t.date <= ${asOf}::date
           ${knownAt ? sql`AND t.recorded_at <= ${knownAt}::timestamptz` : empty}
           ${planId ? sql`AND t.grant_id IN (SELECT e.id FROM equity_grant e WHERE e.stock_plan_id = ${planId})` : empty}
     GROUP BY t.grant_id`;
}

/** What of positions `g` (grouped by plan `p`) expired unrecorded: none of it is outstanding. */
export function lapsedSql(): Sql {
  return sql`coalesce(sum(g.remaining) FILTER (WHERE g.expired), 0)`;
}

/**
 * What positions `g` (grouped by plan `p`) gave back to the pool: what their transactions
 * returned, and, when the plan returns what expires, the expired rest not recorded yet.
 */
export function returnedSql(): Sql {
  return sql`(coalesce(sum(g.returned), 0)
              + CASE WHEN p.default_cancellation_behavior IN ('RETIRE', 'HOLD_AS_CAPITAL_STOCK') THEN 0
                     ELSE ${lapsedSql()} END)`;
}
