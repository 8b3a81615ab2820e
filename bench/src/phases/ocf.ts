/**
 * Phase `ocf`: the Open Cap Format package out and in. First the export of the big company
 * (`GET /api/companies/{id}/ocf/export`, as the auditor), streamed to the end by the driver and
 * saved to a scratch file whose items are counted afterwards: its time and the API's RSS growth
 * (peak during the export minus RSS just before it). Then the import of the split company's
 * package into a new company, beside COPY of the same rows (`phases/ocf-import.ts`).
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RssSampler, sleep } from '../api-process';
import { BenchContext, log } from '../context';
import type { Dataset } from '../dataset';
import { packageCountsOfFile, type PackageCounts } from '../ocf-zip';
import { ocfImport } from './ocf-import';
import { oneShotFigure } from './one-shot';

interface ExportResult {
  status: number;
  seconds: number;
  ttfbS: number;
  bytes: number;
  rssBefore: number;
  rssPeak: number;
  rssGrowth: number;
  counts: PackageCounts;
}

async function bigCompanyId(ctx: BenchContext): Promise<string> {
  const { rows } = await ctx.database.query<{ id: string }>(
    'SELECT app_first_company_id()::text AS id',
  );
  return rows[0]?.id ?? '';
}

async function exportBigCompany(ctx: BenchContext, companyId: string): Promise<ExportResult> {
  const sampler = ctx.sampler as RssSampler;
  const token = await ctx.tokens.passwordGrant('auditor');
  const saveTo = join(tmpdir(), `bench-ocf-export-${process.pid}.zip`);
  try {
    await sleep(500);
    const rssBefore = sampler.sample() ?? 0;
    const result = await ctx.load.download({
      url: `${ctx.base}/api/companies/${companyId}/ocf/export`,
      headers: { authorization: `Bearer ${token}` },
      saveTo,
    });
    await sleep(300);
    const rssPeak = Math.max(rssBefore, sampler.peakBetween(result.startedAt, Date.now()));
    if (result.status !== 200) throw new Error(`the OCF export answered ${result.status}`);
    const counts = await packageCountsOfFile(saveTo);
    const { status, seconds, ttfbS, bytes } = result;
    return {
      status,
      seconds,
      ttfbS,
      bytes,
      rssBefore,
      rssPeak,
      rssGrowth: rssPeak - rssBefore,
      counts,
    };
  } finally {
    rmSync(saveTo, { force: true });
  }
}

async function measureExport(ctx: BenchContext): Promise<void> {
  const companyId = await bigCompanyId(ctx);
  const run = await exportBigCompany(ctx, companyId);
  const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
  log(
    `OCF export of the big company: ${run.counts.transactions} transactions, ${run.counts.objects} objects, ${mb(run.bytes)} MB in ${run.seconds.toFixed(1)} s (first byte ${run.ttfbS.toFixed(2)} s), RSS +${mb(run.rssGrowth)} MB`,
  );
  ctx.figures.ocf_export = oneShotFigure({
    key: 'ocf_export',
    label: `GET /api/companies/{id}/ocf/export, the big company (${run.counts.transactions.toLocaleString('en')} transactions)`,
    seconds: run.seconds,
    perSecond: run.counts.objects / run.seconds,
    ok: run.status === 200,
    note: 'rps = OCF objects (every file but the manifest) per second; p50/p95/p99 = the time of the whole export (one run)',
  });
  ctx.memory.ocfExportRssGrowth = run.rssGrowth;
  ctx.memory.ocfExportRssPeak = run.rssPeak;
  ctx.ledger.ocfExport = {
    companyId,
    seconds: run.seconds,
    ttfbS: run.ttfbS,
    megabytes: run.bytes / 1048576,
    transactions: run.counts.transactions,
    objects: run.counts.objects,
    items: run.counts.byFile,
    rssBefore: run.rssBefore,
    rssPeak: run.rssPeak,
  };
}

/** Phase `ocf`: the big company's export. */
export async function ocf(ctx: BenchContext): Promise<void> {
  await ctx.phase('ocf', () => measureExport(ctx));
}

/** Phase `ocf-import`: the split company's export imported into a new company. */
export async function ocfImportPhase(ctx: BenchContext, data: Dataset): Promise<void> {
  await ctx.phase('ocf-import', () => ocfImport(ctx, data));
}
