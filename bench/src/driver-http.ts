/** The load driver's HTTP work: autocannon runs, and one streamed download read to the end. */
import autocannon from 'autocannon';
import { createWriteStream } from 'node:fs';
import { request } from 'node:http';
import type { DownloadResult, DownloadTask, HttpTask, ThroughputResult } from './driver-protocol';
import { summarize } from './stats';

/** Each request takes the next of `paths` and `bodies` (when there are any). */
function rotatingRequests(task: HttpTask): autocannon.Request[] | undefined {
  if (!task.paths?.length && !task.bodies?.length) return undefined;
  let pathIndex = 0;
  let bodyIndex = 0;
  return [
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
  ];
}

interface Tally {
  latencies: number[];
  statusCounts: Record<string, number>;
  ok: number;
  failed: number;
  bytes: number;
}

function resultOf(tally: Tally, errors: number, startedAt: number): ThroughputResult {
  const { ok, failed } = tally;
  const endedAt = Date.now();
  const durationS = (endedAt - startedAt) / 1000;
  return {
    ok,
    failed,
    statusCounts: tally.statusCounts,
    errors,
    durationS,
    rps: ok / durationS,
    latency: summarize(tally.latencies),
    startedAt,
    endedAt,
    bytes: ok + failed > 0 ? tally.bytes / (ok + failed) : 0,
  };
}

/** Latencies and counts from every response (not autocannon's histogram); only 2xx count as ok. */
export function httpRun(task: HttpTask): Promise<ThroughputResult> {
  const tally: Tally = { latencies: [], statusCounts: {}, ok: 0, failed: 0, bytes: 0 };
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
        requests: rotatingRequests(task),
        ...(task.maxRequests ? { maxOverallRequests: task.maxRequests } : {}),
      },
      (error, result) => {
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve(resultOf(tally, result.errors, startedAt));
      },
    );
    instance.on('response', (_client, statusCode: number, resBytes: number, time: number) => {
      tally.statusCounts[statusCode] = (tally.statusCounts[statusCode] ?? 0) + 1;
      tally.bytes += resBytes;
      if (statusCode >= 200 && statusCode < 300) {
        tally.ok += 1;
        tally.latencies.push(time);
      } else {
        tally.failed += 1;
      }
    });
  });
}

export function download(task: DownloadTask): Promise<DownloadResult> {
  const startedAt = Date.now();
  const t0 = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - t0) / 1e9;
  return new Promise((resolve, reject) => {
    const req = request(task.url, { headers: task.headers }, (res) => {
      const ttfbS = seconds();
      const file = task.saveTo ? createWriteStream(task.saveTo) : undefined;
      let bytes = 0;
      let lines = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
        if (file && !file.write(chunk)) {
          res.pause();
          file.once('drain', () => res.resume());
        }
      });
      res.on('end', () => {
        const result = {
          status: res.statusCode ?? 0,
          bytes,
          lines,
          ttfbS,
          seconds: seconds(),
          startedAt,
          endedAt: Date.now(),
        };
        if (file) file.end(() => resolve(result));
        else resolve(result);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
