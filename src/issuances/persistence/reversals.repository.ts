import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, sql } from '../../core/db/database.service';
import type { SecurityRow } from './ledger-rows';

/** A terminal transaction as a reversal reads it, under its row lock. */
export interface ReversibleRow {
  id: string;
  kind: string;
  date: string;
  security_id: string;
  quantity: string;
  balance_security_id: string | null;
  resulting_security_ids: string[];
  split_transaction_id: string | null;
  reversed_by_transaction_id: string | null;
}

/** Everything one reversal writes. */
export interface ReversalPlan {
  id: string;
  /** The ledger line undone: a transaction's id, or an original issuance's. */
  reversedId: string;
  /** Whether the line is a transaction (else an original issuance). */
  ofTransaction: boolean;
  date: string;
  /** The security the line spent (restored) or issued (withdrawn). */
  securityId: string;
  quantity: bigint;
  reason: string;
  /** The security outstanding again (a terminal transaction's), if any. */
  restored: SecurityRow | null;
  /** The securities the line created, REVERSED now. */
  withdrawn: SecurityRow[];
  createdBySub: string;
  createdBy: string;
  requestId: string | null;
}

const SECURITY_COLUMNS = sql`
  id, shareholder_id, share_class_id, number_of_shares::text AS number_of_shares, price::text AS price,
  currency, to_char(date, 'YYYY-MM-DD') AS date, status, spent_by_transaction_id`;

/** The statements of a reversal (tables stock_transaction, issuance, share_class). */
@Injectable()
export class ReversalsRepository {
  constructor(private readonly db: Database) {}

  /** The transaction, row-locked until the end of `tx`: reversals of it queue here. */
  async lockTransaction(tx: EntityManager, id: string): Promise<ReversibleRow | undefined> {
    const [row] = await this.db.rows<ReversibleRow>(
      sql`
      SELECT id, kind, to_char(date, 'YYYY-MM-DD') AS date, security_id, quantity::text AS quantity,
             balance_security_id, resulting_security_ids, split_transaction_id, reversed_by_transaction_id
        FROM stock_transaction WHERE id = ${id} FOR UPDATE`,
      { tx },
    );
    return row;
  }

  /** An original issuance (no transaction created it), row-locked. */
  async lockOriginalIssuance(tx: EntityManager, id: string): Promise<SecurityRow | undefined> {
    const [row] = await this.db.rows<SecurityRow>(
      sql`SELECT ${SECURITY_COLUMNS} FROM issuance
           WHERE id = ${id} AND origin_transaction_id IS NULL FOR UPDATE`,
      { tx },
    );
    return row;
  }

  /** Securities by id, row-locked in id order (so concurrent lockers cannot deadlock). */
  lockSecurities(tx: EntityManager, ids: readonly string[]): Promise<SecurityRow[]> {
    return this.db.rows<SecurityRow>(
      sql`SELECT ${SECURITY_COLUMNS} FROM issuance WHERE id = ANY(${ids}::uuid[])
           ORDER BY id FOR UPDATE`,
      { tx },
    );
  }

  /**
   * The reversal row, the reversed transaction marked, the withdrawn securities REVERSED (spent by
   * the reversal on their own date, so no date ever saw them outstanding) and the restored one
   * outstanding again. Answers when the reversal was recorded.
   */
  async record(tx: EntityManager, plan: ReversalPlan): Promise<Date> {
    const [row] = await this.db.rows<{ recorded_at: Date }>(
      sql`
      INSERT INTO stock_transaction (id, kind, date, security_id, quantity, reason, reversed_transaction_id,
                                     created_by_sub, created_by, request_id)
      VALUES (${plan.id}, 'REVERSAL', ${plan.date}::date, ${plan.securityId}, ${plan.quantity.toString()}::bigint,
              ${plan.reason}, ${plan.reversedId}, ${plan.createdBySub}, ${plan.createdBy}, ${plan.requestId})
      RETURNING recorded_at`,
      { tx },
    );
    if (plan.ofTransaction)
      await this.db.run(
        sql`UPDATE stock_transaction SET reversed_by_transaction_id = ${plan.id}
             WHERE id = ${plan.reversedId} AND reversed_by_transaction_id IS NULL`,
        { tx },
      );
    await this.db.run(
      sql`UPDATE issuance SET status = 'REVERSED', spent_by_transaction_id = ${plan.id}, spent_on = date
           WHERE id = ANY(${plan.withdrawn.map((s) => s.id)}::uuid[]) AND status = 'OUTSTANDING'`,
      { tx },
    );
    if (plan.restored)
      await this.db.run(
        sql`UPDATE issuance SET status = 'OUTSTANDING', spent_by_transaction_id = NULL, spent_on = NULL
             WHERE id = ${plan.restored.id} AND spent_by_transaction_id = ${plan.reversedId}`,
        { tx },
      );
    return row.recorded_at;
  }

  /** Lowers a class's outstanding total by `shares`. */
  async lower(tx: EntityManager, shareClassId: string, shares: bigint): Promise<void> {
    await this.db.run(
      sql`UPDATE share_class SET issued_shares = issued_shares - ${shares.toString()}::bigint
           WHERE id = ${shareClassId}`,
      { tx },
    );
  }

  /**
   * Raises a class's outstanding total by `shares` while it stays within today's authorized
   * shares; false (nothing written) when it would not.
   */
  async raise(tx: EntityManager, shareClassId: string, shares: bigint): Promise<boolean> {
    const rows = await this.db.rows<{ id: string }>(
      sql`UPDATE share_class SET issued_shares = issued_shares + ${shares.toString()}::bigint
           WHERE id = ${shareClassId} AND issued_shares + ${shares.toString()}::bigint <= authorized_shares
          RETURNING id`,
      { tx },
    );
    return rows.length > 0;
  }
}
