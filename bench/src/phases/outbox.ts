/**
 * What the outbox says after writes: positions, `issuance.created` events still without their
 * audit entry or certificate, and when the relay is idle; and the background work of earlier
 * phases set aside before a phase that measures its own.
 */
import { sleep } from '../api-process';
import { type BenchContext, log } from '../context';
import { deferPendingRenders } from '../dataset-certificates';

export async function maxPosition(ctx: BenchContext): Promise<string> {
  const { rows } = await ctx.database.query<{ p: string }>(
    `SELECT COALESCE(max(position), 0)::text AS p FROM outbox_event`,
  );
  return rows[0]?.p ?? '0';
}

async function pendingAudit(
  ctx: BenchContext,
  fromPosition: string,
): Promise<{ events: number; pending: number; undelivered: number }> {
  const { rows } = await ctx.database.query<{
    events: number;
    pending: number;
    undelivered: number;
  }>(
    `SELECT count(*)::int AS events,
            count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM audit_entry a WHERE a.company_id = o.company_id AND a.source_event_id = o.id))::int AS pending,
            count(*) FILTER (WHERE o.delivered_at IS NULL AND o.dead_lettered_at IS NULL)::int AS undelivered
       FROM outbox_event o WHERE o.position > $1 AND o.type = 'issuance.created'`,
    [fromPosition],
  );
  return rows[0] ?? { events: 0, pending: 0, undelivered: 0 };
}

/** Issuances created after `fromPosition` that have no certificate yet. */
export async function certificateBacklog(ctx: BenchContext, fromPosition: string): Promise<number> {
  const { rows } = await ctx.database.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox_event o
      WHERE o.position > $1 AND o.type = 'issuance.created'
        AND NOT EXISTS (SELECT 1 FROM certificate c WHERE c.company_id = o.company_id AND c.issuance_id = o.aggregate_id::uuid)`,
    [fromPosition],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Time from the end of the load until every issuance.created event since `from` has its audit
 * entry, polled every 50 ms for up to `--drain` seconds (null when not drained by then).
 */
export async function auditDrain(
  ctx: BenchContext,
  from: string,
  loadEnd: number,
): Promise<{ seconds: number | null; pendingAtEnd: number; events: number }> {
  let first: number | undefined;
  const deadline = loadEnd + ctx.opts.drainTimeoutS * 1000;
  for (;;) {
    const state = await pendingAudit(ctx, from);
    first ??= state.pending;
    if (state.pending === 0) {
      return {
        seconds: Math.max(0, (Date.now() - loadEnd) / 1000),
        pendingAtEnd: first,
        events: state.events,
      };
    }
    if (Date.now() > deadline) return { seconds: null, pendingAtEnd: first, events: state.events };
    await sleep(50);
  }
}

/** Waits until the relay has delivered everything (e.g. the certificate.generated events). */
export async function waitForOutboxIdle(ctx: BenchContext, timeoutS: number): Promise<void> {
  const deadline = Date.now() + timeoutS * 1000;
  while (Date.now() < deadline) {
    const { rows } = await ctx.database.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM outbox_event WHERE delivered_at IS NULL AND dead_lettered_at IS NULL`,
    );
    if (rows[0]?.n === '0') return;
    await sleep(200);
  }
  ctx.notes.push(`the outbox was not idle ${timeoutS} s after a phase`);
}

/**
 * Before a phase whose figures include its own background work: the relay is left to deliver what
 * is in the outbox (so no render is queued after this), then the certificate renders earlier
 * phases queued and the worker has not done yet are deferred (they stay pending: bench data only,
 * the reconciliation still accepts them).
 */
export async function settleBackground(ctx: BenchContext, phase: string): Promise<void> {
  await waitForOutboxIdle(ctx, ctx.opts.smoke ? 20 : 120);
  if (!ctx.certificatesPresent) return;
  const deferred = await deferPendingRenders(ctx.database);
  if (deferred > 0) {
    log(`${deferred} certificate renders of earlier phases deferred before ${phase}`);
    ctx.ledger[`rendersDeferredBefore_${phase}`] = deferred;
  }
}
