/** A figure of one timed operation (an export, an import, a COPY): no distribution, one run. */
import type { Figure } from '../report';

export interface OneShot {
  key: string;
  label: string;
  seconds: number;
  /** What was done per second (items exported, objects imported, rows copied). */
  perSecond: number;
  ok: boolean;
  note: string;
}

/** A figure of one timed operation: p50 = p95 = p99 = its time. */
export function oneShotFigure(shot: OneShot): Figure {
  const ms = shot.seconds * 1000;
  return {
    key: shot.key,
    label: shot.label,
    tool: 'http (one request)',
    connections: 1,
    runs: 1,
    rps: shot.perSecond,
    p50: ms,
    p95: ms,
    p99: ms,
    failures: shot.ok ? 0 : 1,
    perRun: [
      {
        rps: shot.perSecond,
        p50: ms,
        p95: ms,
        p99: ms,
        ok: shot.ok ? 1 : 0,
        failed: shot.ok ? 0 : 1,
      },
    ],
    note: shot.note,
  };
}
