import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type {
  DownloadResult,
  DownloadTask,
  DriverReply,
  DriverTask,
  HttpTask,
  PdfTask,
  PgTransferTask,
  PgWriteTask,
  ThroughputResult,
} from './driver-protocol';

/** The orchestrator's handle on the load-driver child process. */
export class Driver {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();

  constructor() {
    this.child = fork(join(__dirname, 'driver.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, TS_NODE_PROJECT: join(__dirname, '..', '..', 'tsconfig.json') },
    });
    this.child.on('message', (reply: DriverReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(`driver: ${reply.error}`));
    });
    this.child.on('exit', (code, signal) => {
      for (const waiter of this.pending.values()) {
        waiter.reject(new Error(`the load driver exited (${code ?? signal})`));
      }
      this.pending.clear();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private send(task: DriverTask): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, task });
    });
  }

  http(task: Omit<HttpTask, 'kind'>): Promise<ThroughputResult> {
    return this.send({ kind: 'http', ...task }) as Promise<ThroughputResult>;
  }

  download(task: Omit<DownloadTask, 'kind'>): Promise<DownloadResult> {
    return this.send({ kind: 'download', ...task }) as Promise<DownloadResult>;
  }

  pgWrite(task: Omit<PgWriteTask, 'kind'>): Promise<ThroughputResult> {
    return this.send({ kind: 'pg-write', ...task }) as Promise<ThroughputResult>;
  }

  pgTransfer(task: Omit<PgTransferTask, 'kind'>): Promise<ThroughputResult> {
    return this.send({ kind: 'pg-transfer', ...task }) as Promise<ThroughputResult>;
  }

  pdf(task: Omit<PdfTask, 'kind'>): Promise<ThroughputResult> {
    return this.send({ kind: 'pdf', ...task }) as Promise<ThroughputResult>;
  }

  async closeBrowser(): Promise<void> {
    await this.send({ kind: 'pdf-close' });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.send({ kind: 'exit' }).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
