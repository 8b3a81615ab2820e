import type { EventActor } from '../events/outbox-event.entity';

/** The parts of an audit entry its search text is made of. */
export interface AuditSearchFields {
  actor: Pick<EventActor, 'name'>;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

/**
 * The lower-cased text the audit search's `q` filter matches: actor name, action, entity type and
 * id, and the JSON of the before and after snapshots (absent parts left out).
 */
export function searchTextOf(input: AuditSearchFields): string {
  return [
    input.actor.name,
    input.action,
    input.entityType,
    input.entityId,
    JSON.stringify(input.before),
    JSON.stringify(input.after),
  ]
    .filter((part) => part !== null && part !== 'null')
    .join(' ')
    .toLowerCase();
}
