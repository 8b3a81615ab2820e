/**
 * Phase `cap-table`: `GET /api/cap-table` today and `as_of` a mid-range date, each beside the
 * service's own positions SQL (`capTablePositionsSql`) timed through `pg`, with its plan.
 */
import { capTablePositionsSql } from '../../../src/issuances';
import type { BenchContext } from '../context';
import type { Dataset } from '../dataset';
import { http, sql } from '../measure';
import { explain } from '../sql-limits';

export async function capTable(ctx: BenchContext, data: Dataset): Promise<void> {
  await ctx.phase('cap-table', async () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const [key, label, asOf] of [
      ['cap_table', 'GET /api/cap-table', today],
      ['cap_table_as_of', `GET /api/cap-table?as_of=${data.midDate}`, data.midDate],
    ] as const) {
      const { text, values } = capTablePositionsSql(asOf);
      const statement = { text, values };
      ctx.plans[`${key} SQL`] = await explain(await ctx.apiDatabase(), statement);
      await sql(
        ctx,
        `${key}_sql`,
        `${label.replace('GET /api/cap-table', 'cap-table SQL')} (limit)`,
        statement,
      );
      await http(ctx, key, label, ctx.base, {
        paths: [key === 'cap_table' ? '/api/cap-table' : `/api/cap-table?as_of=${asOf}`],
        user: 'admin',
        connections: ctx.opts.latencyConnections,
      });
    }
  });
}
