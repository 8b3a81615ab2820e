/** Raw Puppeteer: one warm browser, reused pages, the same HTML printed to PDF back to back. */
import type { Browser, Page } from 'puppeteer';
import type { PdfTask, ThroughputResult } from './driver-protocol';
import { summarize } from './stats';

let browser: Browser | undefined;
const pages: Page[] = [];

async function openPages(task: PdfTask): Promise<Page[]> {
  if (!browser) {
    const { launch } = await import('puppeteer');
    browser = await launch({
      executablePath: task.chromiumPath,
      headless: true,
      pipe: true,
      args: task.args,
    });
  }
  while (pages.length < task.concurrency) pages.push(await browser.newPage());
  return pages.slice(0, task.concurrency);
}

/** The certificate's print settings: A4 landscape, backgrounds, the page's own size, no margin. */
async function printOnce(page: Page, html: string): Promise<number> {
  await page.setContent(html, { waitUntil: 'load' });
  const pdf = await page.pdf({
    format: 'A4',
    landscape: true,
    printBackground: true,
    preferCSSPageSize: true,
    margin: { top: 0, right: 0, bottom: 0, left: 0 },
  });
  return pdf.length;
}

export async function pdfRun(task: PdfTask): Promise<ThroughputResult> {
  const workers = await openPages(task);
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let bytes = 0;
  const startedAt = Date.now();
  const deadline = startedAt + task.durationS * 1000;
  const worker = async (page: Page): Promise<void> => {
    while (Date.now() < deadline) {
      const t0 = process.hrtime.bigint();
      try {
        bytes = await printOnce(page, task.html);
        ok += 1;
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(workers.map(worker));
  const endedAt = Date.now();
  const durationS = (endedAt - startedAt) / 1000;
  return {
    ok,
    failed,
    statusCounts: {},
    errors: 0,
    durationS,
    rps: ok / durationS,
    latency: summarize(latencies),
    startedAt,
    endedAt,
    bytes,
  };
}

export async function closeBrowser(): Promise<void> {
  const open = browser;
  browser = undefined;
  pages.length = 0;
  await open?.close().catch(() => open.process()?.kill('SIGKILL'));
}
