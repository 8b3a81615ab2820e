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
    const rows = await tx.query<unknown[]>(
      `INSERT INTO processed_event (event_id, consumer) VALUES ($1, $2)
       ON CONFLICT (event_id, consumer) DO NOTHING RETURNING event_id`,
      [eventId, consumer],
    );
    return rows.length > 0;
  }
}
