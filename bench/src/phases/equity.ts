/**
 * Phase `equity` (issue 15): `GET /api/cap-table?basis=fully_diluted` (today) beside the best
 * direct SQL for the same figures, and `GET /api/grants/{id}/vesting` of one grant.
 *
 * The fully diluted figures are the positions (the service's `capTablePositionsSql`), each
 * holder's outstanding grants and each plan's available pool. Two direct-SQL figures, both as
 * the API's role: the service's own statements (`DilutionRepository`'s, captured from the
 * repository itself, never copied), run as the API runs them (the positions, then the two
 * dilution statements side by side on two connections); and one hand-written statement giving
 * every figure in one round trip, which aggregates the grants' transactions once instead of
 * looking them up per grant. The target row takes the faster of the two. No vesting is computed
 * in SQL: a fully diluted table counts every outstanding grant, vested or not; the vesting
 * schedule is computed in TypeScript from the stored OCF terms (timed here in-process too).
 * Before anything is timed, the three answers are checked to be the same figures.
 */
import { Client } from 'pg';
import { type Database, sql as tagged } from '../../../src/core/db/database.service';
import { DilutionRepository } from '../../../src/equity-plans/persistence/dilution.repository';
import { capTablePositionsSql } from '../../../src/issuances';
import { HOLDER_DIRECTORY_SQL } from '../../../src/shareholders';
import { type BenchContext, log } from '../context';
import { actForFirstCompany } from '../dataset-common';
import type { Dataset } from '../dataset';
import { http, measure, sql } from '../measure';
import { explain, type SqlStatement } from '../sql-limits';
import { summarize } from '../stats';
import { apiFigures, grantVestingTimer, sameFigures, type FullyDiluted } from './equity-checks';

/** The dilution repository's statements for `asOf`, as it sends them (nothing is run). */
async function dilutionStatements(asOf: string): Promise<SqlStatement[]> {
  const sent: SqlStatement[] = [];
  const capture = {
    rows: (statement: SqlStatement) => {
      sent.push({ text: statement.text, values: statement.values });
      return Promise.resolve([]);
    },
  };
  await new DilutionRepository(capture as unknown as Database).dilutionAsOf(asOf);
  return sent;
}

/**
 * Every figure of the fully diluted table in one statement: the positions, then per holder what
 * their grants have outstanding (not exercised, released, cancelled, forfeited or expired, their
 * window still open), then per plan its pool of the day less what was granted plus what was
 * given back (and what expired unrecorded, unless the plan retires it). Rows: kind, id, name,
 * class (positions), shares.
 */
function fullyDilutedSql(asOf: string): SqlStatement {
  return tagged`
    WITH t AS (
      SELECT grant_id,
             sum(quantity) FILTER (WHERE kind IN ('EXERCISE', 'RELEASE', 'CANCELLATION', 'TERMINATION', 'EXPIRATION')) AS spent,
             sum(returned_to_pool) AS returned,
             min(date) FILTER (WHERE kind = 'TERMINATION') AS terminated
        FROM equity_grant_transaction WHERE date <= ${asOf}::date GROUP BY grant_id),
    g AS (
      SELECT g.shareholder_id, g.stock_plan_id, g.quantity, g.quantity - coalesce(t.spent, 0) AS remaining,
             coalesce(t.returned, 0) AS returned,
             least(coalesce(g.expiration_date, 'infinity'::date),
                   coalesce(t.terminated + coalesce(g.termination_exercise_days, 0), 'infinity'::date)) < ${asOf}::date AS expired
        FROM equity_grant g LEFT JOIN t ON t.grant_id = g.id
       WHERE g.grant_date <= ${asOf}::date)
    SELECT 'position' AS kind, p."shareholderId"::text AS id, p."shareholderName" AS name,
           p."shareClassId"::text AS class, p.shares
      FROM (${capTablePositionsSql(asOf)}) p
    UNION ALL
    SELECT 'grants', g.shareholder_id::text, h.name, NULL, sum(g.remaining)::text
      FROM g JOIN (${HOLDER_DIRECTORY_SQL}) h ON h.id = g.shareholder_id
     WHERE NOT g.expired GROUP BY g.shareholder_id, h.name HAVING sum(g.remaining) > 0
    UNION ALL
    SELECT 'pool', p.id::text, p.name, NULL,
           greatest(0, coalesce((SELECT a.shares_reserved FROM stock_plan_pool_adjustment a
                                  WHERE a.stock_plan_id = p.id AND a.date <= ${asOf}::date
                                  ORDER BY a.date DESC LIMIT 1), p.initial_shares_reserved)
                       - coalesce(sum(g.quantity), 0) + coalesce(sum(g.returned), 0)
                       + CASE WHEN p.default_cancellation_behavior IN ('RETIRE', 'HOLD_AS_CAPITAL_STOCK') THEN 0
                              ELSE coalesce(sum(g.remaining) FILTER (WHERE g.expired), 0) END)::text
      FROM stock_plan p LEFT JOIN g ON g.stock_plan_id = p.id
     GROUP BY p.id, p.name, p.initial_shares_reserved, p.default_cancellation_behavior`;
}

/** A second connection as the API's role, for the statements the API runs side by side. */
async function secondApiConnection(ctx: BenchContext): Promise<Client> {
  const client = new Client({ connectionString: ctx.appUrl, application_name: 'bench-sql-limits' });
  await client.connect();
  await actForFirstCompany(client);
  ctx.onCleanup(() => client.end());
  return client;
}

/** The service's statements as the API runs them: the positions, then the two side by side. */
async function serviceSql(ctx: BenchContext, positions: SqlStatement, dilution: SqlStatement[]) {
  const clients = [await ctx.apiDatabase(), await secondApiConnection(ctx)];
  const spec = {
    key: 'cap_table_fully_diluted_service_sql',
    label: 'fully diluted: the service’s statements via pg, as the API runs them (limit)',
    tool: 'pg (direct)',
    connections: 2,
  };
  await measure(ctx, spec, async (seconds) => {
    const latencies: number[] = [];
    const started = Date.now();
    while (Date.now() - started < seconds * 1000 || latencies.length < 3) {
      const t0 = process.hrtime.bigint();
      await clients[0].query(positions.text, positions.values);
      await Promise.all(dilution.map((s, i) => clients[i % 2].query(s.text, s.values)));
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const durationS = (Date.now() - started) / 1000;
    const latency = summarize(latencies);
    return {
      rps: latencies.length / durationS,
      latency,
      ok: latencies.length,
      failed: 0,
      errors: 0,
    };
  });
}

/** The figures each way, once, compared; kept in the report's ledger section. */
async function checkFigures(ctx: BenchContext, data: Dataset, statements: FullyDiluted) {
  const api = await apiFigures(ctx);
  const check = await sameFigures(await ctx.apiDatabase(), statements, api);
  ctx.ledger.equity = { dataset: data.equity?.counts, figures: check };
  log(`fully diluted figures: ${JSON.stringify(check)}`);
  if (!check.same)
    ctx.notes.push(`equity: the fully diluted figures differ ${JSON.stringify(check)}`);
}

/** The faster of the two direct-SQL figures (by p95) is the limit of the target row. */
function chooseBestSql(ctx: BenchContext): void {
  const one = ctx.figures.cap_table_fully_diluted_sql;
  const own = ctx.figures.cap_table_fully_diluted_service_sql;
  if (!one || !own) return;
  const best = own.p95 < one.p95 ? own : one;
  ctx.ledger.equityBestSql = {
    figure: best.key,
    p95: best.p95,
    p50: best.p50,
    label: best === one ? 'one hand-written statement' : 'the service’s statements, 2 conns',
  };
}

export async function equity(ctx: BenchContext, data: Dataset): Promise<void> {
  const plans = data.equity;
  if (!plans) {
    ctx.notes.push('equity: the dataset has no equity plans (the phase did not run)');
    return;
  }
  await ctx.phase('equity', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const positions = capTablePositionsSql(today);
    const dilution = await dilutionStatements(today);
    const best = fullyDilutedSql(today);
    await checkFigures(ctx, data, { positions, dilution, best });
    const asApi = await ctx.apiDatabase();
    ctx.plans['fully diluted SQL (one statement)'] = await explain(asApi, best);
    for (const [i, statement] of dilution.entries())
      ctx.plans[`dilution SQL ${i === 0 ? 'holders' : 'pools'}`] = await explain(asApi, statement);
    await sql(
      ctx,
      'cap_table_fully_diluted_sql',
      'fully diluted: one statement via pg (limit)',
      best,
    );
    await serviceSql(ctx, positions, dilution);
    const latency = { user: 'admin', connections: ctx.opts.latencyConnections } as const;
    await http(ctx, 'cap_table_fully_diluted', 'GET /api/cap-table?basis=fully_diluted', ctx.base, {
      paths: ['/api/cap-table?basis=fully_diluted'],
      ...latency,
    });
    const path = `/api/grants/${plans.vestingGrantId}/vesting`;
    await http(ctx, 'grant_vesting', 'GET /api/grants/{id}/vesting (one grant)', ctx.base, {
      paths: [path],
      ...latency,
    });
    await grantVestingTimer(ctx, plans.vestingGrantId, today);
    chooseBestSql(ctx);
  });
}
