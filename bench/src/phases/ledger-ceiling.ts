/**
 * Phase `ledger-ceiling`: the database ceiling of a transfer, with the transfers test's
 * concurrency: plain `pg` doing a transfer's writes (lock the security, spend it, insert the
 * transaction, its balance and resulting securities, its outbox rows) in scratch copies of the
 * real tables (same indexes and checks), the securities' copy holding the big company's
 * securities, so each transaction finds its security among as many as the API does.
 */
import { BenchContext, log } from '../context';
import type { Dataset } from '../dataset';
import { measure } from '../measure';
import { settleBackground } from './outbox';

const DROP_SCRATCH = `
  DROP TABLE IF EXISTS bench_scratch_security, bench_scratch_transaction, bench_scratch_ledger_outbox;`;

/** The scratch copies, the securities with the big company's; answers its outstanding ones. */
async function scratchCopies(ctx: BenchContext): Promise<string[]> {
  const t0 = Date.now();
  await ctx.database.query(`${DROP_SCRATCH}
    CREATE TABLE bench_scratch_security (LIKE issuance INCLUDING ALL);
    CREATE TABLE bench_scratch_transaction (LIKE stock_transaction INCLUDING ALL);
    CREATE TABLE bench_scratch_ledger_outbox (LIKE outbox_event INCLUDING ALL);
    INSERT INTO bench_scratch_security SELECT * FROM issuance WHERE company_id = app_first_company_id();
    ANALYZE bench_scratch_security;`);
  const { rows } = await ctx.database.query<{ id: string }>(
    `SELECT id FROM bench_scratch_security WHERE status = 'OUTSTANDING' ORDER BY md5(id::text)`,
  );
  log(`scratch copies made in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return rows.map((row) => row.id);
}

export async function ledgerCeiling(ctx: BenchContext, data: Dataset): Promise<void> {
  await ctx.phase('ledger-ceiling', async () => {
    await settleBackground(ctx, 'ledger-ceiling');
    const pool = await scratchCopies(ctx);
    const connections = ctx.opts.writeConnections;
    const runs = (ctx.opts.warmupSeconds > 0 ? 1 : 0) + ctx.opts.runs;
    const share = Math.floor(pool.length / runs);
    let offset = 0;
    const spec = {
      key: 'db_transfer',
      label:
        "pg: a transfer's writes per tx: lock, spend, transaction, 2 securities, 3 outbox rows (limit)",
      tool: 'pg (direct)',
      connections,
    };
    try {
      await measure(ctx, spec, (seconds) => {
        const securityIds = pool.slice(offset, offset + share);
        offset += share;
        return ctx.load.pgTransfer({
          databaseUrl: ctx.url,
          connections,
          durationS: seconds,
          securityIds,
          holderIds: data.holderIds,
        });
      });
    } finally {
      await ctx.database.query(DROP_SCRATCH);
    }
  });
}
