import type { EventActor } from '../events';
import type { AuditOutcome } from './audit-entry.entity';

/** One entry to append to the audit log, before it is chained. */

export interface AuditInput {
  occurredAt: Date;
  actor: EventActor;
  action: string;
  entityType: string;
  entityId: string | null;
  before: object | null;
  after: object | null;
  requestId: string | null;
  outcome: AuditOutcome;
  sourceEventId: string | null;
}
