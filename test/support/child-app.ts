import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { eventually } from './wait';

export interface ChildApp {
  url: string;
  process: ChildProcess;
  /** Resolves with [exit code, signal] when the process ends. */
  exited: Promise<unknown[]>;
  /** What the process wrote to stdout and stderr so far, line by line (`captureOutput` only). */
  stdout: string[];
  stderr: string[];
}

export interface ChildAppOptions {
  /** Keep the process's output (its log lines) instead of discarding it. */
  captureOutput?: boolean;
}

/** The lines a stream carries, collected as they come (none without a stream). */
function linesOf(stream: Readable | null): string[] {
  const lines: string[] = [];
  if (stream)
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => lines.push(line));
  return lines;
}

/**
 * Runs src/main.ts in a process of its own, as production does (signals, graceful shutdown,
 * crashes), and waits until it answers /health/live. `preload` names test modules loaded before
 * main.ts (faults such as crash-before-delivery.ts), relative to test/support.
 */
export async function startChildApp(
  env: Record<string, string>,
  preload: string[] = [],
  { captureOutput = false }: ChildAppOptions = {},
): Promise<ChildApp> {
  const port = 3200 + Math.floor(Math.random() * 700);
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      ...preload.flatMap((file) => ['-r', join(__dirname, file)]),
      join('src', 'main.ts'),
    ],
    {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
      stdio: captureOutput ? ['ignore', 'pipe', 'pipe'] : 'ignore',
    },
  );
  const stdout = linesOf(child.stdout);
  const stderr = linesOf(child.stderr);
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    () =>
      fetch(`${url}/health/live`).then(
        (r) => (r.ok ? true : undefined),
        () => undefined,
      ),
    60_000,
    'the child app to start',
  );
  return { url, process: child, exited, stdout, stderr };
}
