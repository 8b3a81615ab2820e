import { Injectable } from '@nestjs/common';
import { Database, empty, raw, sql, Sql } from '../../core/db/database.service';
import type { Dilution, DilutionSource } from '../../issuances';
import { HOLDER_DIRECTORY_SQL } from '../../shareholders';
import { grantPositionsSql, returnedSql } from './grant-positions.sql';

interface GrantRemaining {
  shareholder_id: string;
  name: string;
  options: string;
}

interface PoolRow {
  stock_plan_id: string;
  name: string;
  available: string;
}

/**
 * The grants outstanding and the pools available at the end of `asOf`, from what was recorded by
 * `knownAt` (when given): a grant counts what was not exercised, released, cancelled, forfeited
 * or recorded as expired by then, and nothing once its exercise window has closed (its
 * expiration, or its termination plus the window), recorded as expired yet or not; a pool is its
 * reservation of that day less what was granted, plus what was given back (expirations not
 * recorded yet included, when the plan returns them): see grant-positions.sql.ts.
 */
@Injectable()
export class DilutionRepository implements DilutionSource {
  constructor(private readonly db: Database) {}

  async dilutionAsOf(asOf: string, knownAt?: string): Promise<Dilution> {
    const grants = grantPositionsSql(asOf, { knownAt });
    const [holders, pools] = await Promise.all([
      this.db.rows<GrantRemaining>(sql`
        SELECT g.shareholder_id, h.name, sum(g.remaining)::text AS options
          FROM (${grants}) g JOIN (${HOLDER_DIRECTORY_SQL}) h ON h.id = g.shareholder_id
         WHERE NOT g.expired GROUP BY g.shareholder_id, h.name HAVING sum(g.remaining) > 0`),
      this.db.rows<PoolRow>(sql`
        SELECT p.id AS stock_plan_id, p.name,
               greatest(0, coalesce((SELECT a.shares_reserved FROM stock_plan_pool_adjustment a
                                      WHERE a.stock_plan_id = p.id AND a.date <= ${asOf}::date ${recordedBy('a.recorded_at', knownAt)}
                                      ORDER BY a.date DESC LIMIT 1), p.initial_shares_reserved)
                           - coalesce(sum(g.quantity), 0) + ${returnedSql()})::text AS available
          FROM stock_plan p LEFT JOIN (${grants}) g ON g.stock_plan_id = p.id
         ${knownAt ? sql`WHERE p.created_at <= ${knownAt}::timestamptz` : empty}
         GROUP BY p.company_id, p.id ORDER BY p.created_at, p.id`),
    ]);
    return {
      holders: holders.map((h) => ({
        shareholderId: h.shareholder_id,
        name: h.name,
        options: BigInt(h.options),
      })),
      pools: pools.map((p) => ({
        stockPlanId: p.stock_plan_id,
        name: p.name,
        available: BigInt(p.available),
      })),
    };
  }
}

function recordedBy(column: string, knownAt?: string): Sql {
  return knownAt ? sql`AND ${raw(column)} <= ${knownAt}::timestamptz` : empty;
}
