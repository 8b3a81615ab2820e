/**
 * Phase `writes`: `POST /api/issuances/` at the write test's concurrency. After each run the bench
 * polls until every `issuance.created` event of the run has its audit entry; afterwards it watches
 * the certificate backlog clear, and times every run's drain exactly from
 * `max(audit_entry.recorded_at)`, also for runs not drained within the poll time.
 */
import { sleep } from '../api-process';
import { BenchContext, log } from '../context';
import type { Dataset } from '../dataset';
import { measure, type RunResult } from '../measure';
import { median } from '../stats';
import { auditDrain, certificateBacklog, maxPosition } from './outbox';

/** One write run: its outbox positions, the end of its load, and what the poll saw. */
interface DrainRun {
  warmup: boolean;
  from: string;
  to: string;
  loadEnd: number;
  created: number;
  auditPendingAtLoadEnd: number;
  polledDrainS: number | null;
  certificateBacklogAfterPoll: number | null;
}

const writeBodies = (data: Dataset): string[] =>
  Array.from({ length: 2_000 }, (_, i) =>
    JSON.stringify({
      shareholder_id: data.holderIds[(i * 7919) % data.holderIds.length],
      share_class_id: data.classIds[i % data.classIds.length],
      number_of_shares: 1 + ((i * 31) % 1000),
      price: '1.2500',
    }),
  );

async function writeRun(
  ctx: BenchContext,
  bodies: string[],
  seconds: number,
  warmup: boolean,
): Promise<{ result: RunResult; drain: DrainRun }> {
  const from = await maxPosition(ctx);
  const token = await ctx.tokens.passwordGrant('admin');
  const result = await ctx.load.http({
    url: `${ctx.base}/api/issuances/`,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    bodies,
    connections: ctx.opts.writeConnections,
    durationS: seconds,
  });
  const to = await maxPosition(ctx);
  const drain = await auditDrain(ctx, from, result.endedAt);
  const backlog = ctx.certificatesPresent ? await certificateBacklog(ctx, from) : null;
  log(
    `  ${warmup ? 'warm-up' : 'run'}: ${result.ok} issuances, audit ${drain.seconds === null ? `not drained within ${ctx.opts.drainTimeoutS} s` : `drained ${drain.seconds.toFixed(2)} s after the load`}${backlog === null ? '' : `, certificate backlog ${backlog}`}`,
  );
  return {
    result,
    drain: {
      warmup,
      from,
      to,
      loadEnd: result.endedAt,
      created: result.ok,
      auditPendingAtLoadEnd: drain.pendingAtEnd,
      polledDrainS: drain.seconds,
      certificateBacklogAfterPoll: backlog,
    },
  };
}

/** Watches the certificate backlog of the writes clear (up to `--backlog-wait` seconds). */
async function watchCertificateBacklog(ctx: BenchContext, phaseStart: string): Promise<void> {
  const started = Date.now();
  const initial = await certificateBacklog(ctx, phaseStart);
  let backlog = initial;
  const timeline: Array<[number, number]> = [[0, backlog]];
  const deadline = started + ctx.opts.certificateClearTimeoutS * 1000;
  // (--backlog-wait 0 skips the watch)
  while (backlog > 0 && Date.now() < deadline) {
    await sleep(1000);
    backlog = await certificateBacklog(ctx, phaseStart);
    timeline.push([(Date.now() - started) / 1000, backlog]);
  }
  const elapsed = (Date.now() - started) / 1000;
  const rate = (initial - backlog) / Math.max(elapsed, 0.001);
  ctx.writes.certificateBacklog = {
    atEndOfWrites: initial,
    remaining: backlog,
    watchedS: elapsed,
    clearedS: backlog === 0 ? elapsed : null,
    clearRatePerS: rate,
    projectedClearS: backlog === 0 ? elapsed : rate > 0 ? elapsed + backlog / rate : null,
    timeline: timeline.filter((_, i) => i % 5 === 0 || i === timeline.length - 1),
  };
  log(
    `certificate backlog: ${initial} at the end of the writes, ${backlog} after ${elapsed.toFixed(0)} s (${rate.toFixed(1)}/s)`,
  );
}

/** The exact drain of a run, from when its last audit entry was recorded. */
async function exactDrain(ctx: BenchContext, run: DrainRun) {
  const { rows } = await ctx.database.query<{
    events: number;
    audited: number;
    delivered: number;
    last_audit: Date | null;
    last_delivery: Date | null;
  }>(
    `SELECT count(*)::int AS events, count(a.seq)::int AS audited,
            count(o.delivered_at)::int AS delivered,
            max(a.recorded_at) AS last_audit, max(o.delivered_at) AS last_delivery
       FROM outbox_event o LEFT JOIN audit_entry a ON a.company_id = o.company_id AND a.source_event_id = o.id
      WHERE o.position > $1 AND o.position <= $2 AND o.type = 'issuance.created'`,
    [run.from, run.to],
  );
  const r = rows[0];
  const after = (at: Date | null | undefined): number | null =>
    at ? Math.max(0, (at.getTime() - run.loadEnd) / 1000) : null;
  const allAudited = r !== undefined && r.audited === r.events;
  const allDelivered = r !== undefined && r.delivered === r.events;
  return {
    created: run.created,
    auditPendingAtLoadEnd: run.auditPendingAtLoadEnd,
    auditDrainS: allAudited ? (run.polledDrainS ?? after(r.last_audit)) : null,
    auditNotWrittenYet: r ? r.events - r.audited : null,
    lowerBoundS: allAudited ? null : (Date.now() - run.loadEnd) / 1000,
    outboxDeliveredS: allDelivered ? after(r.last_delivery) : null,
    certificateBacklogAfterPoll: run.certificateBacklogAfterPoll,
  };
}

/** Every measured run's drain (also of runs whose entries came after the bench stopped polling). */
async function recordAuditDrain(ctx: BenchContext, drains: DrainRun[]): Promise<void> {
  const perRun = [];
  for (const run of drains.filter((d) => !d.warmup)) perRun.push(await exactDrain(ctx, run));
  const times = perRun.map((r) => r.auditDrainS);
  const complete = times.every((t): t is number => t !== null);
  ctx.writes.auditDrain = {
    perRun,
    medianS: complete ? median(times) : null,
    maxS: complete ? Math.max(...times) : null,
    lowerBoundS: complete ? null : Math.min(...perRun.map((r) => r.lowerBoundS ?? Infinity)),
    pollTimeoutS: ctx.opts.drainTimeoutS,
    method:
      'polled every 50 ms after the load; runs not drained within the poll time are timed afterwards from max(audit_entry.recorded_at)',
  };
}

export async function apiWrites(ctx: BenchContext, data: Dataset): Promise<void> {
  await ctx.phase('writes', async () => {
    const phaseStart = await maxPosition(ctx);
    const bodies = writeBodies(data);
    const drains: DrainRun[] = [];
    const spec = {
      key: 'write',
      label: 'POST /api/issuances/ (+ audit + certificate fan-out)',
      tool: 'autocannon',
      connections: ctx.opts.writeConnections,
    };
    await measure(ctx, spec, async (seconds, warmup) => {
      const { result, drain } = await writeRun(ctx, bodies, seconds, warmup);
      drains.push(drain);
      return result;
    });
    if (ctx.certificatesPresent) await watchCertificateBacklog(ctx, phaseStart);
    await recordAuditDrain(ctx, drains);
  });
}
