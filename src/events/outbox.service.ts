import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Gauge } from 'prom-client';
import type { ActionContext } from '../core/http/action-context';
import { Database, empty, Scope, Sql } from '../core/db/database.service';
import { MetricsService } from '../core/metrics/metrics.service';
import type { EventMap, EventName } from './event-map';
import type { EventActor } from './outbox-event.entity';
import { OutboxRelay } from './outbox-relay';
import { DeadLetterRow, OutboxRepository } from './events.repository';

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

/** Builds the outbox INSERT of the event for one statement; `source` ends its SELECT. */
export type InsertEvent = (source: Sql) => Sql;

/** Events per statement of publishAll. */
const PUBLISH_BATCH = 2_000;

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
      ...(meta.via ? { via: meta.via } : {}),
    },
    requestId: meta.requestId,
  };
}

/**
 * The one way to write events: into the outbox, inside the change's own transaction or statement,
 * so an event exists exactly when the change it describes was committed. Relays are woken once that
 * commit happened, never by a NOTIFY inside it: a NOTIFY takes a database-wide lock from its commit
 * until the commit is flushed, which would serialise every write.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);
  private notifyScheduled = false;

  constructor(
    private readonly db: Database,
    private readonly repository: OutboxRepository,
    private readonly relay: OutboxRelay,
    metrics: MetricsService,
  ) {
    this.registerGauges(metrics);
  }

  /** Writes the event in the transaction `tx` (its own INSERT); answers the event's id. */
  async publish<K extends EventName>(
    tx: Scope,
    event: PublishedEvent<K>,
    context: ActionContext | EventOrigin,
  ): Promise<string> {
    return this.publishWithin(tx, event, context, async (insertEvent) => {
      await this.db.run(insertEvent(empty), { tx });
      return undefined;
    }).then(({ eventId }) => eventId);
  }

  /**
   * Many events of one change (e.g. a split's, one per security) in the transaction `tx`, a few
   * thousand rows per statement; the relays are woken after the commit.
   */
  async publishAll<K extends EventName>(
    tx: Scope,
    events: ReadonlyArray<PublishedEvent<K>>,
    context: ActionContext | EventOrigin,
  ): Promise<void> {
    const { actor, requestId } = originOf(context);
    const occurredAt = new Date();
    const rows = events.map((event) => ({
      ...event,
      id: randomUUID(),
      actor,
      requestId,
      occurredAt,
    }));
    for (let start = 0; start < rows.length; start += PUBLISH_BATCH)
      await this.repository.insertAll(tx, rows.slice(start, start + PUBLISH_BATCH));
    this.db.afterCommit(tx, () => this.committed());
  }

  /**
   * For a change written by one statement together with its event: `statement` receives the
   * event's INSERT (to embed, typically as a CTE whose `source` is `FROM <the change's CTE>`) and
   * runs the statement in `scope`. The relays are woken after the commit.
   */
  async publishWithin<K extends EventName, T>(
    scope: Scope,
    event: PublishedEvent<K>,
    context: ActionContext | EventOrigin,
    statement: (insertEvent: InsertEvent) => Promise<T>,
  ): Promise<{ eventId: string; result: T }> {
    const { actor, requestId } = originOf(context);
    const row = { ...event, id: randomUUID(), actor, requestId, occurredAt: new Date() };
    const result = await statement((source) => this.repository.insertSql(row, source));
    this.db.afterCommit(scope, () => this.committed());
    return { eventId: row.id, result };
  }

  /** Whether more than `limit` events wait for their first delivery (background work yields). */
  backlogExceeds(limit: number): Promise<boolean> {
    return this.repository.backlogExceeds(limit);
  }

  deadLetters(limit: number): Promise<DeadLetterRow[]> {
    return this.repository.deadLetters(limit);
  }

  /** Delivers a dead-lettered event again with fresh attempts; false when there is none. */
  async retryDeadLetter(id: string): Promise<boolean> {
    const revived = await this.repository.revive(id);
    if (revived) this.committed();
    return revived;
  }

  /**
   * Wakes a relay after a commit that wrote events. This instance's relay is woken in-process; if
   * it does not relay, one NOTIFY outside any write transaction wakes the others (at most one every
   * 20 ms). Polling (OUTBOX_POLL_INTERVAL_MS) covers anything missed.
   */
  private committed(): void {
    if (this.relay.isRelaying) {
      this.relay.wake();
      return;
    }
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    setTimeout(() => {
      this.notifyScheduled = false;
      this.repository.notify().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'Could not notify the outbox relays; they will poll');
      });
    }, 20).unref();
  }

  private registerGauges(metrics: MetricsService): void {
    const repository = this.repository;
    new Gauge({
      name: 'outbox_pending_events',
      help: 'Events waiting for delivery (dead letters excluded)',
      registers: [metrics.registry],
      async collect() {
        this.set((await repository.deploymentCounts()).pending);
      },
    });
    new Gauge({
      name: 'outbox_dead_letters',
      help: 'Events parked after failing every attempt',
      registers: [metrics.registry],
      async collect() {
        this.set((await repository.deploymentCounts()).deadLettered);
      },
    });
  }
}
