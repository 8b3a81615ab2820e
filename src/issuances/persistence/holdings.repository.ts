import { Injectable } from '@nestjs/common';
import { Database, sql } from '../../core/db/database.service';
import type { ShareholderHoldingsReader } from '../../shareholders';

/** Shares held per holder today (outstanding securities): what the shareholders module shows as totals. */
@Injectable()
export class HoldingsRepository implements ShareholderHoldingsReader {
  constructor(private readonly db: Database) {}

  async totalsFor(shareholderIds: string[]): Promise<Map<string, number>> {
    if (shareholderIds.length === 0) return new Map();
    const rows = await this.db.rows<{ shareholder_id: string; total: string }>(sql`
      SELECT shareholder_id, SUM(number_of_shares)::text AS total
        FROM issuance
       WHERE shareholder_id = ANY(${shareholderIds}::uuid[]) AND status = 'OUTSTANDING'
       GROUP BY shareholder_id`);
    return new Map(rows.map((row) => [row.shareholder_id, Number(row.total)]));
  }
}
