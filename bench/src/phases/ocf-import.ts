/**
 * The import half of phase `ocf`: the split company's own package (`GET
 * /api/companies/{id}/ocf/export` as the platform administrator: its holders and one security
 * each, about two objects per holder) posted to `POST /api/ocf/import`, which makes a new company
 * of it through the services; its time and objects per second, the new company's cap table against
 * the source's (the correctness check), then the same rows loaded with COPY (`ocf-copy.ts`) and
 * the ratio of the two times. The whole big company is not imported: at the services' few
 * milliseconds per object that would take far longer than the rest of the bench.
 */
import { request } from 'node:http';
import { RssSampler, sleep } from '../api-process';
import { BenchContext, log } from '../context';
import type { Dataset } from '../dataset';
import { deferPendingRenders } from '../dataset-certificates';
import { copyCompanyRows, notCopyable } from '../ocf-copy';
import { packageCountsOf, type PackageCounts } from '../ocf-zip';
import { oneShotFigure } from './one-shot';
import { maxPosition } from './outbox';

interface HttpAnswer {
  status: number;
  body: Buffer;
  seconds: number;
  startedAt: number;
}

/** One request with no client-side timeout but `timeoutMs` (an import may take minutes). */
function http(
  url: string,
  options: { method?: string; headers: Record<string, string>; body?: Buffer; timeoutMs: number },
): Promise<HttpAnswer> {
  const startedAt = Date.now();
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks),
            seconds: Number(process.hrtime.bigint() - t0) / 1e9,
            startedAt,
          }),
        );
      },
    );
    req.setTimeout(options.timeoutMs, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}

type Holdings = Record<string, Record<string, number>>;

/** The company's cap table today, holder by email, shares by class name. */
async function holdingsOf(ctx: BenchContext, token: string, companyId: string): Promise<Holdings> {
  const answer = await http(`${ctx.base}/api/companies/${companyId}/cap-table`, {
    headers: { authorization: `Bearer ${token}` },
    timeoutMs: 300_000,
  });
  if (answer.status !== 200) throw new Error(`cap table of ${companyId}: ${answer.status}`);
  const table = JSON.parse(answer.body.toString()) as {
    holders: Array<{
      shareholder_id: string;
      holdings: Array<{ share_class_name: string; shares: number }>;
    }>;
  };
  const { rows } = await ctx.database.query<{ id: string; email: string }>(
    'SELECT id::text AS id, email FROM shareholder WHERE company_id = $1',
    [companyId],
  );
  const emailOf = new Map(rows.map((row) => [row.id, row.email]));
  const result: Holdings = {};
  for (const holder of table.holders) {
    const row: Record<string, number> = {};
    for (const h of holder.holdings) if (h.shares) row[h.share_class_name] = h.shares;
    if (Object.keys(row).length > 0) result[String(emailOf.get(holder.shareholder_id))] = row;
  }
  return result;
}

/** Holders whose positions differ between the two tables (either side). */
function mismatches(a: Holdings, b: Holdings): number {
  const emails = new Set([...Object.keys(a), ...Object.keys(b)]);
  const same = (x?: Record<string, number>, y?: Record<string, number>) =>
    JSON.stringify(Object.entries(x ?? {}).sort()) ===
    JSON.stringify(Object.entries(y ?? {}).sort());
  return [...emails].filter((email) => !same(a[email], b[email])).length;
}

/** Until the relay has delivered the import's events, then its certificate renders deferred. */
async function settleImport(ctx: BenchContext, companyId: string, upTo: string): Promise<number> {
  const t0 = Date.now();
  const deadline = t0 + (ctx.opts.smoke ? 60 : 300) * 1000;
  for (;;) {
    const { rows } = await ctx.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox_event WHERE company_id = $1 AND position <= $2
          AND delivered_at IS NULL AND dead_lettered_at IS NULL`,
      [companyId, upTo],
    );
    if ((rows[0]?.n ?? 0) === 0 || Date.now() > deadline) break;
    await sleep(500);
  }
  const deferred = await deferPendingRenders(ctx.database);
  log(
    `the import's events delivered in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${deferred} renders deferred`,
  );
  return (Date.now() - t0) / 1000;
}

interface Imported {
  status: number;
  seconds: number;
  companyId: string;
  rssGrowth: number;
  imported: Record<string, number>;
  upTo: string;
}

async function postPackage(ctx: BenchContext, token: string, zip: Buffer): Promise<Imported> {
  const sampler = ctx.sampler as RssSampler;
  await sleep(500);
  const rssBefore = sampler.sample() ?? 0;
  const answer = await http(`${ctx.base}/api/ocf/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/zip' },
    body: zip,
    timeoutMs: 3_600_000,
  });
  const rssPeak = Math.max(rssBefore, sampler.peakBetween(answer.startedAt, Date.now()));
  const upTo = await maxPosition(ctx);
  const body = JSON.parse(answer.body.toString() || '{}') as {
    company_id?: string;
    imported?: Record<string, number>;
  };
  if (answer.status !== 201) {
    ctx.notes.push(`OCF import answered ${answer.status}: ${answer.body.toString().slice(0, 500)}`);
  }
  return {
    status: answer.status,
    seconds: answer.seconds,
    companyId: body.company_id ?? '',
    rssGrowth: rssPeak - rssBefore,
    imported: body.imported ?? {},
    upTo,
  };
}

/** The COPY of the imported rows, or why not (a note). */
async function copyLimit(ctx: BenchContext, run: Imported) {
  const why = await notCopyable(ctx, run.companyId, run.upTo);
  if (why) {
    ctx.notes.push(`OCF import: its rows were not loaded with COPY: ${why}`);
    return undefined;
  }
  const copy = await copyCompanyRows(ctx, run.companyId, run.upTo);
  log(`COPY of the same ${copy.rows} rows: ${copy.seconds.toFixed(2)} s`);
  ctx.figures.ocf_import_copy = oneShotFigure({
    key: 'ocf_import_copy',
    label: `COPY of the rows the import wrote (${copy.rows.toLocaleString('en')} rows, limit)`,
    seconds: copy.seconds,
    perSecond: copy.rows / copy.seconds,
    ok: true,
    note: 'rps = rows per second; COPY out of the imported company into the same tables under a fresh company id, one transaction, rolled back',
  });
  return copy;
}

function recordImport(ctx: BenchContext, counts: PackageCounts, run: Imported, extra: object) {
  ctx.figures.ocf_import = oneShotFigure({
    key: 'ocf_import',
    label: `POST /api/ocf/import, the split company's package (${counts.objects.toLocaleString('en')} objects)`,
    seconds: run.seconds,
    perSecond: counts.objects / run.seconds,
    ok: run.status === 201,
    note: 'rps = OCF objects (every file but the manifest) per second; p50/p95/p99 = the time of the import (one run)',
  });
  ctx.memory.ocfImportRssGrowth = run.rssGrowth;
  ctx.ledger.ocfImport = {
    status: run.status,
    companyId: run.companyId,
    seconds: run.seconds,
    objects: counts.objects,
    transactions: counts.transactions,
    objectsPerS: counts.objects / run.seconds,
    transactionsPerS: counts.transactions / run.seconds,
    items: counts.byFile,
    imported: run.imported,
    ...extra,
  };
}

export async function ocfImport(ctx: BenchContext, data: Dataset): Promise<void> {
  const source = data.splitCompany?.id;
  if (!source) return void ctx.notes.push('OCF import: the dataset has no split company');
  const token = await ctx.tokens.passwordGrant('admin');
  const headers = { authorization: `Bearer ${token}` };
  const exported = await http(`${ctx.base}/api/companies/${source}/ocf/export`, {
    headers,
    timeoutMs: 600_000,
  });
  if (exported.status !== 200) throw new Error(`the split company's export: ${exported.status}`);
  const counts = await packageCountsOf(exported.body);
  const run = await postPackage(ctx, token, exported.body);
  log(
    `OCF import: ${run.status}, ${counts.objects} objects (${counts.transactions} transactions) in ${run.seconds.toFixed(1)} s`,
  );
  // The import may outlast the token it was posted with.
  const fresh = await ctx.tokens.passwordGrant('admin');
  const before = await holdingsOf(ctx, fresh, source);
  // Nothing imported: every holder differs.
  if (run.status !== 201) {
    return recordImport(ctx, counts, run, { capTableMismatches: Object.keys(before).length });
  }
  const wrong = mismatches(before, await holdingsOf(ctx, fresh, run.companyId));
  if (wrong > 0)
    ctx.notes.push(`OCF import: the cap table differs from the source's for ${wrong} holders`);
  const settleS = await settleImport(ctx, run.companyId, run.upTo);
  const copy = await copyLimit(ctx, run);
  recordImport(ctx, counts, run, {
    sourceCompanyId: source,
    capTableMismatches: wrong,
    eventsDeliveredS: settleS,
    copy,
    importToCopy: copy ? run.seconds / copy.seconds : null,
  });
}
