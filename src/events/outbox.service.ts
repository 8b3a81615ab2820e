import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { ActionContext } from '../core/http/action-context';
import type { EventMap, EventName } from './event-map';
import { EventActor, OutboxEvent } from './outbox-event.entity';
import { OutboxRelay } from './outbox-relay';

export interface PublishedEvent<K extends EventName> {
  type: K;
  aggregateType: string;
  aggregateId: string;
  payload: EventMap[K];
}

/** Who caused an event and through which request, for events without an authenticated caller. */
export interface EventOrigin {
  actor: EventActor;
  requestId: string | null;
}

/** PostgreSQL channel notified (at commit) whenever events were written. */
export const OUTBOX_CHANNEL = 'outbox_event';

export function originOf(context: ActionContext | EventOrigin): EventOrigin {
  if ('actor' in context) return context;
  const { principal, meta } = context;
  return {
    actor: {
      sub: principal.sub,
      name: principal.actorName,
      client_id: principal.clientId,
      roles: principal.roles,
      ip: meta.ip,
      user_agent: meta.userAgent,
    },
    requestId: meta.requestId,
  };
}

/** Marks a transaction (its query runner's data) that wrote outbox events. */
export interface OutboxRunnerData {
  outboxWritten?: boolean;
}

/** The columns `outboxValues` fills, in order, for callers that insert within a larger statement. */
export const OUTBOX_INSERT_COLUMNS =
  'id, type, aggregate_type, aggregate_id, payload, actor, request_id, occurred_at';

/** The SQL expression that wakes the relays at commit (see OUTBOX_CHANNEL). */
export const OUTBOX_NOTIFY_SQL = `pg_notify('${OUTBOX_CHANNEL}', '')`;

/**
 * Writes events into the outbox inside the caller's transaction, so an event exists exactly when
 * the change it describes was committed. Relays are woken once the transaction has committed
 * (see `committed`), never by a NOTIFY inside it.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);
  private notifyScheduled = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {}

  async publish<K extends EventName>(
    tx: EntityManager,
    event: PublishedEvent<K>,
    context: ActionContext | EventOrigin,
  ): Promise<string> {
    const id = randomUUID();
    const origin = originOf(context);
    const row = tx.create(OutboxEvent, {
      id,
      type: event.type,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      payload: event.payload,
      actor: origin.actor,
      requestId: origin.requestId,
      occurredAt: new Date(),
    });
    await tx.insert(OutboxEvent, row);
    const runner = tx.queryRunner;
    if (runner?.isTransactionActive) {
      // Woken after the commit (OutboxCommitSubscriber), not by a NOTIFY inside the transaction.
      (runner.data as OutboxRunnerData).outboxWritten = true;
    } else {
      await tx.query(`SELECT ${OUTBOX_NOTIFY_SQL}`);
    }
    return id;
  }

  /**
   * The values of one outbox row (OUTBOX_INSERT_COLUMNS), for a hot path that writes the event in
   * the same statement as its change; call `committed()` once that change is committed.
   */
  values<K extends EventName>(
    event: PublishedEvent<K>,
    context: ActionContext | EventOrigin,
  ): { id: string; values: unknown[] } {
    const id = randomUUID();
    const origin = originOf(context);
    return {
      id,
      values: [
        id,
        event.type,
        event.aggregateType,
        event.aggregateId,
        JSON.stringify(event.payload),
        JSON.stringify(origin.actor),
        origin.requestId,
        new Date(),
      ],
    };
  }

  /**
   * Wakes a relay after a commit that wrote outbox events. There is no NOTIFY inside the write
   * transactions: a NOTIFY takes a database-wide lock from its commit until the commit is flushed,
   * which serialises every notifying write. This instance's relay is woken in-process; if it does
   * not relay, one NOTIFY outside any write transaction wakes the others (at most one every
   * 20 ms). Polling (OUTBOX_POLL_INTERVAL_MS) covers anything missed.
   */
  committed(): void {
    if (this.relay.isRelaying) {
      this.relay.wake();
      return;
    }
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    setTimeout(() => {
      this.notifyScheduled = false;
      this.dataSource.query(`SELECT ${OUTBOX_NOTIFY_SQL}`).catch((error: unknown) => {
        this.logger.warn({ err: error }, 'Could not notify the outbox relays; they will poll');
      });
    }, 20).unref();
  }
}
