/**
 * One bench run: the dataset, the phases in order (the API started after the framework
 * ceilings), then the report's content, with its comparisons evaluated from `targets.ts`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { compare } from './comparisons';
import { BenchContext } from './context';
import type { CpuShares } from './cpu-monitor';
import type { Dataset } from './dataset';
import { Driver } from './driver-client';
import { gitState, machineInfo } from './machine';
import { PHASES } from './phases';
import type { BenchReport } from './report';
import { actorsOf, prepareDataset, tableSizes } from './setup';
import { startApi } from './start-api';
import { TARGETS } from './targets';

async function runPhases(ctx: BenchContext, data: Dataset): Promise<void> {
  const wanted = PHASES.filter((phase) => ctx.wants(phase.name));
  for (const phase of wanted.filter((p) => p.beforeApi)) await phase.run(ctx, data);
  await startApi(ctx);
  for (const phase of wanted.filter((p) => !p.beforeApi)) await phase.run(ctx, data);
}

/** Phases during which other processes used a quarter of a core or more. */
function noteNoisyPhases(ctx: BenchContext, cpu: Record<string, CpuShares>, cores: unknown): void {
  for (const [phase, shares] of Object.entries(cpu)) {
    if (shares.foreign >= 0.25 && phase !== 'load' && phase !== 'start') {
      ctx.notes.push(
        `noisy machine during "${phase}": other processes used ${shares.foreign} of ${String(cores)} cores on average; figures of that phase are less reliable`,
      );
    }
  }
}

function summariseMemory(ctx: BenchContext): void {
  ctx.sampler?.stop();
  const peak = ctx.sampler?.peak();
  ctx.memory.apiPeakRss = peak?.rss;
  ctx.memory.apiTreePeakRss = peak?.tree;
  const perPhase: Record<string, number> = {};
  for (const s of ctx.rssSamples) perPhase[s.phase] = Math.max(perPhase[s.phase] ?? 0, s.rss);
  ctx.memory.apiPeakRssByPhase = perPhase;
}

function configOf(ctx: BenchContext): Record<string, unknown> {
  const { opts } = ctx;
  return {
    runs: opts.runs,
    runSeconds: opts.runSeconds,
    warmupSeconds: opts.warmupSeconds,
    readConnections: opts.readConnections,
    writeConnections: opts.writeConnections,
    latencyConnections: opts.latencyConnections,
    database: opts.dbName,
    apiEnvOverrides: {
      LOG_LEVEL: 'warn',
      DB_MIGRATE_ON_START: 'false',
      THROTTLE_LIMIT:
        '10000000 (the per-principal rate limit would otherwise cap one token at 20 req/s)',
      THROTTLE_TTL_MS:
        '1000 (the in-memory throttler keeps one timestamp per hit in the window and filters them on every request: a 1 s window keeps that list as short as the default 1,200/min limit does)',
      fromCommandLine: opts.apiEnv,
      everythingElse:
        'defaults (DATABASE_POOL_SIZE 10, OUTBOX_* defaults, CERTIFICATE_RENDER_CONCURRENCY 4)',
    },
  };
}

interface RunFacts {
  started: number;
  machine: Record<string, unknown>;
  data: Dataset;
  migrationsS: number;
  tableSizes: Record<string, string>;
  cpu: Record<string, CpuShares>;
}

function reportOf(ctx: BenchContext, facts: RunFacts): BenchReport {
  const { opts } = ctx;
  const { started, data } = facts;
  const results = {
    figures: ctx.figures,
    plans: ctx.plans,
    writes: ctx.writes,
    memory: ctx.memory,
    ledger: ctx.ledger,
    certificatesPresent: ctx.certificatesPresent,
    opts: {
      deepPages: opts.deepPages,
      exportEntries: opts.exportEntries,
      companies: (data.smallCompanyIds ?? []).length,
      splitHolders: data.splitCompany?.holders ?? 0,
    },
  };
  return {
    schema: 1,
    mode: opts.smoke ? 'smoke' : 'full',
    date: new Date(started).toISOString(),
    command: opts.command,
    durationS: (Date.now() - started) / 1000,
    machine: facts.machine,
    git: gitState(),
    config: configOf(ctx),
    dataset: {
      sizes: { ...opts.sizes },
      migrationsS: facts.migrationsS,
      loads: data.loads,
      loadS: data.totalSeconds,
      tableSizes: facts.tableSizes,
      ledger: data.ledgerCounts ?? {},
    },
    certificatesPresent: ctx.certificatesPresent,
    figures: ctx.figures,
    comparisons: compare(TARGETS, results),
    plans: ctx.plans,
    writes: ctx.writes,
    memory: ctx.memory,
    chain: ctx.chain,
    ledger: ctx.ledger,
    cpu: facts.cpu,
    rssTimeline: ctx.rssSamples
      .filter((_, i, all) => i % Math.max(1, Math.floor(all.length / 2000)) === 0)
      .map((s) => [s.t - started, s.rss, s.phase]),
    notes: ctx.notes,
  };
}

export async function runBench(ctx: BenchContext): Promise<BenchReport> {
  const started = Date.now();
  mkdirSync(join(ctx.opts.outDir, 'logs'), { recursive: true });
  const machine = await machineInfo(ctx.opts);
  // Tokens first: the subjects of the real users go into the dataset.
  const actors = actorsOf(await ctx.tokens.all());
  const { data, migrationsS } = await prepareDataset(ctx, actors);
  const sizes = await tableSizes(ctx);
  ctx.driver = new Driver();
  ctx.onCleanup(() => ctx.load.stop());
  await runPhases(ctx, data);
  await ctx.cpu?.stop();
  const cpu = ctx.cpu?.summary() ?? {};
  noteNoisyPhases(ctx, cpu, machine.cores);
  summariseMemory(ctx);
  return reportOf(ctx, { started, machine, data, migrationsS, tableSizes: sizes, cpu });
}
