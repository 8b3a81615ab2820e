import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, empty, sql } from '../../core/db/database.service';
import { isForeignKeyViolation } from '../../core/db/pg-errors';
import { ShareClassNotFoundError } from '../../issuances';
import { ShareholderNotFoundError } from '../../shareholders';
import { EquityGrantTransaction } from '../equity-grant-transaction.entity';
import { EquityGrant } from '../equity-grant.entity';

export interface GrantFilter {
  shareholderId?: string;
  stockPlanId?: string;
}

/** The statements of grants and their transactions (equity_grant, equity_grant_transaction). */
@Injectable()
export class GrantsRepository {
  constructor(private readonly db: Database) {}

  async insert(tx: EntityManager, grant: Omit<EquityGrant, 'createdAt'>): Promise<void> {
    try {
      await tx.insert(EquityGrant, grant);
    } catch (error) {
      if (isForeignKeyViolation(error, 'fk_equity_grant_shareholder'))
        throw new ShareholderNotFoundError(grant.shareholderId, { field: 'shareholder_id' });
      if (isForeignKeyViolation(error, 'fk_equity_grant_share_class'))
        throw new ShareClassNotFoundError(grant.shareClassId, 'share_class_id');
      throw error;
    }
  }

  /** In `tx` (row-locked on request) when given, else on the pool. */
  find(tx: EntityManager | undefined, id: string, lock = false): Promise<EquityGrant | null> {
    const read = (m: EntityManager) =>
      m.findOne(EquityGrant, {
        where: { id },
        ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
      });
    return tx ? read(tx) : this.db.read(read);
  }

  list(filter: GrantFilter): Promise<EquityGrant[]> {
    return this.db.read((m) =>
      m.find(EquityGrant, {
        where: {
          ...(filter.shareholderId ? { shareholderId: filter.shareholderId } : {}),
          ...(filter.stockPlanId ? { stockPlanId: filter.stockPlanId } : {}),
        },
        order: { grantDate: 'ASC', createdAt: 'ASC', id: 'ASC' },
      }),
    );
  }

  transactions(tx: EntityManager | undefined, grantId: string): Promise<EquityGrantTransaction[]> {
    const read = (m: EntityManager) =>
      m.find(EquityGrantTransaction, {
        where: { grantId },
        order: { date: 'ASC', recordedAt: 'ASC', id: 'ASC' },
      });
    return tx ? read(tx) : this.db.read(read);
  }

  async record(
    tx: EntityManager,
    transaction: Omit<EquityGrantTransaction, 'recordedAt'>,
  ): Promise<EquityGrantTransaction> {
    await tx.insert(EquityGrantTransaction, transaction);
    return tx.findOneOrFail(EquityGrantTransaction, { where: { id: transaction.id } });
  }

  /** Raises what of the grant was exercised, released or cancelled (the check keeps the sum). */
  async spend(
    tx: EntityManager,
    grantId: string,
    spent: { exercised?: bigint; released?: bigint; cancelled?: bigint; terminatedOn?: string },
  ): Promise<void> {
    await this.db.run(
      sql`UPDATE equity_grant
             SET exercised_quantity = exercised_quantity + ${(spent.exercised ?? 0n).toString()}::bigint,
                 released_quantity = released_quantity + ${(spent.released ?? 0n).toString()}::bigint,
                 cancelled_quantity = cancelled_quantity + ${(spent.cancelled ?? 0n).toString()}::bigint,
                 terminated_on = coalesce(terminated_on, ${spent.terminatedOn ?? null}::date)
           WHERE id = ${grantId}`,
      { tx },
    );
  }

  /**
   * Records that the grant expired on `date` with its `quantity` unexercised shares (cancelled),
   * once: false when an expiration was recorded already.
   */
  async expire(
    tx: EntityManager,
    grantId: string,
    date: string,
    quantity: bigint,
  ): Promise<boolean> {
    const { count } = await this.db.run(
      sql`UPDATE equity_grant
             SET cancelled_quantity = cancelled_quantity + ${quantity.toString()}::bigint,
                 expired_on = ${date}::date
           WHERE id = ${grantId} AND expired_on IS NULL`,
      { tx },
    );
    return count === 1;
  }

  /** The current company's grants (of a plan or holder, when given) whose expiration is due. */
  async expiryDue(
    today: string,
    filter: GrantFilter = {},
  ): Promise<Array<{ id: string; stockPlanId: string | null }>> {
    const rows = await this.db.rows<{ id: string; stock_plan_id: string | null }>(
      sql`SELECT id, stock_plan_id FROM equity_grant
           WHERE expired_on IS NULL
             AND quantity > exercised_quantity + released_quantity + cancelled_quantity
             AND least(coalesce(expiration_date, 'infinity'::date),
                       coalesce(terminated_on + coalesce(termination_exercise_days, 0), 'infinity'::date)) < ${today}::date
             ${filter.stockPlanId ? sql`AND stock_plan_id = ${filter.stockPlanId}` : empty}
             ${filter.shareholderId ? sql`AND shareholder_id = ${filter.shareholderId}` : empty}
           ORDER BY grant_date, id`,
    );
    return rows.map((row) => ({ id: row.id, stockPlanId: row.stock_plan_id }));
  }

  /** Every company with a grant whose expiration is due (across companies: ids only). */
  async companiesWithExpiryDue(today: string): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      sql`SELECT id FROM app_equity_grant_expiry_due(${today}::date) AS id`,
      { unscoped: true },
    );
    return rows.map((row) => row.id);
  }
}
