/**
 * Phase `verify`: `GET /api/audit/verify` re-checks the whole chain, the entries the service
 * appended during the bench included.
 */
import { BenchContext, log } from '../context';

export async function verifyChain(ctx: BenchContext): Promise<void> {
  await ctx.phase('verify', async () => {
    const token = await ctx.tokens.passwordGrant('auditor');
    const t0 = Date.now();
    const response = await fetch(`${ctx.base}/api/audit/verify`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(600_000),
    });
    const body = (await response.json()) as {
      ok?: boolean;
      checked?: number;
      head_seq?: number;
      first_broken_seq?: number | null;
    };
    Object.assign(ctx.chain, {
      verifiedByApi: body.ok === true,
      checked: body.checked,
      headSeq: body.head_seq,
      firstBrokenSeq: body.first_broken_seq,
      verifyS: (Date.now() - t0) / 1000,
    });
    log(
      `GET /api/audit/verify: ok=${String(body.ok)} checked=${String(body.checked)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    if (body.ok !== true) ctx.notes.push(`the audit chain did not verify: ${JSON.stringify(body)}`);
  });
}
