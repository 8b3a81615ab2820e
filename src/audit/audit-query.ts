import type { SelectQueryBuilder } from 'typeorm';
import { DomainError } from '../core/errors/domain-error';
import type { AuditEntryDto, AuditFilterDto } from './dto/audit-query.dto';
import type { AuditEntry } from './audit-entry.entity';

export interface Cursor {
  occurredAt: string;
  seq: string;
}

export function encodeCursor(entry: AuditEntry): string {
  return Buffer.from(JSON.stringify([entry.occurredAt.toISOString(), entry.seq])).toString(
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

/** Applies the auditors' filters; every one is served by an index that ends with time. */
export function applyAuditFilters(
  builder: SelectQueryBuilder<AuditEntry>,
  filter: AuditFilterDto,
): SelectQueryBuilder<AuditEntry> {
  if (filter.actor)
    builder.andWhere('(a.actor_name = :actor OR a.actor_sub = :actor)', { actor: filter.actor });
  if (filter.action?.length)
    builder.andWhere('a.action IN (:...actions)', { actions: filter.action });
  if (filter.entity_type)
    builder.andWhere('a.entity_type = :entityType', { entityType: filter.entity_type });
  if (filter.entity_id) builder.andWhere('a.entity_id = :entityId', { entityId: filter.entity_id });
  if (filter.from) builder.andWhere('a.occurred_at >= :from', { from: filter.from });
  if (filter.to) builder.andWhere('a.occurred_at < :to', { to: filter.to });
  if (filter.outcome) builder.andWhere('a.outcome = :outcome', { outcome: filter.outcome });
  if (filter.q) {
    const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    builder.andWhere('a.search_text LIKE :q', { q: pattern });
  }
  const direction = filter.order === 'asc' ? 'ASC' : 'DESC';
  return builder.orderBy('a.occurred_at', direction).addOrderBy('a.seq', direction);
}

export function applyCursor(
  builder: SelectQueryBuilder<AuditEntry>,
  cursor: Cursor,
  order: 'asc' | 'desc',
): void {
  const comparison = order === 'asc' ? '>' : '<';
  builder.andWhere(`(a.occurred_at, a.seq) ${comparison} (:cursorAt, :cursorSeq)`, {
    cursorAt: cursor.occurredAt,
    cursorSeq: cursor.seq,
  });
}

export function toAuditEntryDto(entry: AuditEntry): AuditEntryDto {
  return {
    seq: Number(entry.seq),
    occurred_at: entry.occurredAt.toISOString(),
    recorded_at: entry.recordedAt.toISOString(),
    actor: {
      sub: entry.actorSub,
      name: entry.actorName,
      client_id: entry.actorClientId,
      roles: entry.actorRoles,
    },
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    before: entry.before,
    after: entry.after,
    request_id: entry.requestId,
    ip: entry.ip,
    user_agent: entry.userAgent,
    outcome: entry.outcome,
    source_event_id: entry.sourceEventId,
    prev_hash: entry.prevHash,
    hash: entry.hash,
  };
}
