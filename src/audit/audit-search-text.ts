import { canonicalJson } from './audit-chain';
import type { AuditInput } from './audit-input';

/** What the search text of an entry is made of: all of it covered by the entry's hash. */
export type SearchedFields = Pick<
  AuditInput,
  'actor' | 'action' | 'entityType' | 'entityId' | 'before' | 'after'
>;

/**
 * The search text of an entry (column search_text, for the `q` filter through a trigram index):
 * actor name, action, entity type and id, and the details before and after as canonical JSON
 * (keys sorted, as the hash sees them), lower-cased and separated by spaces; absent parts are left
 * out. It is derived from hashed fields only, so verification can recompute it.
 */
export function searchTextOf(input: SearchedFields): string {
  return [
    input.actor.name,
    input.action,
    input.entityType,
    input.entityId,
    canonicalJson(input.before),
    canonicalJson(input.after),
  ]
    .filter((part) => part !== null && part !== 'null')
    .join(' ')
    .toLowerCase();
}

/** Canonical JSON of a JSON text, or null when it is not JSON the chain could hold. */
function reparsed(text: string): string | null {
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return null;
  }
}

/**
 * Whether `written`, a JSON text of `expected`'s length, holds the same value as `expected` (a
 * lower-cased canonical JSON text) with object keys in another order. Equal length rules out
 * anything but a reordering: `expected` is the shortest text of its value, so added whitespace,
 * longer escapes or a key written twice (to shadow a value) would make `written` longer. When
 * lower-casing made two keys of `expected` collide, its value is not what it spells, and only an
 * exact match counts.
 */
function sameDetailsInAnotherOrder(written: string, expected: string): boolean {
  const value = reparsed(expected);
  if (value === null || value.length !== expected.length) return false;
  return written.length === expected.length && reparsed(written) === value;
}

/**
 * Whether `stored` is the search text of an entry with these (hashed) fields. Entries written
 * since search texts are derived canonically match searchTextOf exactly. Older ones wrote the
 * details' keys in the order the writer held them, which jsonb does not keep: for those, the text
 * must be the same but for the key order inside the details, checked part by part.
 */
export function searchTextMatches(stored: string, fields: SearchedFields): boolean {
  const expected = searchTextOf(fields);
  if (stored === expected) return true;
  if (stored.length !== expected.length) return false;
  // The details come last, each after a space: walk back over them, then compare what is left.
  let end = expected.length;
  for (const detail of [fields.after, fields.before]) {
    if (detail === null) continue;
    const text = canonicalJson(detail).toLowerCase();
    const start = end - text.length;
    if (!sameDetailsInAnotherOrder(stored.slice(start, end), text)) return false;
    if (stored[start - 1] !== ' ') return false;
    end = start - 1;
  }
  return stored.slice(0, end) === expected.slice(0, end);
}
