import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventActor } from '../events/outbox-event.entity';
import { ChainedFields, entryHash, GENESIS_HASH } from './audit-chain';
import { AuditEntry, AuditOutcome } from './audit-entry.entity';

/** Fixed advisory lock key that serialises appends, so the chain has one head. */
const AUDIT_CHAIN_LOCK = 7_241_101;

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

export function chainedFieldsOf(entry: AuditEntry): ChainedFields {
  return {
    seq: Number(entry.seq),
    occurred_at: entry.occurredAt.toISOString(),
    recorded_at: entry.recordedAt.toISOString(),
    actor_sub: entry.actorSub,
    actor_name: entry.actorName,
    actor_client_id: entry.actorClientId,
    actor_roles: entry.actorRoles,
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
  };
}

const searchTextOf = (input: AuditInput): string =>
  [
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

/** Appends entries to the hash-chained log inside the caller's transaction. */
@Injectable()
export class AuditWriter {
  /** Appends one entry; answers null when the source event was already recorded. */
  async append(tx: EntityManager, input: AuditInput): Promise<AuditEntry | null> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    if (
      input.sourceEventId &&
      (await tx.exists(AuditEntry, { where: { sourceEventId: input.sourceEventId } }))
    ) {
      return null;
    }
    const [head] = await tx.query<Array<{ head_seq: string; hash: string }>>(
      // Order by the bigint column, not the text alias (which would put '9' after '10').
      'SELECT a.seq::text AS head_seq, a.hash FROM audit_entry a ORDER BY a.seq DESC LIMIT 1',
    );
    const entry = tx.create(AuditEntry, {
      seq: head ? String(BigInt(head.head_seq) + 1n) : '1',
      occurredAt: input.occurredAt,
      recordedAt: new Date(),
      actorSub: input.actor.sub,
      actorName: input.actor.name,
      actorClientId: input.actor.client_id,
      actorRoles: input.actor.roles,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      before: input.before,
      after: input.after,
      requestId: input.requestId,
      ip: input.actor.ip ?? null,
      userAgent: input.actor.user_agent ?? null,
      outcome: input.outcome,
      sourceEventId: input.sourceEventId,
      searchText: searchTextOf(input),
      prevHash: head?.hash ?? GENESIS_HASH,
      hash: '',
    });
    entry.hash = entryHash(chainedFieldsOf(entry));
    await tx.insert(AuditEntry, entry);
    return entry;
  }
}
