import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, sql } from '../../core/db/database.service';
import { isForeignKeyViolation } from '../../core/db/pg-errors';
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
   * The shares the plan's grants had committed at the end of `date`: granted by then less what
   * was given back by then.
   */
  async committedOn(tx: EntityManager, planId: string, date: string): Promise<bigint> {
    const [row] = await this.db.rows<{ committed: string }>(
      sql`SELECT (coalesce((SELECT sum(quantity) FROM equity_grant
                             WHERE stock_plan_id = ${planId} AND grant_date <= ${date}::date), 0)
                 - coalesce((SELECT sum(t.returned_to_pool) FROM equity_grant_transaction t
                               JOIN equity_grant g ON g.id = t.grant_id
                              WHERE g.stock_plan_id = ${planId} AND t.date <= ${date}::date), 0))::text AS committed`,
      { tx },
    );
    return BigInt(row?.committed ?? '0');
  }
}
