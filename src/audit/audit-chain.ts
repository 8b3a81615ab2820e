import { createHash } from 'node:crypto';

/** The hash that precedes the first entry of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted, no whitespace. Audit payloads hold only strings, safe
 * integers, booleans, null, arrays and objects (money is always a decimal string), so this is
 * stable across PostgreSQL jsonb round trips, which reorder keys.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      throw new Error(`audit values must be safe integers or strings, got ${value}`);
    }
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The fields of an entry that its hash covers: everything but the hash itself. */
export interface ChainedFields {
  seq: number;
  occurred_at: string;
  recorded_at: string;
  actor_sub: string;
  actor_name: string;
  actor_client_id: string;
  actor_roles: string[];
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  outcome: string;
  source_event_id: string | null;
  prev_hash: string;
}

export function entryHash(fields: ChainedFields): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}
