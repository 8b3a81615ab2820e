import { applyDecorators } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { EventMap, EventName } from './event-map';
import type { EventActor } from './outbox-event.entity';

/** What a listener receives: one outbox row, delivered at least once. */
export interface DeliveredEvent<K extends EventName = EventName> {
  /** The company the event happened in; its listeners run for it (CompanyContext). */
  companyId: string;
  id: string;
  type: K;
  aggregateType: string;
  aggregateId: string;
  payload: EventMap[K];
  actor: EventActor;
  requestId: string | null;
  occurredAt: Date;
}

/**
 * Subscribes a listener to an outbox event. Errors propagate (Nest's default would swallow them),
 * so the relay marks the event delivered only when every listener succeeded; a listener must be
 * idempotent (see ProcessedEventsService) because a retry runs all listeners again.
 */
export const OnOutboxEvent = (...names: EventName[]): MethodDecorator =>
  // One OnEvent per name: EventEmitter2 would read an array as a namespace path, not a list.
  applyDecorators(...names.map((name) => OnEvent(name, { suppressErrors: false, async: false })));
