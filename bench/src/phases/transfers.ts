/**
 * Phase `transfers`: `POST /api/issuances/{id}/transfers` at the write test's concurrency, each
 * request spending a different outstanding security of the big company (the dataset's pool, in
 * its random order): part of it to one other holder, dated today, so each leaves a balance
 * security and a resulting one, like the `ledger-ceiling` transactions. A security is spent
 * once: each run takes its share of the pool left and ends early when it has used it.
 */
import { BenchContext, log } from '../context';
import type { Dataset } from '../dataset';
import { http } from '../measure';
import { settleBackground } from './outbox';

interface PoolSecurity {
  id: string;
  holder: string;
  shares: number;
}

/** The pool's securities still outstanding (a kept database's earlier runs spent some). */
async function outstandingPool(ctx: BenchContext, ids: string[]): Promise<PoolSecurity[]> {
  const { rows } = await ctx.database.query<{ id: string; holder: string; shares: string }>(
    `SELECT i.id, i.shareholder_id AS holder, i.number_of_shares::text AS shares
       FROM unnest($1::uuid[]) WITH ORDINALITY AS p(id, n)
       JOIN issuance i ON i.company_id = app_first_company_id() AND i.id = p.id
      WHERE i.status = 'OUTSTANDING'
      ORDER BY p.n`,
    [ids],
  );
  return rows.map((row) => ({ id: row.id, holder: row.holder, shares: Number(row.shares) }));
}

/** Part of the security (all of a 1-share one) to a holder other than its own. */
function bodyOf(security: PoolSecurity, k: number, holderIds: string[], date: string): string {
  let to = holderIds[(k * 7919) % holderIds.length];
  if (to === security.holder) to = holderIds[(k * 7919 + 1) % holderIds.length];
  const quantity = security.shares > 1 ? 1 + (k % (security.shares - 1)) : 1;
  return JSON.stringify({ date, transfers: [{ to_shareholder_id: to, quantity }] });
}

export async function transfers(ctx: BenchContext, data: Dataset): Promise<void> {
  if (!data.transferIssuanceIds?.length) {
    ctx.notes.push(
      'the dataset has no pool of securities to transfer (an older bench kept it): transfers skipped',
    );
    return;
  }
  await ctx.phase('transfers', async () => {
    await settleBackground(ctx, 'transfers');
    const pool = await outstandingPool(ctx, data.transferIssuanceIds ?? []);
    const date = new Date().toISOString().slice(0, 10);
    const offset = { value: 0 };
    log(`${pool.length} securities to transfer, one request each`);
    await http(
      ctx,
      'transfer',
      'POST /api/issuances/{id}/transfers (a different security each)',
      ctx.base,
      {
        paths: pool.map((security) => `/api/issuances/${security.id}/transfers`),
        bodies: pool.map((security, k) => bodyOf(security, k, data.holderIds, date)),
        method: 'POST',
        user: 'admin',
        connections: ctx.opts.writeConnections,
        pathOffset: offset,
        once: true,
      },
    );
    ctx.ledger.transfers = { pool: pool.length, used: Math.min(offset.value, pool.length) };
  });
}
