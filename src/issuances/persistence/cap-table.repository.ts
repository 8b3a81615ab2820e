import { Injectable } from '@nestjs/common';
import { Database, sql, Sql } from '../../core/db/database.service';
import { HOLDER_DIRECTORY_SQL } from '../../shareholders';
import type { LedgerPosition } from '../cap-table';

/**
 * The ledger aggregated per holder and class, for issuances dated on or before `asOf`, with each
 * holder's name: the whole read in one statement, its rows already LedgerPositions. Exported so the
 * benchmark times exactly this statement against the API.
 */
export function capTablePositionsSql(asOf: string): Sql {
  return sql`
  SELECT p.shareholder_id AS "shareholderId", h.name AS "shareholderName",
         p.share_class_id AS "shareClassId", p.shares
    FROM (SELECT shareholder_id, share_class_id, SUM(number_of_shares)::text AS shares
            FROM issuance
           WHERE date <= ${asOf}
           GROUP BY shareholder_id, share_class_id) p
    JOIN (${HOLDER_DIRECTORY_SQL}) h ON h.id = p.shareholder_id`;
}

@Injectable()
export class CapTableRepository {
  constructor(private readonly db: Database) {}

  positions(asOf: string): Promise<LedgerPosition[]> {
    return this.db.rows<LedgerPosition>(capTablePositionsSql(asOf), { name: 'cap_table' });
  }
}
