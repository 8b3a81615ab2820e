import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Share totals per holder, read from the issuance ledger. This is the one place the shareholders
 * module reads another module's table: a plain aggregate over `issuance` avoids a circular module
 * dependency (issuances depend on shareholders), and the ledger's schema is a stable contract.
 */
@Injectable()
export class ShareholderHoldings {
  async totalsFor(manager: EntityManager, shareholderIds: string[]): Promise<Map<string, number>> {
    if (shareholderIds.length === 0) return new Map();
    const rows = await manager.query<Array<{ shareholder_id: string; total: string }>>(
      `SELECT shareholder_id, SUM(number_of_shares)::text AS total
         FROM issuance WHERE shareholder_id = ANY($1::uuid[]) GROUP BY shareholder_id`,
      [shareholderIds],
    );
    return new Map(rows.map((row) => [row.shareholder_id, Number(row.total)]));
  }

  async totalFor(manager: EntityManager, shareholderId: string): Promise<number> {
    return (await this.totalsFor(manager, [shareholderId])).get(shareholderId) ?? 0;
  }
}
