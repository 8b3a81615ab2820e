import { DomainError } from '../core/errors/domain-error';
import type { AuditRow, Cursor } from './audit.repository';
import type { AuditEntryDto } from './dto/audit-query.dto';

/** The next_cursor of a page: the position of its last entry, opaque to the client. */
export function encodeCursor(entry: Pick<AuditRow, 'occurred_at' | 'seq'>): string {
  return Buffer.from(JSON.stringify([entry.occurred_at.toISOString(), entry.seq])).toString(
    'base64url',
  );
}

/** The position a next_cursor stands for; anything this API did not issue is a validation error. */
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

/** An entry as the API shows it. */
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
