import type { AuditInput } from './audit-input';

/** What the search text of an entry is made of. */
export type SearchedFields = Pick<
  AuditInput,
  'actor' | 'action' | 'entityType' | 'entityId' | 'before' | 'after'
>;

/**
 * The search text of an entry (column search_text, for the `q` filter through a trigram index):
 * actor name, action, entity type and id, and the details before and after as JSON, lower-cased
 * and separated by spaces; absent parts are left out.
 */
export function searchTextOf(input: SearchedFields): string {
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
