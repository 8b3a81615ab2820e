/**
 * What the `equity` phase checks and times beside its figures: that the API, the service's own
 * statements and the hand-written statement give the same fully diluted figures (shares held,
 * each holder's outstanding grants, each plan's pool), and how long the vesting schedule of the
 * phase's grant takes in TypeScript (`grantVesting`, in the bench process) from its stored rows.
 */
import type { Client } from 'pg';
import type { EquityGrantTransaction } from '../../../src/equity-plans/equity-grant-transaction.entity';
import type { EquityGrant } from '../../../src/equity-plans/equity-grant.entity';
import { grantVesting } from '../../../src/equity-plans/grant-vesting';
import type { VestingTermsOcf } from '../../../src/equity-plans/vesting/vesting-terms';
import type { BenchContext } from '../context';
import { measure } from '../measure';
import type { SqlStatement } from '../sql-limits';
import { summarize } from '../stats';

export interface FullyDiluted {
  positions: SqlStatement;
  /** The dilution repository's: holders, then pools. */
  dilution: SqlStatement[];
  /** The hand-written one statement (rows: kind, id, name, class, shares). */
  best: SqlStatement;
}

/** Shares held, outstanding grants per holder and available pool per plan. */
interface Figures {
  shares: bigint;
  grants: Map<string, bigint>;
  pools: Map<string, bigint>;
}

interface TableAnswer {
  holders?: Array<{ shareholder_id: string; options_and_rsus?: number }>;
  pool?: { plans: Array<{ stock_plan_id: string; available_shares: number }> };
  totals?: { issued_shares: number };
}

const total = (values: Iterable<bigint>): bigint => [...values].reduce((a, b) => a + b, 0n);

/** The API's answer for the admin, as figures. */
export async function apiFigures(ctx: BenchContext): Promise<Figures & { status: number }> {
  const token = await ctx.tokens.passwordGrant('admin');
  const response = await fetch(`${ctx.base}/api/cap-table?basis=fully_diluted`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as TableAnswer;
  const grants = (body.holders ?? [])
    .filter((h) => (h.options_and_rsus ?? 0) > 0)
    .map((h): [string, bigint] => [h.shareholder_id, BigInt(h.options_and_rsus ?? 0)]);
  const pools = (body.pool?.plans ?? []).map((p): [string, bigint] => [
    p.stock_plan_id,
    BigInt(p.available_shares),
  ]);
  return {
    status: response.status,
    shares: BigInt(body.totals?.issued_shares ?? -1),
    grants: new Map(grants),
    pools: new Map(pools),
  };
}

async function statementFigures(client: Client, { positions, dilution }: FullyDiluted) {
  const held = await client.query<{ shares: string }>(positions.text, positions.values);
  const [holders, pools] = await Promise.all(
    dilution.map((s) => client.query<Record<string, string>>(s.text, s.values)),
  );
  return {
    shares: total(held.rows.map((r) => BigInt(r.shares))),
    grants: new Map(holders?.rows.map((r) => [r.shareholder_id, BigInt(r.options)])),
    pools: new Map(pools?.rows.map((r) => [r.stock_plan_id, BigInt(r.available)])),
  };
}

async function bestFigures(client: Client, { best }: FullyDiluted): Promise<Figures> {
  const { rows } = await client.query<{ kind: string; id: string; shares: string }>(
    best.text,
    best.values,
  );
  const of = (kind: string) => rows.filter((r) => r.kind === kind);
  return {
    shares: total(of('position').map((r) => BigInt(r.shares))),
    grants: new Map(of('grants').map((r) => [r.id, BigInt(r.shares)])),
    pools: new Map(of('pool').map((r) => [r.id, BigInt(r.shares)])),
  };
}

const sameMap = (a: Map<string, bigint>, b: Map<string, bigint>): boolean =>
  a.size === b.size && [...a].every(([key, value]) => b.get(key) === value);

const sameAs = (a: Figures, b: Figures): boolean =>
  a.shares === b.shares && sameMap(a.grants, b.grants) && sameMap(a.pools, b.pools);

/** The three answers compared; the totals each gave. */
export async function sameFigures(client: Client, statements: FullyDiluted, api: Figures) {
  const service = await statementFigures(client, statements);
  const best = await bestFigures(client, statements);
  const totals = (f: Figures) => ({
    shares: Number(f.shares),
    holdersWithGrants: f.grants.size,
    grants: Number(total(f.grants.values())),
    pools: Number(total(f.pools.values())),
  });
  return {
    same: sameAs(service, best) && sameAs(service, api),
    api: totals(api),
    serviceSql: totals(service),
    oneStatement: totals(best),
  };
}

/** snake_case keys to camelCase (a row as `to_jsonb` gives it, as the entity names it). */
function camel<T>(row: Record<string, unknown>): T {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
      value,
    ]),
  ) as T;
}

/** The grant, its terms and its transactions as the service reads them. */
async function grantInputs(client: Client, grantId: string) {
  const grant = await client.query<{ row: Record<string, unknown> }>(
    'SELECT to_jsonb(g) AS row FROM equity_grant g WHERE id = $1',
    [grantId],
  );
  const row = camel<EquityGrant>(grant.rows[0]?.row ?? {});
  const terms = await client.query<VestingTermsOcf>(
    `SELECT name, description, allocation_type, vesting_conditions FROM vesting_terms WHERE id = $1`,
    [row.vestingTermsId],
  );
  const transactions = await client.query<{ row: Record<string, unknown> }>(
    `SELECT to_jsonb(t) AS row FROM equity_grant_transaction t WHERE grant_id = $1
      ORDER BY date, recorded_at, id`,
    [grantId],
  );
  return {
    grant: row,
    terms: terms.rows[0] ?? null,
    transactions: transactions.rows.map((t) => camel<EquityGrantTransaction>(t.row)),
  };
}

/** The schedule of the phase's grant computed in TypeScript, timed like a figure. */
export async function grantVestingTimer(ctx: BenchContext, grantId: string, asOf: string) {
  const { grant, terms, transactions } = await grantInputs(await ctx.apiDatabase(), grantId);
  const installments = grantVesting(grant, terms, transactions, asOf).schedule.length;
  ctx.ledger.equityVesting = { grantId, installments, transactions: transactions.length };
  const spec = {
    key: 'grant_vesting_ts',
    label: 'that grant’s schedule in TypeScript (grantVesting, bench process)',
    tool: 'node (in process)',
    connections: 1,
  };
  await measure(ctx, spec, (seconds) => {
    const latencies: number[] = [];
    const started = Date.now();
    while (Date.now() - started < seconds * 1000 || latencies.length < 3) {
      const t0 = process.hrtime.bigint();
      grantVesting(grant, terms, transactions, asOf);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const durationS = (Date.now() - started) / 1000;
    const latency = summarize(latencies);
    const ok = latencies.length;
    return Promise.resolve({ rps: ok / durationS, latency, ok, failed: 0, errors: 0 });
  });
}
