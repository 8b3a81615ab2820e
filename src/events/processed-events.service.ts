import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxRepository } from './events.repository';

/**
 * Listener idempotency: call `claim` in the listener's own transaction, before its effect. It
 * answers false when this consumer already handled the event (the effect is then skipped); the
 * claim commits or rolls back together with the effect.
 */
@Injectable()
export class ProcessedEventsService {
  constructor(private readonly repository: OutboxRepository) {}

  async claim(tx: EntityManager, eventId: string, consumer: string): Promise<boolean> {
    return (await this.claimAll(tx, [eventId], consumer)).has(eventId);
  }

  /** `claim` for several events at once: answers the ids this consumer had not handled yet. */
  claimAll(tx: EntityManager, eventIds: string[], consumer: string): Promise<Set<string>> {
    return this.repository.claimProcessed(tx, eventIds, consumer);
  }
}
