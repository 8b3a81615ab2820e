import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ActionContext } from '../core/http/action-context';
import type { EventMap, EventName } from './event-map';
import { OutboxEvent } from './outbox-event.entity';

export interface PublishedEvent<K extends EventName> {
  type: K;
  aggregateType: string;
  aggregateId: string;
  payload: EventMap[K];
}

/**
 * Writes events into the outbox inside the caller's transaction, so an event exists exactly when
 * the change it describes was committed.
 */
@Injectable()
export class OutboxService {
  async publish<K extends EventName>(
    tx: EntityManager,
    event: PublishedEvent<K>,
    context: ActionContext,
  ): Promise<string> {
    const id = randomUUID();
    const { principal, meta } = context;
    const row = tx.create(OutboxEvent, {
      id,
      type: event.type,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      payload: event.payload,
      actor: {
        sub: principal.sub,
        name: principal.actorName,
        client_id: principal.clientId,
        roles: principal.roles,
        ip: meta.ip,
        user_agent: meta.userAgent,
      },
      requestId: meta.requestId,
      occurredAt: new Date(),
    });
    await tx.insert(OutboxEvent, row);
    return id;
  }
}
