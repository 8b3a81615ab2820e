/**
 * Phase `db-ceiling`: plain `pg` inserting one issuance-, one audit- and one outbox-shaped row per
 * transaction into scratch copies of the real tables (same indexes and checks), with the write
 * test's concurrency.
 */
import type { BenchContext } from '../context';
import type { Dataset } from '../dataset';
import { measure } from '../measure';

const DROP_SCRATCH = `
  DROP TABLE IF EXISTS bench_scratch_issuance, bench_scratch_audit, bench_scratch_outbox;
  DROP SEQUENCE IF EXISTS bench_scratch_audit_seq;`;

export async function dbWriteCeiling(ctx: BenchContext, data: Dataset): Promise<void> {
  await ctx.phase('db-ceiling', async () => {
    await ctx.database.query(`${DROP_SCRATCH}
      CREATE TABLE bench_scratch_issuance (LIKE issuance INCLUDING ALL);
      CREATE TABLE bench_scratch_audit (LIKE audit_entry INCLUDING ALL);
      CREATE TABLE bench_scratch_outbox (LIKE outbox_event INCLUDING ALL);
      CREATE SEQUENCE bench_scratch_audit_seq;`);
    const connections = ctx.opts.writeConnections;
    const spec = {
      key: 'db_write',
      label: 'pg: issuance + audit + outbox insert per tx (limit)',
      tool: 'pg (direct)',
      connections,
    };
    try {
      await measure(ctx, spec, (seconds) =>
        ctx.load.pgWrite({
          databaseUrl: ctx.url,
          connections,
          durationS: seconds,
          holderIds: data.holderIds,
          classIds: data.classIds,
        }),
      );
    } finally {
      await ctx.database.query(DROP_SCRATCH);
    }
  });
}
