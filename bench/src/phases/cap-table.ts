/**
 * Phase `cap-table`: `GET /api/cap-table` today, `as_of` a mid-range date, and `as_of` that date
 * `known_at` 30 days after it, each beside the service's own positions SQL
 * (`capTablePositionsSql`, `capTablePositionsKnownAtSql`) timed through `pg`, with its plan.
 */
import { capTablePositionsKnownAtSql, capTablePositionsSql } from '../../../src/issuances';
import type { BenchContext } from '../context';
import type { Dataset } from '../dataset';
import { http, sql } from '../measure';
import { explain, type SqlStatement } from '../sql-limits';

interface CapTableRead {
  key: string;
  label: string;
  path: string;
  statement: SqlStatement;
}

function readsOf(data: Dataset): CapTableRead[] {
  const today = new Date().toISOString().slice(0, 10);
  const reads: CapTableRead[] = [
    {
      key: 'cap_table',
      label: 'GET /api/cap-table',
      path: '/api/cap-table',
      statement: capTablePositionsSql(today),
    },
    {
      key: 'cap_table_as_of',
      label: `GET /api/cap-table?as_of=${data.midDate}`,
      path: `/api/cap-table?as_of=${data.midDate}`,
      statement: capTablePositionsSql(data.midDate),
    },
  ];
  // A dataset kept by an older bench has no known_at of its own.
  if (data.knownAt) {
    reads.push({
      key: 'cap_table_known_at',
      label: `GET /api/cap-table?as_of=${data.midDate}&known_at=${data.knownAt}`,
      path: `/api/cap-table?as_of=${data.midDate}&known_at=${encodeURIComponent(data.knownAt)}`,
      statement: capTablePositionsKnownAtSql(data.midDate, data.knownAt),
    });
  }
  return reads;
}

export async function capTable(ctx: BenchContext, data: Dataset): Promise<void> {
  await ctx.phase('cap-table', async () => {
    for (const { key, label, path, statement } of readsOf(data)) {
      const { text, values } = statement;
      ctx.plans[`${key} SQL`] = await explain(await ctx.apiDatabase(), { text, values });
      await sql(
        ctx,
        `${key}_sql`,
        `${label.replace('GET /api/cap-table', 'cap-table SQL')} (limit)`,
        { text, values },
      );
      await http(ctx, key, label, ctx.base, {
        paths: [path],
        user: 'admin',
        connections: ctx.opts.latencyConnections,
      });
    }
  });
}
