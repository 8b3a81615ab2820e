import { Injectable } from '@nestjs/common';
import { Database, Scope, Sql, sql } from '../core/db/database.service';
import type { EventName } from './event-map';
import type { EventActor } from './outbox-event.entity';

/** PostgreSQL channel that wakes the relays of every instance. */
export const OUTBOX_CHANNEL = 'outbox_event';

/** One outbox row as the relay claims it. */
export interface OutboxRow {
  company_id: string;
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

/** An outbox row's key: its company and its id. */
export interface OutboxKey {
  companyId: string;
  id: string;
}

const companyIds = (keys: OutboxKey[]) => keys.map((key) => key.companyId);
const ids = (keys: OutboxKey[]) => keys.map((key) => key.id);

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

  /** Many rows of one origin in one statement, their positions in the order given. */
  async insertAll(tx: Scope, rows: readonly OutboxInsert[]): Promise<void> {
    const [first] = rows;
    if (!first) return;
    await this.db.run(
      sql`INSERT INTO outbox_event
          (id, type, aggregate_type, aggregate_id, payload, actor, request_id, occurred_at)
        SELECT e.id, e.type, e.aggregate_type, e.aggregate_id, e.payload,
               ${JSON.stringify(first.actor)}::jsonb, ${first.requestId}, ${first.occurredAt}::timestamptz
          FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.type)}::text[],
                      ${rows.map((r) => r.aggregateType)}::text[], ${rows.map((r) => r.aggregateId)}::text[],
                      ${rows.map((r) => JSON.stringify(r.payload))}::jsonb[])
               WITH ORDINALITY AS e(id, type, aggregate_type, aggregate_id, payload, n)
         ORDER BY e.n`,
      { tx, name: 'outbox_insert_all' },
    );
  }

  async notify(): Promise<void> {
    await this.db.run(sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`, { unscoped: true });
  }

  /*
   * The relay works across companies, so its statements are the schema's SECURITY DEFINER
   * functions (see the company-isolation migration): each touches outbox rows only, by key.
   */

  /** Claims due rows of every company under a lease (FOR UPDATE SKIP LOCKED), oldest first. */
  async claim(limit: number, leaseMs: number, claimedBy: string): Promise<OutboxRow[]> {
    const rows = await this.db.rows<OutboxRow>(
      sql`SELECT * FROM app_outbox_claim(${limit}, ${leaseMs}, ${claimedBy})`,
      { name: 'outbox_claim', unscoped: true },
    );
    return rows.sort((a, b) => Number(BigInt(a.position) - BigInt(b.position)));
  }

  /** Extends the lease of events this relay still holds (not delivered, not parked). */
  async renewLease(keys: OutboxKey[], leaseMs: number, claimedBy: string): Promise<void> {
    await this.db.run(
      sql`SELECT app_outbox_renew(${companyIds(keys)}::uuid[], ${ids(keys)}::uuid[], ${leaseMs}, ${claimedBy})`,
      { unscoped: true },
    );
  }

  async markDelivered(keys: OutboxKey[], claimedBy: string): Promise<void> {
    await this.db.run(
      sql`SELECT app_outbox_mark_delivered(${companyIds(keys)}::uuid[], ${ids(keys)}::uuid[], ${claimedBy})`,
      { name: 'outbox_mark_delivered', unscoped: true },
    );
  }

  async retryLater(
    key: OutboxKey,
    delayMs: number,
    error: string,
    claimedBy: string,
  ): Promise<void> {
    await this.db.run(
      sql`SELECT app_outbox_retry_later(${key.companyId}::uuid, ${key.id}::uuid, ${delayMs}, ${error}, ${claimedBy})`,
      { unscoped: true },
    );
  }

  async deadLetter(key: OutboxKey, error: string, claimedBy: string): Promise<void> {
    await this.db.run(
      sql`SELECT app_outbox_dead_letter(${key.companyId}::uuid, ${key.id}::uuid, ${error}, ${claimedBy})`,
      { unscoped: true },
    );
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

  /** The deployment's events waiting for delivery and dead letters, all companies together. */
  async deploymentCounts(): Promise<{ pending: number; deadLettered: number }> {
    const [row] = await this.db.rows<{ pending: string; dead_lettered: string }>(
      sql`SELECT pending::text, dead_lettered::text FROM app_outbox_counts()`,
      { unscoped: true },
    );
    return { pending: Number(row?.pending ?? 0), deadLettered: Number(row?.dead_lettered ?? 0) };
  }

  /**
   * Whether more than `limit` events wait for delivery: due ones, and ones a relay holds for their
   * first delivery (their lease pushed next_attempt_at ahead); not ones waiting out a retry.
   */
  async backlogExceeds(limit: number): Promise<boolean> {
    const [row] = await this.db.rows<{ exceeds: boolean }>(
      sql`SELECT app_outbox_backlog_exceeds(${limit}) AS exceeds`,
      { unscoped: true },
    );
    return row?.exceeds === true;
  }

  /** Records that `consumer` handled the events, in its transaction; answers the ids new to it. */
  async claimProcessed(tx: Scope, eventIds: string[], consumer: string): Promise<Set<string>> {
    const rows = await this.db.rows<{ event_id: string }>(
      sql`INSERT INTO processed_event (event_id, consumer) SELECT unnest(${eventIds}::uuid[]), ${consumer}
          ON CONFLICT (company_id, event_id, consumer) DO NOTHING RETURNING event_id`,
      { tx },
    );
    return new Set(rows.map((row) => row.event_id));
  }
}
