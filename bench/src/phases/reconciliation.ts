/**
 * Phase `reconciliation`: one `GET /api/ledger/reconciliation` of the big company as the auditor,
 * over the whole dataset (every security, transaction, position, class total, authorized limit
 * on every date, and certificate): how long it takes, and that it finds nothing.
 */
import { BenchContext, log } from '../context';

interface ReconciliationAnswer {
  ok?: boolean;
  checked?: Record<string, number>;
  mismatches?: Array<{ kind?: string }>;
  took_ms?: number;
}

/** One request, answered or not (a timeout after 30 minutes is reported, not thrown). */
async function reconcile(ctx: BenchContext) {
  const token = await ctx.tokens.passwordGrant('auditor');
  const started = Date.now();
  try {
    const response = await fetch(`${ctx.base}/api/ledger/reconciliation`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(1_800_000),
    });
    const body = (await response.json().catch(() => ({}))) as ReconciliationAnswer;
    return { response, body, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    ctx.notes.push(`GET /api/ledger/reconciliation did not answer: ${String(error)}`);
    return { error: String(error), seconds: (Date.now() - started) / 1000 };
  }
}

export async function reconciliation(ctx: BenchContext): Promise<void> {
  await ctx.phase('reconciliation', async () => {
    const answered = await reconcile(ctx);
    if ('error' in answered) {
      // The row stays in the report (its time so far), its target missed.
      ctx.ledger.reconciliation = { ok: false, mismatches: null, ...answered };
      return;
    }
    const { response, body, seconds } = answered;
    const kinds: Record<string, number> = {};
    for (const mismatch of body.mismatches ?? []) {
      kinds[mismatch.kind ?? '?'] = (kinds[mismatch.kind ?? '?'] ?? 0) + 1;
    }
    ctx.ledger.reconciliation = {
      status: response.status,
      ok: body.ok === true,
      seconds,
      tookMs: body.took_ms,
      checked: body.checked,
      mismatches: response.ok ? (body.mismatches?.length ?? null) : null,
      mismatchKinds: kinds,
    };
    log(
      `GET /api/ledger/reconciliation: ${response.status} ok=${String(body.ok)} in ${seconds.toFixed(2)} s ${JSON.stringify(body.checked ?? {})}`,
    );
    if (body.ok !== true) {
      ctx.notes.push(`the ledger did not reconcile: ${response.status} ${JSON.stringify(kinds)}`);
    }
  });
}
