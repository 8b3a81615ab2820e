import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, sql, Sql } from '../../core/db/database.service';
import { isUniqueViolation } from '../../core/db/pg-errors';
import { DomainError } from '../../core/errors/domain-error';
import type { AuthorizedSharesAdjustment } from '../authorized-shares-adjustment.entity';

/**
 * The most shares outstanding, among the securities `which` selects, at the end of `date` or of
 * any later day (a running sum over the days securities were issued and spent).
 */
export function maxOutstandingFromSql(which: Sql, date: string): Sql {
  return sql`
      WITH deltas AS (
        SELECT date AS day, number_of_shares AS delta FROM issuance WHERE ${which}
        UNION ALL
        SELECT spent_on, -number_of_shares FROM issuance WHERE ${which} AND spent_on IS NOT NULL
      ), running AS (
        SELECT day, sum(sum(delta)) OVER (ORDER BY day) AS outstanding FROM deltas GROUP BY day
      )
      SELECT greatest(
               coalesce((SELECT outstanding FROM running WHERE day <= ${date}::date
                          ORDER BY day DESC LIMIT 1), 0),
               coalesce((SELECT max(outstanding) FROM running WHERE day > ${date}::date), 0))::text AS most`;
}

/** The dated history of a class's authorized shares (authorized_shares_adjustment). */
@Injectable()
export class AuthorizedSharesRepository {
  constructor(private readonly db: Database) {}

  /** The latest date that changed the class's authorized shares: an adjustment or a split. */
  async latestChange(tx: EntityManager, shareClassId: string): Promise<string | null> {
    const [row] = await this.db.rows<{ latest: string | null }>(
      sql`SELECT to_char(greatest((SELECT max(date) FROM authorized_shares_adjustment
                                   WHERE share_class_id = ${shareClassId}),
                                  (SELECT max(date) FROM stock_class_split
                                   WHERE share_class_id = ${shareClassId})), 'YYYY-MM-DD') AS latest`,
      { tx },
    );
    return row?.latest ?? null;
  }

  /** The most shares of the class outstanding at the end of `date` or of any later day. */
  async maxOutstandingFrom(tx: EntityManager, shareClassId: string, date: string): Promise<bigint> {
    const [row] = await this.db.rows<{ most: string }>(
      maxOutstandingFromSql(sql`share_class_id = ${shareClassId}`, date),
      { tx },
    );
    return BigInt(row?.most ?? '0');
  }

  /** The adjustment, and the class's current authorized shares set to it; answers when recorded. */
  async insert(
    tx: EntityManager,
    adjustment: Omit<AuthorizedSharesAdjustment, 'recordedAt'>,
  ): Promise<Date> {
    const a = adjustment;
    try {
      const [row] = await this.db.rows<{ recorded_at: Date }>(
        sql`INSERT INTO authorized_shares_adjustment (id, share_class_id, date, authorized_shares,
                     previous_authorized_shares, board_approval_date, stockholder_approval_date,
                     created_by_sub, created_by, request_id)
            VALUES (${a.id}, ${a.shareClassId}, ${a.date}::date, ${a.authorizedShares}::bigint,
                    ${a.previousAuthorizedShares}::bigint, ${a.boardApprovalDate}::date,
                    ${a.stockholderApprovalDate}::date, ${a.createdBySub}, ${a.createdBy}, ${a.requestId})
            RETURNING recorded_at`,
        { tx },
      );
      if (!row) throw new Error('the adjustment was not stored');
      await this.db.run(
        sql`UPDATE share_class SET authorized_shares = ${a.authorizedShares}::bigint
             WHERE id = ${a.shareClassId}`,
        { tx },
      );
      return row.recorded_at;
    } catch (error) {
      if (isUniqueViolation(error, 'uq_authorized_shares_adjustment_date'))
        throw new DomainError('CONFLICT', `The class already has an adjustment dated ${a.date}.`, {
          errors: [{ field: 'date', messages: ['already has an adjustment'] }],
        });
      throw error;
    }
  }
}
