import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, empty, raw, Sql, sql } from '../../core/db/database.service';
import type { SignedCheckpoint } from '../audit-checkpoint-signer';

/**
 * Advisory lock key that, with the company's, serialises the company's checkpointers on every
 * instance (another company's never wait).
 */
const AUDIT_CHECKPOINT_LOCK = 7_241_102;

/** One checkpoint as `pg` returns it. */
export interface CheckpointRow {
  seq: string;
  hash: string;
  recorded_at: Date;
  key_id: string;
  signature: string;
  payload: string;
}

/** Sequence numbers as text (bigint); statements order by the column `c.seq`, not by this text. */
const COLUMNS = raw('c.seq::text AS seq, c.hash, c.recorded_at, c.key_id, c.signature, c.payload');

/** The statement that takes the company's checkpointers' lock until the end of the transaction. */
export function checkpointLockSql(): Sql {
  return sql`SELECT pg_advisory_xact_lock(${AUDIT_CHECKPOINT_LOCK}, hashtext(app_company_id()::text))`;
}

/**
 * One page of checkpoints, `limit` rows at most, by sequence number in the given direction and,
 * after a cursor, strictly beyond it (the limit, checked to be a positive whole number, is written
 * into the text).
 */
export function checkpointPageSql(order: 'asc' | 'desc', limit: number, afterSeq?: string): Sql {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`page limit ${limit} is invalid`);
  const beyond = afterSeq
    ? sql` WHERE c.seq ${raw(order === 'asc' ? '>' : '<')} ${afterSeq}::bigint`
    : empty;
  const direction = raw(order === 'asc' ? 'ASC' : 'DESC');
  const rows = raw(String(limit));
  return sql`SELECT ${COLUMNS} FROM audit_checkpoint c${beyond} ORDER BY c.seq ${direction} LIMIT ${rows}`;
}

/** The audit module's checkpoints: the append-only audit_checkpoint table. */
@Injectable()
export class AuditCheckpointsRepository {
  constructor(private readonly db: Database) {}

  /** Serialises checkpointers: the lock is held until the transaction `tx` ends. */
  async lock(tx: EntityManager): Promise<void> {
    await this.db.run(checkpointLockSql(), { tx });
  }

  /** The database's clock, to the millisecond (a checkpoint's time, the same on every instance). */
  async clock(tx: EntityManager): Promise<Date> {
    const [row] = await this.db.rows<{ now: Date }>(
      sql`SELECT date_trunc('milliseconds', clock_timestamp()) AS now`,
      { tx },
    );
    if (!row) throw new Error('the database answered no time');
    return row.now;
  }

  /** The checkpoint with the highest sequence number, if any. */
  async latest(tx?: EntityManager): Promise<CheckpointRow | undefined> {
    const [row] = await this.db.rows<CheckpointRow>(checkpointPageSql('desc', 1), { tx });
    return row;
  }

  async bySeq(seq: string): Promise<CheckpointRow | undefined> {
    const [row] = await this.db.rows<CheckpointRow>(
      sql`SELECT ${COLUMNS} FROM audit_checkpoint c WHERE c.seq = ${seq}::bigint`,
    );
    return row;
  }

  page(order: 'asc' | 'desc', limit: number, afterSeq?: string): Promise<CheckpointRow[]> {
    return this.db.rows<CheckpointRow>(checkpointPageSql(order, limit, afterSeq));
  }

  /** The companies whose chain head has moved beyond their latest checkpoint (all companies). */
  async dueCompanies(): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      sql`SELECT id FROM app_audit_checkpoint_due() AS id`,
      { unscoped: true },
    );
    return rows.map((row) => row.id);
  }

  /** Stores a checkpoint; answers false when its head has one already. */
  async insert(tx: EntityManager, checkpoint: SignedCheckpoint): Promise<boolean> {
    const inserted = await this.db.rows(
      sql`INSERT INTO audit_checkpoint (seq, hash, recorded_at, key_id, signature, payload)
          VALUES (${checkpoint.seq}, ${checkpoint.hash}, ${checkpoint.recorded_at},
                  ${checkpoint.key_id}, ${checkpoint.signature}, ${checkpoint.payload})
          ON CONFLICT (company_id, seq) DO NOTHING
          RETURNING seq`,
      { tx },
    );
    return inserted.length === 1;
  }
}
