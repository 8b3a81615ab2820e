/**
 * The stored fields of an audit entry that searches and exports read, in order: every column but
 * the text index (`search_text`). The CSV export's header is this list.
 */
export const AUDIT_ENTRY_FIELDS = [
  'seq',
  'occurred_at',
  'recorded_at',
  'actor_sub',
  'actor_name',
  'actor_client_id',
  'actor_roles',
  'action',
  'entity_type',
  'entity_id',
  'before',
  'after',
  'request_id',
  'ip',
  'user_agent',
  'outcome',
  'source_event_id',
  'prev_hash',
  'hash',
] as const;

/** One of AUDIT_ENTRY_FIELDS. */
export type AuditEntryField = (typeof AUDIT_ENTRY_FIELDS)[number];
