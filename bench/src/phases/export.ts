/**
 * Phase `export`: the audit CSV export of a window of `exportEntries` entries, streamed to the end
 * by the driver; the figure is its time, and the memory target is the API's RSS growth during it
 * (peak during the export minus RSS just before it).
 */
import { RssSampler, sleep } from '../api-process';
import { BenchContext, log } from '../context';
import type { Dataset } from '../dataset';
import type { Figure } from '../report';
import { median } from '../stats';

interface ExportRun {
  seconds: number;
  rows: number;
  bytes: number;
  growth: number;
  before: number;
  peak: number;
}

async function exportOnce(ctx: BenchContext, path: string): Promise<ExportRun> {
  const sampler = ctx.sampler as RssSampler;
  const token = await ctx.tokens.passwordGrant('auditor');
  await sleep(500);
  const before = sampler.sample() ?? 0;
  const result = await ctx.load.download({
    url: `${ctx.base}${path}`,
    headers: { authorization: `Bearer ${token}` },
  });
  await sleep(300);
  const peak = Math.max(before, sampler.peakBetween(result.startedAt, Date.now()));
  if (result.status !== 200) throw new Error(`audit export answered ${result.status}`);
  log(
    `audit export: ${result.lines - 1} rows, ${(result.bytes / 1048576).toFixed(1)} MB in ${result.seconds.toFixed(2)} s, RSS +${((peak - before) / 1048576).toFixed(1)} MB`,
  );
  const rows = result.lines - 1;
  return {
    seconds: result.seconds,
    rows,
    bytes: result.bytes,
    growth: peak - before,
    before,
    peak,
  };
}

function exportFigure(runs: ExportRun[], entries: number): Figure {
  const times = runs.map((r) => r.seconds * 1000);
  return {
    key: 'audit_export',
    label: `GET /api/audit/export?format=csv (${entries.toLocaleString('en')} entries)`,
    tool: 'http (one request)',
    connections: 1,
    runs: runs.length,
    rps: median(runs.map((r) => r.rows / r.seconds)),
    p50: median(times),
    p95: Math.max(...times),
    p99: Math.max(...times),
    failures: runs.filter((r) => r.rows !== entries).length,
    perRun: runs.map((r) => ({
      rps: r.rows / r.seconds,
      p50: r.seconds * 1000,
      p95: r.seconds * 1000,
      p99: r.seconds * 1000,
      ok: r.rows,
      failed: 0,
    })),
    note: 'rps = rows per second; p50 = median time of the whole export, p95/p99 = slowest run',
  };
}

export async function auditExport(ctx: BenchContext, data: Dataset): Promise<void> {
  await ctx.phase('export', async () => {
    const w = data.exportWindow;
    const query = new URLSearchParams({ format: 'csv', from: w.from, to: w.to });
    const path = `/api/audit/export?${query.toString()}`;
    const runs: ExportRun[] = [];
    for (let i = 0; i < ctx.opts.runs; i += 1) runs.push(await exportOnce(ctx, path));
    ctx.figures.audit_export = exportFigure(runs, w.entries);
    ctx.writes.export = { window: w, runs };
    ctx.memory.exportRssGrowthMax = Math.max(...runs.map((r) => r.growth));
    ctx.memory.exportRssPeak = Math.max(...runs.map((r) => r.peak));
    if (runs.some((r) => r.rows !== w.entries)) {
      ctx.notes.push(
        `audit export returned ${runs.map((r) => r.rows).join('/')} rows, expected ${w.entries}`,
      );
    }
  });
}
