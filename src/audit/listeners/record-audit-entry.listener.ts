import { Injectable } from '@nestjs/common';
import { Database } from '../../core/db/database.service';
import {
  DeliveredEvent,
  EVENT_NAMES,
  EventName,
  CompanyGroupCommit,
  OnOutboxEvent,
} from '../../events';
import type { AuditOutcome } from '../audit-entry.entity';
import { AuditInput, AuditWriter } from '../audit-writer.service';

/** Events that record something other than a success. */
const OUTCOMES: Partial<Record<EventName, AuditOutcome>> = {
  'auth.login_failed': 'failure',
  'access.denied': 'denied',
};

export function auditInputOf(event: DeliveredEvent): AuditInput {
  const payload = event.payload as object;
  const change =
    'after' in payload
      ? (payload as { before: object | null; after: object })
      : { before: null, after: payload };
  return {
    occurredAt: new Date(event.occurredAt),
    actor: event.actor,
    action: event.type,
    entityType: event.aggregateType,
    entityId: event.aggregateId,
    before: change.before,
    after: change.after,
    requestId: event.requestId,
    outcome: OUTCOMES[event.type] ?? 'success',
    sourceEventId: event.id,
  };
}

/**
 * Records every event of the catalogue in the audit log, once: the unique source event id, checked
 * under the chain lock in the same transaction as the insert, absorbs redeliveries. Events
 * delivered together are appended together (one transaction, one chain lock) in delivery order.
 */
@Injectable()
export class RecordAuditEntryListener {
  private readonly appends = new CompanyGroupCommit<AuditInput>((inputs) =>
    this.db.transaction((tx) => this.writer.appendAll(tx, inputs)).then(() => undefined),
  );

  constructor(
    private readonly db: Database,
    private readonly writer: AuditWriter,
  ) {}

  @OnOutboxEvent(...EVENT_NAMES)
  handle(event: DeliveredEvent): Promise<void> {
    return this.appends.add(auditInputOf(event));
  }
}
