import { Injectable } from '@nestjs/common';
import { Database, sql, Sql } from '../../core/db/database.service';
import { HOLDER_DIRECTORY_SQL } from '../../shareholders';
import type { LedgerPosition } from '../cap-table';

/**
 * The ledger aggregated per holder and class, for the securities held at the end of `asOf` (dated
 * on or before it, and not spent by a transaction effective on or before it), with each
 * holder's name: the whole read in one statement, its rows already LedgerPositions. Exported so the
 * benchmark times exactly this statement against the API.
 */
export function capTablePositionsSql(asOf: string): Sql {
  return sql`
  SELECT p.shareholder_id AS "shareholderId", h.name AS "shareholderName",
         p.share_class_id AS "shareClassId", p.shares
    FROM (SELECT shareholder_id, share_class_id, SUM(number_of_shares)::text AS shares
            FROM issuance
           WHERE date <= ${asOf} AND (spent_on IS NULL OR spent_on > ${asOf})
           GROUP BY shareholder_id, share_class_id) p
    JOIN (${HOLDER_DIRECTORY_SQL}) h ON h.id = p.shareholder_id`;
}

/**
 * The same positions computed only from what had been recorded by `knownAt`: the securities
 * recorded by then and dated on or before `asOf`, less those a transaction recorded by then and
 * effective on or before `asOf` spent. A transaction recorded later (a backdated one) is not
 * seen, whatever its date; nor is a reversal recorded later: until it, the reversed line counts
 * (the securities it created are held, the one it spent is not); from it on, it does not.
 */
export function capTablePositionsKnownAtSql(asOf: string, knownAt: string): Sql {
  return sql`
  SELECT p.shareholder_id AS "shareholderId", h.name AS "shareholderName",
         p.share_class_id AS "shareClassId", p.shares
    FROM (SELECT s.shareholder_id, s.share_class_id, SUM(s.number_of_shares)::text AS shares
            FROM issuance s
           WHERE s.date <= ${asOf} AND s.created_at <= ${knownAt}::timestamptz
             AND NOT EXISTS (SELECT 1 FROM stock_transaction r
                              WHERE r.company_id = s.company_id AND r.kind = 'REVERSAL'
                                AND r.reversed_transaction_id = coalesce(s.origin_transaction_id, s.id)
                                AND r.recorded_at <= ${knownAt}::timestamptz)
             AND NOT EXISTS (SELECT 1 FROM stock_transaction t
                              WHERE t.company_id = s.company_id AND t.security_id = s.id
                                AND t.kind <> 'REVERSAL' AND t.date <= ${asOf}
                                AND t.recorded_at <= ${knownAt}::timestamptz
                                AND NOT EXISTS (SELECT 1 FROM stock_transaction r
                                                 WHERE r.company_id = t.company_id AND r.kind = 'REVERSAL'
                                                   AND r.reversed_transaction_id = t.id
                                                   AND r.recorded_at <= ${knownAt}::timestamptz))
           GROUP BY s.shareholder_id, s.share_class_id) p
    JOIN (${HOLDER_DIRECTORY_SQL}) h ON h.id = p.shareholder_id`;
}

@Injectable()
export class CapTableRepository {
  constructor(private readonly db: Database) {}

  /** As of the end of `asOf`; as recorded by `knownAt` when given, else as recorded now. */
  positions(asOf: string, knownAt?: string): Promise<LedgerPosition[]> {
    return knownAt === undefined
      ? this.db.rows<LedgerPosition>(capTablePositionsSql(asOf), { name: 'cap_table' })
      : this.db.rows<LedgerPosition>(capTablePositionsKnownAtSql(asOf, knownAt), {
          name: 'cap_table_known_at',
        });
  }
}
