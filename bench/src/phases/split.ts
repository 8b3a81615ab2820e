/**
 * Phase `split`: `POST /api/companies/{id}/share-classes/{id}/splits`, 2-for-1 today, of the split
 * company's class (one outstanding security per holder, each with its certificate): the time to
 * record it (one request: the class split, a reissuance per security, their events), then, polled
 * every 500 ms as the owner, until every reissued security has its certificate (up to
 * `--split-wait`): when the first one appeared, when the last did, and the drain rate in between,
 * beside raw Puppeteer's rate on 4 pages (the `certificates` phase).
 */
import { sleep } from '../api-process';
import { BenchContext, log } from '../context';
import type { Dataset } from '../dataset';
import type { SplitCompany } from '../dataset-split-company';
import { settleBackground } from './outbox';

interface SplitAnswer {
  id?: string;
  securities?: number;
  outstanding_before?: number;
  outstanding_after?: number;
  paid_out_entirely?: number;
}

async function recordSplit(ctx: BenchContext, company: SplitCompany) {
  const token = await ctx.tokens.passwordGrant('admin');
  const started = Date.now();
  const response = await fetch(
    `${ctx.base}/api/companies/${company.id}/share-classes/${company.classId}/splits`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        date: new Date().toISOString().slice(0, 10),
        numerator: 2,
        denominator: 1,
      }),
      signal: AbortSignal.timeout(600_000),
    },
  );
  const body = (await response.json().catch(() => ({}))) as SplitAnswer;
  return {
    status: response.status,
    body,
    recordedAt: Date.now(),
    recordS: (Date.now() - started) / 1000,
  };
}

/** Active certificates of the securities the split created. */
async function reissuedCertificates(ctx: BenchContext, companyId: string, splitId: string) {
  const { rows } = await ctx.database.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM stock_transaction t
       JOIN certificate c ON c.company_id = t.company_id AND c.issuance_id = ANY(t.resulting_security_ids)
      WHERE t.company_id = $1 AND t.split_transaction_id = $2 AND c.status = 'active'`,
    [companyId, splitId],
  );
  return rows[0]?.n ?? 0;
}

/** Polls until all `expected` certificates exist or `--split-wait` has passed. */
async function watchCertificates(
  ctx: BenchContext,
  company: SplitCompany,
  splitId: string,
  expected: number,
  from: number,
) {
  const deadline = from + ctx.opts.splitWaitS * 1000;
  let rendered = 0;
  let firstS: number | null = null;
  const timeline: Array<[number, number]> = [];
  while (rendered < expected && Date.now() < deadline) {
    await sleep(500);
    rendered = await reissuedCertificates(ctx, company.id, splitId);
    const at = (Date.now() - from) / 1000;
    if (rendered > 0) firstS ??= at;
    timeline.push([at, rendered]);
  }
  const watchedS = (Date.now() - from) / 1000;
  const allS = rendered >= expected ? watchedS : null;
  const window = firstS === null ? 0 : watchedS - firstS;
  const drainRatePerS = rendered > 1 && window > 0 ? (rendered - 1) / window : 0;
  return {
    expected,
    rendered,
    firstS,
    allS,
    watchedS,
    drainRatePerS,
    projectedAllS:
      allS ?? (drainRatePerS > 0 ? watchedS + (expected - rendered) / drainRatePerS : null),
    timeline: timeline.filter((_, i) => i % 10 === 0 || i === timeline.length - 1),
  };
}

export async function split(ctx: BenchContext, data: Dataset): Promise<void> {
  const company = data.splitCompany;
  if (!company) {
    ctx.notes.push('the dataset has no split company (an older bench kept it): split skipped');
    return;
  }
  await ctx.phase('split', async () => {
    await settleBackground(ctx, 'split');
    const recorded = await recordSplit(ctx, company).catch((error: unknown) => {
      ctx.notes.push(`the split did not answer: ${String(error)}`);
      return null;
    });
    if (!recorded) return;
    const { body } = recorded;
    log(
      `split of ${company.holders} holders' class: ${recorded.status} in ${recorded.recordS.toFixed(2)} s (${body.securities ?? '?'} securities)`,
    );
    const record: Record<string, unknown> = {
      status: recorded.status,
      recordS: recorded.recordS,
      ...body,
    };
    ctx.ledger.split = record;
    if (recorded.status !== 201 || !body.id) {
      ctx.notes.push(`the split was not recorded: ${recorded.status} ${JSON.stringify(body)}`);
      return;
    }
    if (!ctx.certificatesPresent) return;
    const expected = (body.securities ?? 0) - (body.paid_out_entirely ?? 0);
    const certificates = await watchCertificates(
      ctx,
      company,
      body.id,
      expected,
      recorded.recordedAt,
    );
    record.certificates = certificates;
    log(
      `split certificates: ${certificates.rendered} of ${expected} after ${certificates.watchedS.toFixed(0)} s (first after ${certificates.firstS?.toFixed(1) ?? '-'} s, ${certificates.drainRatePerS.toFixed(1)}/s)`,
    );
    if (certificates.allS === null) {
      ctx.notes.push(
        `split: ${expected - certificates.rendered} reissued certificates not rendered within ${ctx.opts.splitWaitS} s (--split-wait)`,
      );
    }
  });
}
