/**
 * Phase `certificates` (when the certificates module is there): raw Puppeteer printing the
 * certificate page on 1 and 4 reused pages, then the API rendering never-rendered issuances on
 * demand at concurrency 1 and 4.
 */
import type { BenchContext } from '../context';
import type { Dataset } from '../dataset';
import { http, measure } from '../measure';
import { certificatePage } from './certificate-page';
import { waitForOutboxIdle } from './outbox';

const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

async function rawPuppeteer(ctx: BenchContext, companyName: string): Promise<void> {
  const { html, source } = await certificatePage(companyName, ctx.notes);
  ctx.writes.certificateTemplate = source;
  for (const concurrency of [1, 4]) {
    const key = `pdf_raw_c${concurrency}`;
    const label = `Raw Puppeteer PDF, ${concurrency} page(s) (limit)`;
    await measure(ctx, { key, label, tool: 'puppeteer', connections: concurrency }, (seconds) =>
      ctx.load.pdf({
        html,
        concurrency,
        durationS: seconds,
        chromiumPath: ctx.opts.chromiumPath,
        args: CHROMIUM_FLAGS,
      }),
    );
  }
  await ctx.load.closeBrowser();
}

async function onDemand(ctx: BenchContext, data: Dataset): Promise<void> {
  const offset = { value: 0 };
  const paths = data.certificateIssuanceIds.map((id) => `/api/issuances/${id}/certificate/`);
  for (const concurrency of [1, 4]) {
    await http(
      ctx,
      `certificates_c${concurrency}`,
      `GET /api/issuances/{id}/certificate/ (render), ${concurrency} conn`,
      ctx.base,
      { paths, user: 'admin', connections: concurrency, pathOffset: offset },
    );
  }
  ctx.writes.certificatesRenderedOnDemand = offset.value;
}

export async function certificates(ctx: BenchContext, data: Dataset): Promise<void> {
  if (!ctx.certificatesPresent) {
    ctx.notes.push(
      'certificates module not present (no certificate table or route): certificate figures skipped',
    );
    return;
  }
  await ctx.phase('certificates', async () => {
    await rawPuppeteer(ctx, data.companyName);
    await onDemand(ctx, data);
  });
  await waitForOutboxIdle(ctx, ctx.opts.smoke ? 20 : 60);
}
