import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventActor } from '../events/outbox-event.entity';
import { ChainedFields, entryHash, GENESIS_HASH } from './audit-chain';
import { AuditEntry, AuditOutcome } from './audit-entry.entity';
import { searchTextOf } from './audit-search-text';

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

/** Appends entries to the hash-chained log inside the caller's transaction. */
@Injectable()
export class AuditWriter {
  /**
   * Appends entries in the given order, under the chain lock, with one read of the chain head and
   * one multi-row insert. Entries whose source event is already recorded are skipped (a
   * redelivery); answers the entries written.
   */
  async appendAll(tx: EntityManager, inputs: readonly AuditInput[]): Promise<AuditEntry[]> {
    if (inputs.length === 0) return [];
    await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const sourceIds = inputs.flatMap((input) => (input.sourceEventId ? [input.sourceEventId] : []));
    // Read after the lock is held: a statement sees what was committed before it started.
    const [state] = await tx.query<
      Array<{ head_seq: string | null; head_hash: string | null; recorded: string[] }>
    >(
      // Order by the bigint column, not a text alias (which would put '9' after '10').
      `SELECT head.seq::text AS head_seq, head.hash AS head_hash,
              ARRAY(SELECT source_event_id::text FROM audit_entry
                     WHERE source_event_id = ANY($1::uuid[])) AS recorded
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1) head ON true`,
      [sourceIds],
    );
    const recorded = new Set(state?.recorded ?? []);
    let seq = BigInt(state?.head_seq ?? '0');
    let prevHash = state?.head_hash ?? GENESIS_HASH;
    const entries: AuditEntry[] = [];
    for (const input of inputs) {
      if (input.sourceEventId) {
        if (recorded.has(input.sourceEventId)) continue;
        recorded.add(input.sourceEventId);
      }
      seq += 1n;
      const entry = tx.create(AuditEntry, {
        seq: seq.toString(),
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
        prevHash,
        hash: '',
      });
      entry.hash = entryHash(chainedFieldsOf(entry));
      prevHash = entry.hash;
      entries.push(entry);
    }
    if (entries.length > 0) await tx.insert(AuditEntry, entries);
    return entries;
  }
}
