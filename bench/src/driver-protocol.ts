import type { LatencySummary } from './stats';

/** What the orchestrator asks the load-driver child process to do (over IPC). */
export type DriverTask =
  | HttpTask
  | DownloadTask
  | PgWriteTask
  | PgTransferTask
  | PdfTask
  | { kind: 'pdf-close' }
  | { kind: 'exit' };

/**
 * An autocannon run. `paths`/`bodies` rotate per request (each request takes the next one; with
 * as many bodies as paths, each path goes with its body).
 */
export interface HttpTask {
  kind: 'http';
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  paths?: string[];
  bodies?: string[];
  connections: number;
  durationS: number;
  timeoutS?: number;
  /** At most this many requests (the run ends early when they are sent): autocannon's maxOverallRequests. */
  maxRequests?: number;
}

/** One streamed GET, read to the end (exports). */
export interface DownloadTask {
  kind: 'download';
  url: string;
  headers: Record<string, string>;
  /** Also written to this file (the OCF export's zip, counted afterwards). */
  saveTo?: string;
}

/** The database ceiling: one issuance-, one audit- and one outbox-shaped insert per transaction. */
export interface PgWriteTask {
  kind: 'pg-write';
  databaseUrl: string;
  connections: number;
  durationS: number;
  holderIds: string[];
  classIds: string[];
}

/**
 * The ledger's database ceiling: per transaction, a transfer's writes into the scratch copies
 * (lock the security, spend it, the transaction row, its balance and resulting securities, three
 * outbox rows), each spending the next of `securityIds` (then the balances it created).
 */
export interface PgTransferTask {
  kind: 'pg-transfer';
  databaseUrl: string;
  connections: number;
  durationS: number;
  securityIds: string[];
  holderIds: string[];
}

/** Raw Puppeteer: one warm browser, `concurrency` reused pages, the same HTML printed to PDF. */
export interface PdfTask {
  kind: 'pdf';
  html: string;
  concurrency: number;
  durationS: number;
  chromiumPath: string;
  args: string[];
}

export interface ThroughputResult {
  /** Successful operations (2xx responses, committed transactions, PDFs). */
  ok: number;
  failed: number;
  statusCounts: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
  durationS: number;
  /** Successful operations per second. */
  rps: number;
  latency: LatencySummary;
  startedAt: number;
  endedAt: number;
  /** Bytes of the last PDF (pdf tasks) or average response bytes (http). */
  bytes?: number;
}

export interface DownloadResult {
  status: number;
  bytes: number;
  lines: number;
  ttfbS: number;
  seconds: number;
  startedAt: number;
  endedAt: number;
}

export type DriverReply =
  | { id: number; ok: true; result: ThroughputResult | DownloadResult | null }
  | { id: number; ok: false; error: string };
