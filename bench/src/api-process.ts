import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** VmRSS of a process in bytes, or null once it is gone. */
export function rssOf(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The process and all its descendants (the API's Chromium and its renderers). */
export function treeRssOf(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    total += rssOf(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

export interface RssSample {
  t: number;
  rss: number;
  tree?: number;
  phase: string;
}

/** Polls VmRSS of the API every `intervalMs` (and its process tree every 5th sample). */
export class RssSampler {
  readonly samples: RssSample[] = [];
  phase = 'start';
  private timer?: NodeJS.Timeout;
  private tick = 0;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 100,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  sample(): number | null {
    const rss = rssOf(this.pid);
    if (rss === null) return null;
    this.tick += 1;
    const tree = this.tick % 5 === 0 ? treeRssOf(this.pid) : undefined;
    this.samples.push({
      t: Date.now(),
      rss,
      ...(tree === undefined ? {} : { tree }),
      phase: this.phase,
    });
    return rss;
  }

  peakBetween(from: number, to: number): number {
    return this.samples
      .filter((s) => s.t >= from && s.t <= to)
      .reduce((max, s) => Math.max(max, s.rss), 0);
  }

  peak(): { rss: number; tree: number } {
    return this.samples.reduce(
      (acc, s) => ({ rss: Math.max(acc.rss, s.rss), tree: Math.max(acc.tree, s.tree ?? 0) }),
      { rss: 0, tree: 0 },
    );
  }
}

export interface StartedProcess {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  stop(): Promise<number | null>;
}

/** Waits until `url` answers 2xx, or the process dies, or the time runs out. */
export async function waitUntilAnswers(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  logFile: string,
  accept: (status: number) => boolean = (status) => status >= 200 && status < 300,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the process exited before answering (${url}); see ${logFile}`);
    }
    const ok = await fetch(url).then(
      (r) => accept(r.status),
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms; see ${logFile}`);
}

export async function startProcess(options: {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
  port: number;
  readyPath: string;
  /** Which status on readyPath means ready (default 2xx). */
  readyStatus?: (status: number) => boolean;
  timeoutMs?: number;
}): Promise<StartedProcess> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name} did not start`);
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  try {
    await waitUntilAnswers(
      `${baseUrl}${options.readyPath}`,
      child,
      options.timeoutMs ?? 90_000,
      options.logFile,
      options.readyStatus,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, pid, baseUrl, stop };
}

/**
 * Per-phase CPU profiles of the API: the orchestrator names the phase in a file, then sends
 * SIGUSR2 to start and again to stop; the hook (bench/src/api-profiler-hook.ts) writes
 * <dir>/<phase>.cpuprofile.
 */
export class PhaseProfiler {
  constructor(
    private readonly pid: number,
    private readonly dir: string,
    private readonly phases: string[],
  ) {}

  async around<T>(phase: string, work: () => Promise<T>): Promise<T> {
    if (!this.phases.includes(phase)) return work();
    writeFileSync(join(this.dir, 'current-phase'), phase);
    process.kill(this.pid, 'SIGUSR2');
    await sleep(200);
    try {
      return await work();
    } finally {
      process.kill(this.pid, 'SIGUSR2');
      await sleep(500);
    }
  }
}
