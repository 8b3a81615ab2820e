import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Listener idempotency: call `claim` in the listener's own transaction, before its effect. It
 * answers false when this consumer already handled the event (the effect is then skipped); the
 * claim commits or rolls back together with the effect.
 */
@Injectable()
export class ProcessedEventsService {
  async claim(tx: EntityManager, eventId: string, consumer: string): Promise<boolean> {
    return (await this.claimAll(tx, [eventId], consumer)).has(eventId);
  }

  /** `claim` for several events at once: answers the ids this consumer had not handled yet. */
  async claimAll(tx: EntityManager, eventIds: string[], consumer: string): Promise<Set<string>> {
    const rows = await tx.query<Array<{ event_id: string }>>(
      `INSERT INTO processed_event (event_id, consumer) SELECT unnest($1::uuid[]), $2
       ON CONFLICT (event_id, consumer) DO NOTHING RETURNING event_id`,
      [eventIds, consumer],
    );
    return new Set(rows.map((row) => row.event_id));
  }
}
