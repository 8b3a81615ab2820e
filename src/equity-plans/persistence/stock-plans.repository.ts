import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, sql } from '../../core/db/database.service';
import type { StockPlanPoolAdjustment } from '../stock-plan-pool-adjustment.entity';
import { StockPlan } from '../stock-plan.entity';
import { grantPositionsSql, lapsedSql, returnedSql } from './grant-positions.sql';

/** A plan's figures at the end of a day (see StockPlanResponseDto). */
export interface PlanFigures {
  shares_reserved: string;
  granted: string;
  exercised: string;
  returned: string;
  cancelled: string;
}

/** The statements of the plans and their pool (stock_plan, stock_plan_pool_adjustment). */
@Injectable()
export class StockPlansRepository {
  constructor(private readonly db: Database) {}

  async insert(tx: EntityManager, plan: Omit<StockPlan, 'createdAt' | 'updatedAt'>): Promise<void> {
    await tx.insert(StockPlan, plan);
  }

  /** In `tx` (row-locked on request) when given, else on the pool. */
  find(tx: EntityManager | undefined, id: string, lock = false): Promise<StockPlan | null> {
    const read = (m: EntityManager) =>
      m.findOne(StockPlan, {
        where: { id },
        ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
      });
    return tx ? read(tx) : this.db.read(read);
  }

  list(): Promise<StockPlan[]> {
    return this.db.read((m) => m.find(StockPlan, { order: { createdAt: 'ASC', id: 'ASC' } }));
  }

  async update(tx: EntityManager, id: string, values: Partial<StockPlan>): Promise<void> {
    await tx.update(StockPlan, { id }, { ...values, updatedAt: new Date() });
  }

  /**
   * Takes `shares` from the pool while it has them (the row lock this takes lasts to the end of
   * `tx`, so concurrent grants queue and re-check); false when it has not.
   */
  async commit(tx: EntityManager, planId: string, shares: bigint): Promise<boolean> {
    const rows = await this.db.rows<{ id: string }>(
      sql`UPDATE stock_plan SET committed_shares = committed_shares + ${shares.toString()}::bigint
           WHERE id = ${planId} AND committed_shares + ${shares.toString()}::bigint <= shares_reserved
          RETURNING id`,
      { tx },
    );
    return rows.length > 0;
  }

  /** Gives `shares` back to the pool. */
  async giveBack(tx: EntityManager, planId: string, shares: bigint): Promise<void> {
    if (shares === 0n) return;
    await this.db.run(
      sql`UPDATE stock_plan SET committed_shares = committed_shares - ${shares.toString()}::bigint
           WHERE id = ${planId}`,
      { tx },
    );
  }

  /**
   * The pool at the end of `date` (the latest adjustment dated on or before it, else the initial)
   * and its grants' figures then: grants whose window closed count as expired (and, when the plan
   * returns them, as returned) whether the expiration is recorded yet or not.
   */
  figures(tx: EntityManager | undefined, planId: string, date: string): Promise<PlanFigures> {
    return this.db
      .rows<PlanFigures>(
        sql`
        SELECT coalesce((SELECT a.shares_reserved FROM stock_plan_pool_adjustment a
                          WHERE a.stock_plan_id = p.id AND a.date <= ${date}::date
                          ORDER BY a.date DESC LIMIT 1), p.initial_shares_reserved)::text AS shares_reserved,
               coalesce(sum(g.quantity), 0)::text AS granted,
               coalesce(sum(g.exercised), 0)::text AS exercised,
               ${returnedSql()}::text AS returned,
               (coalesce(sum(g.cancelled), 0) + ${lapsedSql()})::text AS cancelled
          FROM stock_plan p LEFT JOIN (${grantPositionsSql(date, { planId })}) g ON g.stock_plan_id = p.id
         WHERE p.id = ${planId}
         GROUP BY p.company_id, p.id`,
        { tx },
      )
      .then(([row]) => {
        if (!row) throw new Error(`stock plan ${planId} vanished`);
        return row;
      });
  }

  /** The dates from `date` on at which the pool changed (its adjustments), in order. */
  async changesFrom(tx: EntityManager, planId: string, date: string): Promise<string[]> {
    const rows = await this.db.rows<{ date: string }>(
      sql`SELECT to_char(date, 'YYYY-MM-DD') AS date FROM stock_plan_pool_adjustment
           WHERE stock_plan_id = ${planId} AND date > ${date}::date ORDER BY date`,
      { tx },
    );
    return rows.map((row) => row.date);
  }

  async latestAdjustment(tx: EntityManager, planId: string): Promise<string | null> {
    const [row] = await this.db.rows<{ latest: string | null }>(
      sql`SELECT to_char(max(date), 'YYYY-MM-DD') AS latest FROM stock_plan_pool_adjustment
           WHERE stock_plan_id = ${planId}`,
      { tx },
    );
    return row?.latest ?? null;
  }

  /** The adjustment, and the plan's pool today set to it; answers when it was recorded. */
  async adjust(
    tx: EntityManager,
    adjustment: Omit<StockPlanPoolAdjustment, 'recordedAt'>,
  ): Promise<Date> {
    const a = adjustment;
    const [row] = await this.db.rows<{ recorded_at: Date }>(
      sql`INSERT INTO stock_plan_pool_adjustment (id, stock_plan_id, date, shares_reserved,
                   previous_shares_reserved, board_approval_date, stockholder_approval_date,
                   created_by_sub, created_by, request_id)
          VALUES (${a.id}, ${a.stockPlanId}, ${a.date}::date, ${a.sharesReserved}::bigint,
                  ${a.previousSharesReserved}::bigint, ${a.boardApprovalDate}::date,
                  ${a.stockholderApprovalDate}::date, ${a.createdBySub}, ${a.createdBy}, ${a.requestId})
          RETURNING recorded_at`,
      { tx },
    );
    await this.db.run(
      sql`UPDATE stock_plan SET shares_reserved = ${a.sharesReserved}::bigint, updated_at = now()
           WHERE id = ${a.stockPlanId}`,
      { tx },
    );
    if (!row) throw new Error('the pool adjustment was not stored');
    return row.recorded_at;
  }
}
