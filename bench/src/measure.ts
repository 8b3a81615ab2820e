/**
 * How a figure is measured: a warm-up, then `--runs` measured runs of `--duration` seconds; each
 * statistic is the median over the runs, and every non-2xx answer, failed transaction or render
 * counts as a failure.
 */
import type { Client } from 'pg';
import { BenchContext, log } from './context';
import type { ThroughputResult } from './driver-protocol';
import type { BenchUser } from './keycloak';
import type { Figure } from './report';
import { SqlStatement, timeSql } from './sql-limits';
import { median, type LatencySummary } from './stats';

export interface RunResult {
  rps: number;
  latency: LatencySummary;
  ok: number;
  failed: number;
  errors: number;
  statusCounts?: Record<string, number>;
}

export interface FigureSpec {
  key: string;
  label: string;
  /** What produced the load: autocannon, pg, puppeteer. */
  tool: string;
  connections: number;
}

type MeasuredRun = (seconds: number, warmup: boolean) => Promise<RunResult>;

function figureOf(spec: FigureSpec, perRun: Figure['perRun'], failures: number): Figure {
  return {
    ...spec,
    runs: perRun.length,
    rps: median(perRun.map((r) => r.rps)),
    p50: median(perRun.map((r) => r.p50)),
    p95: median(perRun.map((r) => r.p95)),
    p99: median(perRun.map((r) => r.p99)),
    failures,
    perRun,
  };
}

/** Warm-up, then `runs` measured runs; the figure is stored under its key and answered. */
export async function measure(
  ctx: BenchContext,
  spec: FigureSpec,
  run: MeasuredRun,
  options: { warmup?: boolean; runs?: number } = {},
): Promise<Figure> {
  const { opts } = ctx;
  if (options.warmup !== false && opts.warmupSeconds > 0) await run(opts.warmupSeconds, true);
  const perRun: Figure['perRun'] = [];
  let failures = 0;
  const statusCounts: Record<string, number> = {};
  for (let i = 0; i < (options.runs ?? opts.runs); i += 1) {
    const result = await run(opts.runSeconds, false);
    failures += result.failed + result.errors;
    for (const [code, n] of Object.entries(result.statusCounts ?? {})) {
      statusCounts[code] = (statusCounts[code] ?? 0) + n;
    }
    const { p50, p95, p99 } = result.latency;
    perRun.push({
      rps: result.rps,
      p50,
      p95,
      p99,
      ok: result.ok,
      failed: result.failed + result.errors,
    });
  }
  const figure = figureOf(spec, perRun, failures);
  if (failures > 0) {
    figure.note = `failures: ${JSON.stringify(statusCounts)}`;
    ctx.notes.push(
      `${spec.label}: ${failures} failed requests/operations ${JSON.stringify(statusCounts)}`,
    );
  }
  ctx.figures[spec.key] = figure;
  log(
    `${spec.label}: ${figure.rps.toFixed(1)}/s p50 ${figure.p50.toFixed(2)} ms p95 ${figure.p95.toFixed(2)} ms p99 ${figure.p99.toFixed(2)} ms${failures ? ` (${failures} failures)` : ''}`,
  );
  return figure;
}

export interface HttpLoad {
  paths: string[];
  user?: BenchUser;
  bearer?: () => string;
  method?: 'GET' | 'POST';
  bodies?: string[];
  connections: number;
  /** Walks through `paths` across runs (each path used once), e.g. never-rendered certificates. */
  pathOffset?: { value: number };
  /**
   * With `pathOffset`: a path may be used once only (e.g. a transfer spends its security), so
   * each run, the warm-up too, sends at most its share of the paths left and ends early when it
   * has; `bodies`, as many as `paths`, go with their paths.
   */
  once?: boolean;
}

/** How much of the pool a run may use: its share of what is left, less what is in flight. */
function shareOf(load: HttpLoad, left: number, runsLeft: number): number | undefined {
  if (!load.once) return undefined;
  return Math.max(load.connections, Math.floor(left / Math.max(1, runsLeft)) - load.connections);
}

/** An autocannon figure against `base`; a fresh token per run (they live 300 s). */
export function http(
  ctx: BenchContext,
  key: string,
  label: string,
  base: string,
  load: HttpLoad,
): Promise<Figure> {
  const spec = { key, label, tool: 'autocannon', connections: load.connections };
  let runsLeft = (ctx.opts.warmupSeconds > 0 ? 1 : 0) + ctx.opts.runs;
  return measure(ctx, spec, async (seconds) => {
    const token = load.user ? await ctx.tokens.passwordGrant(load.user) : load.bearer?.();
    const offset = load.pathOffset?.value ?? 0;
    const paths = offset > 0 ? load.paths.slice(offset) : load.paths;
    const bodies = load.once && offset > 0 ? load.bodies?.slice(offset) : load.bodies;
    const maxRequests = shareOf(load, paths.length, runsLeft);
    runsLeft -= 1;
    const result: ThroughputResult = await ctx.load.http({
      url: `${base}${paths[0] ?? '/'}`,
      method: load.method ?? 'GET',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(load.bodies ? { 'content-type': 'application/json' } : {}),
      },
      paths: paths.length > 1 || load.once ? paths : undefined,
      bodies,
      connections: load.connections,
      durationS: seconds,
      maxRequests,
    });
    if (load.pathOffset) {
      load.pathOffset.value += result.ok + result.failed + result.errors + load.connections;
      if (load.pathOffset.value >= load.paths.length) {
        ctx.notes.push(`${label}: the pool of ${load.paths.length} paths ran out`);
      }
    }
    return result;
  });
}

/**
 * The statement run back to back through `pg`, as the API's role: for the first company, or on
 * `client` (another company, another database).
 */
export function sql(
  ctx: BenchContext,
  key: string,
  label: string,
  statement: SqlStatement,
  client?: Client,
): Promise<Figure> {
  return measure(ctx, { key, label, tool: 'pg (direct)', connections: 1 }, async (seconds) => {
    const timing = await timeSql(client ?? (await ctx.apiDatabase()), statement, seconds);
    return { ...timing, failed: 0, errors: 0 };
  });
}
