/**
 * The load driver: a child process of the orchestrator (never the API's process) that runs
 * autocannon, the plain-`pg` write ceilings and the raw Puppeteer ceiling on request, over IPC.
 */
import { download, httpRun } from './driver-http';
import { closeBrowser, pdfRun } from './driver-pdf';
import { pgWrite } from './driver-pg';
import { pgTransfer } from './driver-pg-transfer';
import type { DownloadResult, DriverReply, DriverTask, ThroughputResult } from './driver-protocol';

async function handle(task: DriverTask): Promise<ThroughputResult | DownloadResult | null> {
  switch (task.kind) {
    case 'http':
      return httpRun(task);
    case 'download':
      return download(task);
    case 'pg-write':
      return pgWrite(task);
    case 'pg-transfer':
      return pgTransfer(task);
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
