/**
 * `npm run bench`: loads a realistic dataset, starts the API as its own process, measures it with
 * real Keycloak tokens from a separate load-driver process, measures the limits of the same
 * machine in the same run (bare NestJS on Fastify, + RS256, plain pg writes, the service's SQL,
 * raw Puppeteer), and writes the report under bench-results/. See bench/README.md.
 *
 * The phases are in `phases/` (in the order of `phases/index.ts`), the run in `orchestrator.ts`,
 * the report's comparisons and targets in `targets.ts`.
 */
import 'reflect-metadata';
import { BenchContext, log } from './context';
import { parseOptions } from './options';
import { runBench } from './orchestrator';
import { writeReport } from './report';

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const ctx = new BenchContext(opts);
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping what the bench started`);
    void ctx.cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const report = await runBench(ctx);
    const files = writeReport(opts.outDir, report, ctx.rssSamples);
    log(`report written: ${files.slice(0, 4).join(', ')}`);
    const failed = report.comparisons.filter((c) => c.pass === false).map((c) => c.id);
    log(
      `targets: ${report.comparisons.filter((c) => c.pass === true).length} pass, ${failed.length} fail${failed.length ? ` (${failed.join(', ')})` : ''}`,
    );
    log(`total ${report.durationS.toFixed(0)} s`);
  } finally {
    await ctx.cleanup();
  }
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(
      '[bench] failed:',
      error instanceof Error ? (error.stack ?? error.message) : error,
    );
    process.exit(1);
  });
