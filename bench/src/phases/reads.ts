/**
 * Phase `reads`: `GET /api/issuances/{id}` as admin and as the owning shareholder, with the
 * certificate renders earlier phases left (or a kept database holds) set aside first, so the
 * figures are the reads' own.
 */
import type { BenchContext } from '../context';
import type { Dataset } from '../dataset';
import { http } from '../measure';
import { settleBackground } from './outbox';

export async function reads(ctx: BenchContext, data: Dataset): Promise<void> {
  await ctx.phase('reads', async () => {
    await settleBackground(ctx, 'reads');
    await http(ctx, 'read_admin', 'GET /api/issuances/{id} (admin)', ctx.base, {
      paths: data.readIssuanceIds.map((id) => `/api/issuances/${id}`),
      user: 'admin',
      connections: ctx.opts.readConnections,
    });
    await http(ctx, 'read_owner', 'GET /api/issuances/{id} (owner)', ctx.base, {
      paths: data.ownerIssuanceIds.map((id) => `/api/issuances/${id}`),
      user: 'shareholder1',
      connections: ctx.opts.readConnections,
    });
  });
  ctx.memory.apiRssAfterReads = ctx.sampler?.sample();
}
