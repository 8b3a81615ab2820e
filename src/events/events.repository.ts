import { Injectable } from '@nestjs/common';
import { Database, Scope, Sql, sql } from '../core/db/database.service';
import type { EventName } from './event-map';
import type { EventActor } from './outbox-event.entity';

/** PostgreSQL channel that wakes the relays of every instance. */
export const OUTBOX_CHANNEL = 'outbox_event';

/** One outbox row as the relay claims it. */
export interface OutboxRow {
  id: string;
  position: string;
  type: EventName;
  aggregate_type: string;
  aggregate_id: string;
  payload: never;
  actor: EventActor;
  request_id: string | null;
  occurred_at: Date;
  attempts: number;
}

/** The values of one new outbox row. */
export interface OutboxInsert {
  id: string;
  type: EventName;
  aggregateType: string;
  aggregateId: string;
  payload: unknown;
  actor: EventActor;
  requestId: string | null;
  occurredAt: Date;
}

export interface DeadLetterRow {
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  attempts: number;
  last_error: string | null;
  occurred_at: Date;
  dead_lettered_at: Date;
}

const seconds = (ms: number): Sql => sql`make_interval(secs => ${ms}::double precision / 1000)`;

/** All SQL of the events module: the outbox, its relay's leases, and listener idempotency. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly db: Database) {}

  /**
   * The INSERT of one outbox row, for a statement that writes a change and its event together:
   * `source` is the rest of the SELECT (e.g. `FROM inserted`), so the event exists exactly when the
   * change's row does. Empty `source`: the row is inserted unconditionally.
   */
  insertSql(row: OutboxInsert, source: Sql): Sql {
    return sql`INSERT INTO outbox_event
        (id, type, aggregate_type, aggregate_id, payload, actor, request_id, occurred_at)
      SELECT ${row.id}::uuid, ${row.type}, ${row.aggregateType}, ${row.aggregateId},
             ${JSON.stringify(row.payload)}::jsonb, ${JSON.stringify(row.actor)}::jsonb,
             ${row.requestId}, ${row.occurredAt}::timestamptz ${source}`;
  }

  async insert(tx: Scope, row: OutboxInsert, source: Sql): Promise<void> {
    await this.db.run(this.insertSql(row, source), { tx });
  }

  async notify(): Promise<void> {
    await this.db.run(sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`);
  }

  /** Claims due rows under a lease (FOR UPDATE SKIP LOCKED), oldest first. */
  async claim(limit: number, leaseMs: number, claimedBy: string): Promise<OutboxRow[]> {
    const rows = await this.db.rows<OutboxRow>(sql`
      UPDATE outbox_event
         SET next_attempt_at = now() + ${seconds(leaseMs)}, attempts = attempts + 1, claimed_by = ${claimedBy}
       WHERE id IN (SELECT id FROM outbox_event
                     WHERE delivered_at IS NULL AND dead_lettered_at IS NULL AND next_attempt_at <= now()
                     ORDER BY position
                     LIMIT ${limit}
                     FOR UPDATE SKIP LOCKED)
      RETURNING id, position, type, aggregate_type, aggregate_id, payload, actor, request_id,
                occurred_at, attempts`);
    return rows.sort((a, b) => Number(BigInt(a.position) - BigInt(b.position)));
  }

  /** Extends the lease of events this relay still holds (not delivered, not parked). */
  async renewLease(ids: string[], leaseMs: number, claimedBy: string): Promise<void> {
    await this.db.run(sql`
      UPDATE outbox_event SET next_attempt_at = now() + ${seconds(leaseMs)}
       WHERE id = ANY(${ids}::uuid[]) AND claimed_by = ${claimedBy}
         AND delivered_at IS NULL AND dead_lettered_at IS NULL`);
  }

  async markDelivered(ids: string[], claimedBy: string): Promise<void> {
    await this.db.run(sql`
      UPDATE outbox_event SET delivered_at = now(), last_error = NULL
       WHERE id = ANY(${ids}::uuid[]) AND claimed_by = ${claimedBy} AND delivered_at IS NULL`);
  }

  async retryLater(id: string, delayMs: number, error: string, claimedBy: string): Promise<void> {
    await this.db.run(sql`
      UPDATE outbox_event SET next_attempt_at = now() + ${seconds(delayMs)}, last_error = ${error}
       WHERE id = ${id} AND claimed_by = ${claimedBy}`);
  }

  async deadLetter(id: string, error: string, claimedBy: string): Promise<void> {
    await this.db.run(sql`
      UPDATE outbox_event SET dead_lettered_at = now(), last_error = ${error}
       WHERE id = ${id} AND claimed_by = ${claimedBy}`);
  }

  deadLetters(limit: number): Promise<DeadLetterRow[]> {
    return this.db.rows<DeadLetterRow>(sql`
      SELECT id, type, aggregate_type, aggregate_id, attempts, last_error, occurred_at, dead_lettered_at
        FROM outbox_event
       WHERE dead_lettered_at IS NOT NULL AND delivered_at IS NULL
       ORDER BY dead_lettered_at DESC
       LIMIT ${limit}`);
  }

  /** Gives a dead-lettered event a fresh set of attempts; false when there is no such event. */
  async revive(id: string): Promise<boolean> {
    const { count } = await this.db.run(sql`
      UPDATE outbox_event SET dead_lettered_at = NULL, attempts = 0, next_attempt_at = now(), claimed_by = NULL
       WHERE id = ${id} AND dead_lettered_at IS NOT NULL AND delivered_at IS NULL`);
    return count > 0;
  }

  async pendingCount(): Promise<number> {
    return this.count(sql`delivered_at IS NULL AND dead_lettered_at IS NULL`);
  }

  async deadLetterCount(): Promise<number> {
    return this.count(sql`dead_lettered_at IS NOT NULL AND delivered_at IS NULL`);
  }

  /**
   * Whether more than `limit` events wait for delivery: due ones, and ones a relay holds for their
   * first delivery (their lease pushed next_attempt_at ahead); not ones waiting out a retry.
   */
  async backlogExceeds(limit: number): Promise<boolean> {
    const rows = await this.db.rows(sql`
      SELECT 1 FROM outbox_event
       WHERE delivered_at IS NULL AND dead_lettered_at IS NULL
         AND (next_attempt_at <= now() OR last_error IS NULL)
       LIMIT 1 OFFSET ${limit}`);
    return rows.length > 0;
  }

  /** Records that `consumer` handled the events, in its transaction; answers the ids new to it. */
  async claimProcessed(tx: Scope, eventIds: string[], consumer: string): Promise<Set<string>> {
    const rows = await this.db.rows<{ event_id: string }>(
      sql`INSERT INTO processed_event (event_id, consumer) SELECT unnest(${eventIds}::uuid[]), ${consumer}
          ON CONFLICT (event_id, consumer) DO NOTHING RETURNING event_id`,
      { tx },
    );
    return new Set(rows.map((row) => row.event_id));
  }

  private async count(where: Sql): Promise<number> {
    const [row] = await this.db.rows<{ n: string }>(
      sql`SELECT count(*)::text AS n FROM outbox_event WHERE ${where}`,
    );
    return Number(row?.n ?? 0);
  }
}
