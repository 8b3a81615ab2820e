import { DomainError } from '../core/errors/domain-error';
import type { AuditEntryDto, AuditFilterDto } from './dto/audit-query.dto';

export interface Cursor {
  occurredAt: string;
  seq: string;
}

export function encodeCursor(entry: Pick<AuditRow, 'occurred_at' | 'seq'>): string {
  return Buffer.from(JSON.stringify([entry.occurred_at.toISOString(), entry.seq])).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): Cursor {
  try {
    const [occurredAt, seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    if (
      typeof occurredAt === 'string' &&
      typeof seq === 'string' &&
      /^\d+$/.test(seq) &&
      !Number.isNaN(Date.parse(occurredAt))
    ) {
      return { occurredAt, seq };
    }
  } catch {
    // fall through to the error below
  }
  throw new DomainError('VALIDATION_FAILED', 'cursor is not a cursor this API issued.', {
    errors: [{ field: 'cursor', messages: ['is not a cursor this API issued'] }],
  });
}

/** A parameterised statement for `pg`. */
export interface AuditStatement {
  text: string;
  values: unknown[];
}

/** What a search or export reads of an entry: everything but the text index column. */
const AUDIT_COLUMNS = [
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
].join(', ');

/** One entry as `pg` returns it for AUDIT_COLUMNS. */
export interface AuditRow {
  seq: string;
  occurred_at: Date;
  recorded_at: Date;
  actor_sub: string;
  actor_name: string;
  actor_client_id: string;
  actor_roles: string[];
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: object | null;
  after: object | null;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  outcome: string;
  source_event_id: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * The statement of one page of matching entries, `limit` rows at most, ordered by occurred_at then
 * seq in the filter's direction and, after a cursor, strictly beyond it. Every filter is served by
 * an index that ends with (occurred_at, seq); values are always parameters.
 */
export function auditPageSql(
  filter: AuditFilterDto,
  limit: number,
  cursor?: Cursor,
): AuditStatement {
  const values: unknown[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  const where: string[] = [];
  if (filter.actor) {
    const actor = param(filter.actor);
    where.push(`(actor_name = ${actor} OR actor_sub = ${actor})`);
  }
  if (filter.action?.length) where.push(`action IN (${filter.action.map(param).join(', ')})`);
  if (filter.entity_type) where.push(`entity_type = ${param(filter.entity_type)}`);
  if (filter.entity_id) where.push(`entity_id = ${param(filter.entity_id)}`);
  if (filter.from) where.push(`occurred_at >= ${param(filter.from)}`);
  if (filter.to) where.push(`occurred_at < ${param(filter.to)}`);
  if (filter.outcome) where.push(`outcome = ${param(filter.outcome)}`);
  if (filter.q) {
    const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(`search_text LIKE ${param(pattern)}`);
  }
  const ascending = filter.order === 'asc';
  if (cursor) {
    where.push(
      `(occurred_at, seq) ${ascending ? '>' : '<'} (${param(cursor.occurredAt)}, ${param(cursor.seq)})`,
    );
  }
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`page limit ${limit} is invalid`);
  const direction = ascending ? 'ASC' : 'DESC';
  const text =
    `SELECT ${AUDIT_COLUMNS} FROM audit_entry` +
    (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY occurred_at ${direction}, seq ${direction} LIMIT ${limit}`;
  return { text, values };
}

export function toAuditEntryDto(row: AuditRow): AuditEntryDto {
  return {
    seq: Number(row.seq),
    occurred_at: row.occurred_at.toISOString(),
    recorded_at: row.recorded_at.toISOString(),
    actor: {
      sub: row.actor_sub,
      name: row.actor_name,
      client_id: row.actor_client_id,
      roles: row.actor_roles,
    },
    action: row.action,
    entity_type: row.entity_type,
    entity_id: row.entity_id,
    before: row.before,
    after: row.after,
    request_id: row.request_id,
    ip: row.ip,
    user_agent: row.user_agent,
    outcome: row.outcome,
    source_event_id: row.source_event_id,
    prev_hash: row.prev_hash,
    hash: row.hash,
  };
}
