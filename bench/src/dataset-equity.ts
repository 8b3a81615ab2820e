/**
 * The big company's equity plans (issue 15), simulated in `dataset-equity-model.ts` from a random
 * source of their own (so the rest of the dataset stays the same) and loaded with COPY as the
 * owner for the first company: the vesting terms, the 2 stock plans (in the Common class) and the
 * first plan's pool adjustment, the grants, the stock issuances of their exercises and releases,
 * and the grants' transactions; then the Common class's outstanding total recomputed with those
 * issuances. Loaded before the certificates in a fresh dataset (so the issuances get theirs);
 * added to a kept dataset that has none (`--reuse-db`), where the issuances get a queued render
 * that is not due, as the on-demand pool's. A SQL check of what the service maintains follows.
 */
import type { Client } from 'pg';
import type { EventActor } from '../../src/events';
import { copyInto, copyLine, type CopyValue } from './copy';
import type { Dataset } from './dataset';
import { actForFirstCompany, rngOf, TableLoad, timed } from './dataset-common';
import { EquityModel, EquityRefs, simulateEquity } from './dataset-equity-model';

const EQUITY_SEED = 20_260_515;

/** What the phases need of the equity plans (kept in `bench_meta` with the dataset). */
export interface EquityDataset {
  planIds: string[];
  /** The grant whose vesting schedule the `equity` phase reads: an option with an exercise. */
  vestingGrantId: string;
  counts: Record<string, number>;
}

export interface EquityLoad extends EquityRefs {
  /** Their issuances' certificates: made by the certificates step after this, or deferred. */
  certificates: 'later' | 'deferred';
}

const column = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Rows whose fields are the table's columns (camelCase, the same in every row), with COPY. */
async function copyRows(client: Client, table: string, rows: readonly object[]) {
  const fields = rows[0] ? Object.keys(rows[0]) : [];
  const lines = rows.map((row) =>
    copyLine(
      fields.map((field) => {
        const value = (row as Record<string, unknown>)[field];
        return value instanceof Date ? value.toISOString() : (value as CopyValue);
      }),
    ),
  );
  const stats = await copyInto(client, table, fields.map(column), lines);
  return { rows: stats.rows, copyBytes: stats.bytes };
}

/** The tables in the order of their foreign keys, each with its rows. */
function tablesOf(model: EquityModel): Array<[string, readonly object[]]> {
  return [
    ['vesting_terms', model.terms.map((t) => t.row)],
    ['stock_plan', model.plans],
    ['stock_plan_pool_adjustment', model.adjustments],
    ['equity_grant', model.grants.map((g) => g.grant)],
    ['issuance', model.grants.flatMap((g) => g.issuances)],
    ['equity_grant_transaction', model.grants.flatMap((g) => g.transactions)],
  ];
}

/** The class's outstanding total with the exercises' issuances, as the service keeps it. */
async function recountClass(client: Client, classId: string): Promise<number> {
  const result = await client.query(
    `UPDATE share_class c SET issued_shares = (SELECT COALESCE(sum(number_of_shares), 0) FROM issuance i
                                                WHERE i.company_id = c.company_id AND i.share_class_id = c.id
                                                  AND i.status = 'OUTSTANDING')
      WHERE c.company_id = app_first_company_id() AND c.id = $1`,
    [classId],
  );
  return result.rowCount ?? 0;
}

/** Queued renders that are not due, for issuances added after the certificates were made. */
async function deferRenders(client: Client, issuanceIds: string[], actor: EventActor) {
  const { rows } = await client.query<{ table: string | null }>(
    `SELECT to_regclass('certificate_request')::text AS table`,
  );
  if (!rows[0]?.table) return 0;
  const result = await client.query(
    `INSERT INTO certificate_request (company_id, issuance_id, requested_at, next_attempt_at, attempts, actor, request_id, issued_at)
     SELECT i.company_id, i.id, i.created_at, 'infinity', 0, $2::jsonb, i.request_id, i.created_at
       FROM issuance i WHERE i.company_id = app_first_company_id() AND i.id = ANY($1::uuid[])`,
    [issuanceIds, JSON.stringify(actor)],
  );
  return result.rowCount ?? 0;
}

function countsOf(model: EquityModel): Record<string, number> {
  const counts: Record<string, number> = {
    plans: model.plans.length,
    vestingTerms: model.terms.length,
    grants: model.grants.length,
    poolAdjustments: model.adjustments.length,
  };
  for (const { grant, transactions, issuances } of model.grants) {
    counts.issuances = (counts.issuances ?? 0) + issuances.length;
    counts[grant.compensationType] = (counts[grant.compensationType] ?? 0) + 1;
    for (const t of transactions) counts[t.kind] = (counts[t.kind] ?? 0) + 1;
  }
  return counts;
}

/**
 * An option grant with an exercise and no termination (its window open for years, so reading it
 * never records an expiration), else one without termination, else the first.
 */
function vestingGrantOf(model: EquityModel): string {
  const open = model.grants.filter((g) => !g.grant.terminatedOn);
  const exercised = open.find((g) => g.transactions.some((t) => t.kind === 'EXERCISE'));
  return (exercised ?? open[0] ?? model.grants[0]).grant.id;
}

/** What the service maintains, recomputed from the rows: how many rows break each (all 0). */
const CHECKS: Record<string, string> = {
  planTotals: `
    SELECT count(*) FROM stock_plan p
     WHERE p.committed_shares <> (SELECT coalesce(sum(g.quantity), 0) FROM equity_grant g
                                   WHERE g.company_id = p.company_id AND g.stock_plan_id = p.id)
                                - (SELECT coalesce(sum(t.returned_to_pool), 0) FROM equity_grant_transaction t
                                     JOIN equity_grant g ON g.company_id = t.company_id AND g.id = t.grant_id
                                    WHERE g.company_id = p.company_id AND g.stock_plan_id = p.id)
        OR p.shares_reserved <> coalesce((SELECT a.shares_reserved FROM stock_plan_pool_adjustment a
                                           WHERE a.company_id = p.company_id AND a.stock_plan_id = p.id
                                           ORDER BY a.date DESC LIMIT 1), p.initial_shares_reserved)`,
  datedPools: `
    WITH moves AS (
      SELECT company_id, stock_plan_id, grant_date AS day, quantity AS delta FROM equity_grant
      UNION ALL
      SELECT g.company_id, g.stock_plan_id, t.date, -t.returned_to_pool FROM equity_grant_transaction t
        JOIN equity_grant g ON g.company_id = t.company_id AND g.id = t.grant_id),
    days AS (
      SELECT company_id, stock_plan_id, day,
             sum(sum(delta)) OVER (PARTITION BY company_id, stock_plan_id ORDER BY day) AS committed
        FROM moves GROUP BY 1, 2, 3)
    SELECT count(*) FROM days d JOIN stock_plan p ON p.company_id = d.company_id AND p.id = d.stock_plan_id
     WHERE d.committed > coalesce((SELECT a.shares_reserved FROM stock_plan_pool_adjustment a
                                    WHERE a.company_id = p.company_id AND a.stock_plan_id = p.id AND a.date <= d.day
                                    ORDER BY a.date DESC LIMIT 1), p.initial_shares_reserved)`,
  grantCounters: `
    SELECT count(*) FROM equity_grant g
      CROSS JOIN LATERAL (
        SELECT coalesce(sum(t.quantity) FILTER (WHERE t.kind = 'EXERCISE'), 0) AS exercised,
               coalesce(sum(t.quantity) FILTER (WHERE t.kind = 'RELEASE'), 0) AS released,
               coalesce(sum(t.quantity) FILTER (WHERE t.kind IN ('CANCELLATION', 'TERMINATION', 'EXPIRATION')), 0) AS cancelled,
               max(t.date) FILTER (WHERE t.kind = 'TERMINATION') AS terminated,
               max(t.date) FILTER (WHERE t.kind = 'EXPIRATION') AS expired,
               coalesce(bool_and(t.date > g.grant_date AND t.recorded_at > g.created_at), true) AS ordered
          FROM equity_grant_transaction t WHERE t.company_id = g.company_id AND t.grant_id = g.id) t
     WHERE g.exercised_quantity <> t.exercised OR g.released_quantity <> t.released
        OR g.cancelled_quantity <> t.cancelled OR g.terminated_on IS DISTINCT FROM t.terminated
        OR g.expired_on IS DISTINCT FROM t.expired
        OR NOT t.ordered`,
  exerciseIssuances: `
    SELECT count(*) FROM equity_grant_transaction t
      JOIN equity_grant g ON g.company_id = t.company_id AND g.id = t.grant_id
      JOIN stock_plan p ON p.company_id = g.company_id AND p.id = g.stock_plan_id
      LEFT JOIN issuance i ON i.company_id = t.company_id AND i.id = t.resulting_security_id
     WHERE (t.kind IN ('EXERCISE', 'RELEASE')) <> (t.resulting_security_id IS NOT NULL)
        OR (t.resulting_security_id IS NOT NULL
            AND (i.id IS NULL OR i.shareholder_id <> g.shareholder_id OR i.share_class_id <> p.share_class_id
                 OR i.number_of_shares <> t.quantity OR i.date <> t.date OR i.status <> 'OUTSTANDING'
                 OR i.price <> coalesce(g.exercise_price, 0)
                 OR t.total_amount IS DISTINCT FROM CASE WHEN g.exercise_price IS NULL THEN NULL ELSE i.total_amount END))`,
};

/** Throws unless every check finds nothing. */
async function checkEquity(client: Client): Promise<void> {
  const found: Record<string, number> = {};
  for (const [name, text] of Object.entries(CHECKS)) {
    const { rows } = await client.query<{ count: string }>(text);
    found[name] = Number(rows[0]?.count ?? 0);
  }
  const broken = Object.entries(found).filter(([, n]) => n > 0);
  if (broken.length > 0)
    throw new Error(`equity plans check failed: ${JSON.stringify(Object.fromEntries(broken))}`);
  console.log(`[bench] equity plans checked: ${Object.keys(found).join(', ')} hold`);
}

/** Simulates and loads the equity plans; none when `grants` is 0. */
export async function loadEquity(
  client: Client,
  loads: TableLoad[],
  load: EquityLoad,
): Promise<EquityDataset | undefined> {
  if (load.grants === 0) return undefined;
  const model = (await timed(loads, 'equity plans simulated (grantVesting per event)', () => {
    const value = simulateEquity(rngOf(EQUITY_SEED), load);
    return Promise.resolve({ rows: value.grants.length, value });
  })) as EquityModel;
  await actForFirstCompany(client);
  for (const [table, rows] of tablesOf(model))
    await timed(
      loads,
      `${table}${table === 'issuance' ? ': exercises and releases' : ''} (COPY)`,
      () => copyRows(client, table, rows),
    );
  await timed(loads, 'share_class: Common outstanding total with the exercises', async () => ({
    rows: await recountClass(client, load.commonClassId),
  }));
  const issuanceIds = model.grants.flatMap((g) => g.issuances.map((i) => i.id));
  if (load.certificates === 'deferred')
    await timed(loads, 'certificate_request: the exercises’ renders, deferred', async () => ({
      rows: await deferRenders(client, issuanceIds, load.admin),
    }));
  await checkEquity(client);
  return {
    planIds: model.plans.map((p) => p.id),
    vestingGrantId: vestingGrantOf(model),
    counts: countsOf(model),
  };
}

/**
 * A kept dataset (`--reuse-db`) without equity plans gets them, then its statistics and its
 * `bench_meta` entry; one with them is left as it is. Answers the dataset.
 */
export async function ensureEquity(
  client: Client,
  data: Dataset,
  grants: number,
  admin: EventActor,
): Promise<Dataset> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM equity_grant WHERE company_id = app_first_company_id()`,
  );
  if ((rows[0]?.n ?? 0) > 0) {
    if (!data.equity) throw new Error('the kept dataset has grants the bench did not load');
    return data;
  }
  const loads: TableLoad[] = [];
  const equity = await loadEquity(client, loads, {
    calendar: { formation: Date.parse(data.firstDate), lastIssueDay: Date.parse(data.lastDate) },
    holderIds: data.holderIds,
    commonClassId: data.classIds[0],
    grants,
    admin,
    certificates: 'deferred',
  });
  await client.query(
    'VACUUM ANALYZE vesting_terms, stock_plan, stock_plan_pool_adjustment, equity_grant, equity_grant_transaction, issuance, share_class',
  );
  const updated: Dataset = { ...data, loads: [...data.loads, ...loads], equity };
  await client.query(`UPDATE bench_meta SET value = $1 WHERE key = 'dataset'`, [
    JSON.stringify(updated),
  ]);
  return updated;
}
