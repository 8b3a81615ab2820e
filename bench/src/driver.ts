/**
 * The load driver: a child process of the orchestrator (never the API's process) that runs
 * autocannon, the plain-`pg` write ceiling and the raw Puppeteer ceiling on request, over IPC.
 */
import autocannon from 'autocannon';
import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { Client } from 'pg';
import type { Browser, Page } from 'puppeteer';
import type {
  DownloadResult,
  DownloadTask,
  DriverReply,
  DriverTask,
  HttpTask,
  PdfTask,
  PgWriteTask,
  ThroughputResult,
} from './driver-protocol';
import { summarize } from './stats';

function httpRun(task: HttpTask): Promise<ThroughputResult> {
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let ok = 0;
  let failed = 0;
  let bytes = 0;
  let pathIndex = 0;
  let bodyIndex = 0;
  const rotate = task.paths?.length || task.bodies?.length;
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: task.url,
        method: task.method ?? 'GET',
        headers: task.headers,
        connections: task.connections,
        duration: task.durationS,
        timeout: task.timeoutS ?? 30,
        requests: rotate
          ? [
              {
                setupRequest: (req) => {
                  const next = { ...req };
                  if (task.paths?.length) {
                    next.path = task.paths[pathIndex % task.paths.length];
                    pathIndex += 1;
                  }
                  if (task.bodies?.length) {
                    next.body = task.bodies[bodyIndex % task.bodies.length];
                    bodyIndex += 1;
                  }
                  return next;
                },
              },
            ]
          : undefined,
      },
      (error, result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        const endedAt = Date.now();
        const durationS = (endedAt - startedAt) / 1000;
        resolve({
          ok,
          failed,
          statusCounts,
          errors: result.errors,
          durationS,
          rps: ok / durationS,
          latency: summarize(latencies),
          startedAt,
          endedAt,
          bytes: ok + failed > 0 ? bytes / (ok + failed) : 0,
        });
      },
    );
    instance.on('response', (_client, statusCode: number, resBytes: number, time: number) => {
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
      bytes += resBytes;
      if (statusCode >= 200 && statusCode < 300) {
        ok += 1;
        latencies.push(time);
      } else {
        failed += 1;
      }
    });
  });
}

function download(task: DownloadTask): Promise<DownloadResult> {
  const startedAt = Date.now();
  const t0 = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - t0) / 1e9;
  return new Promise((resolve, reject) => {
    const req = request(task.url, { headers: task.headers }, (res) => {
      const ttfbS = seconds();
      let bytes = 0;
      let lines = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          bytes,
          lines,
          ttfbS,
          seconds: seconds(),
          startedAt,
          endedAt: Date.now(),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

async function pgWrite(task: PgWriteTask): Promise<ThroughputResult> {
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const clients = await Promise.all(
    Array.from({ length: task.connections }, async () => {
      const client = new Client({
        connectionString: task.databaseUrl,
        application_name: 'bench-db-ceiling',
      });
      await client.connect();
      return client;
    }),
  );
  const startedAt = Date.now();
  const deadline = startedAt + task.durationS * 1000;
  const worker = async (client: Client): Promise<void> => {
    while (Date.now() < deadline) {
      const t0 = process.hrtime.bigint();
      const issuanceId = randomUUID();
      const eventId = randomUUID();
      const holder = pick(task.holderIds);
      const shareClass = pick(task.classIds);
      const shares = 1 + Math.floor(Math.random() * 1000);
      const snapshot = JSON.stringify({
        id: issuanceId,
        shareholder_id: holder,
        share_class_id: shareClass,
        number_of_shares: shares,
        price: '1.2500',
        total_amount: (shares * 1.25).toFixed(4),
        currency: 'EUR',
        date: '2026-01-01',
      });
      const actor = JSON.stringify({
        sub: 'bench',
        name: 'admin',
        client_id: 'corporate-os-cli',
        roles: ['admin'],
      });
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO bench_scratch_issuance (id, shareholder_id, share_class_id, number_of_shares, price, total_amount, currency, date, created_by_sub, created_by, request_id)
           VALUES ($1, $2, $3, $4, $5, $6, 'EUR', CURRENT_DATE, 'bench', 'admin', $7)`,
          [issuanceId, holder, shareClass, shares, '1.2500', (shares * 1.25).toFixed(4), eventId],
        );
        await client.query(
          `INSERT INTO bench_scratch_outbox (id, type, aggregate_type, aggregate_id, payload, actor, request_id, occurred_at)
           VALUES ($1, 'issuance.created', 'issuance', $2, $3, $4, $5, now())`,
          [eventId, issuanceId, `{"before":null,"after":${snapshot}}`, actor, eventId],
        );
        await client.query(
          `INSERT INTO bench_scratch_audit (seq, occurred_at, recorded_at, actor_sub, actor_name, actor_client_id, actor_roles, action, entity_type, entity_id, before, after, request_id, ip, user_agent, outcome, source_event_id, search_text, prev_hash, hash)
           VALUES (nextval('bench_scratch_audit_seq'), now(), now(), 'bench', 'admin', 'corporate-os-cli', '{admin}', 'issuance.created', 'issuance', $1, NULL, $2, $3, '127.0.0.1', 'bench', 'success', $4, $5, $6, $7)`,
          [
            issuanceId,
            snapshot,
            eventId,
            eventId,
            `admin issuance.created issuance ${issuanceId} ${snapshot}`.toLowerCase(),
            randomBytes(32).toString('hex'),
            randomBytes(32).toString('hex'),
          ],
        );
        await client.query('COMMIT');
        ok += 1;
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch {
        failed += 1;
        await client.query('ROLLBACK').catch(() => undefined);
      }
    }
  };
  try {
    await Promise.all(clients.map(worker));
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
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
  };
}

let browser: Browser | undefined;
const pages: Page[] = [];

async function pdfRun(task: PdfTask): Promise<ThroughputResult> {
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
        await page.setContent(task.html, { waitUntil: 'load' });
        const pdf = await page.pdf({
          format: 'A4',
          landscape: true,
          printBackground: true,
          preferCSSPageSize: true,
          margin: { top: 0, right: 0, bottom: 0, left: 0 },
        });
        bytes = pdf.length;
        ok += 1;
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(pages.slice(0, task.concurrency).map(worker));
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

async function closeBrowser(): Promise<void> {
  const open = browser;
  browser = undefined;
  pages.length = 0;
  await open?.close().catch(() => open.process()?.kill('SIGKILL'));
}

async function handle(task: DriverTask): Promise<ThroughputResult | DownloadResult | null> {
  switch (task.kind) {
    case 'http':
      return httpRun(task);
    case 'download':
      return download(task);
    case 'pg-write':
      return pgWrite(task);
    case 'pdf':
      return pdfRun(task);
    case 'pdf-close':
      await closeBrowser();
      return null;
    case 'exit':
      await closeBrowser();
      setImmediate(() => process.exit(0));
      return null;
  }
}

async function answer(message: { id: number; task: DriverTask }): Promise<void> {
  let reply: DriverReply;
  try {
    reply = { id: message.id, ok: true, result: await handle(message.task) };
  } catch (error) {
    reply = {
      id: message.id,
      ok: false,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
  process.send?.(reply);
}

process.on('message', (message: { id: number; task: DriverTask }) => {
  void answer(message);
});

process.on('disconnect', () => {
  void closeBrowser().finally(() => process.exit(0));
});
