import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, sql } from '../../core/db/database.service';
import { isUniqueViolation } from '../../core/db/pg-errors';
import { DomainError } from '../../core/errors/domain-error';
import type { CompanyAuthorizedSharesAdjustment } from '../company-authorized-shares-adjustment.entity';
import { maxOutstandingFromSql } from './authorized-shares.repository';

/** The dated history of the company's own authorized shares (company_authorized_shares_adjustment). */
@Injectable()
export class CompanyAuthorizedSharesRepository {
  constructor(private readonly db: Database) {}

  /**
   * The company row locked after every class row (the order issuances take them in, so the two
   * never deadlock), with its authorized shares and the date of its latest adjustment.
   */
  async lock(
    tx: EntityManager,
  ): Promise<{ authorized_shares: string | null; latest: string | null }> {
    await this.db.run(sql`SELECT id FROM share_class ORDER BY id FOR UPDATE`, { tx });
    const [row] = await this.db.rows<{ authorized_shares: string | null; latest: string | null }>(
      sql`SELECT c.authorized_shares::text AS authorized_shares,
                 (SELECT to_char(max(date), 'YYYY-MM-DD') FROM company_authorized_shares_adjustment) AS latest
            FROM company c WHERE c.id = app_company_id() FOR UPDATE`,
      { tx },
    );
    if (!row) throw new Error('the company row is not there');
    return row;
  }

  /** The most shares outstanding over all classes at the end of `date` or of any later day. */
  async maxOutstandingFrom(tx: EntityManager, date: string): Promise<bigint> {
    const [row] = await this.db.rows<{ most: string }>(maxOutstandingFromSql(sql`true`, date), {
      tx,
    });
    return BigInt(row?.most ?? '0');
  }

  /** The adjustment, and the company's current authorized shares set to it; answers when recorded. */
  async insert(
    tx: EntityManager,
    adjustment: Omit<CompanyAuthorizedSharesAdjustment, 'recordedAt'>,
  ): Promise<Date> {
    const a = adjustment;
    try {
      const [row] = await this.db.rows<{ recorded_at: Date }>(
        sql`INSERT INTO company_authorized_shares_adjustment (id, date, authorized_shares,
                     previous_authorized_shares, board_approval_date, stockholder_approval_date,
                     created_by_sub, created_by, request_id)
            VALUES (${a.id}, ${a.date}::date, ${a.authorizedShares}::bigint,
                    ${a.previousAuthorizedShares}::bigint, ${a.boardApprovalDate}::date,
                    ${a.stockholderApprovalDate}::date, ${a.createdBySub}, ${a.createdBy}, ${a.requestId})
            RETURNING recorded_at`,
        { tx },
      );
      if (!row) throw new Error('the adjustment was not stored');
      await this.db.run(
        sql`UPDATE company SET authorized_shares = ${a.authorizedShares}::bigint
             WHERE id = app_company_id()`,
        { tx },
      );
      return row.recorded_at;
    } catch (error) {
      if (isUniqueViolation(error, 'uq_company_authorized_shares_adjustment_date'))
        throw new DomainError(
          'CONFLICT',
          `The company already has an adjustment dated ${a.date}.`,
          {
            errors: [{ field: 'date', messages: ['already has an adjustment'] }],
          },
        );
      throw error;
    }
  }
}
