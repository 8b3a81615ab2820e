import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ChainedFields, entryHash, GENESIS_HASH } from './audit-chain';
import { AuditEntry } from './audit-entry.entity';
import type { AuditInput } from './audit-input';
import { searchTextOf } from './audit-search-text';
import { AuditRepository } from './audit.repository';

export type { AuditInput } from './audit-input';

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

/** The entry that records `input` as number `seq` of the chain, after the entry `prevHash`. */
function chainedEntry(input: AuditInput, seq: bigint, prevHash: string): AuditEntry {
  const entry = Object.assign(new AuditEntry(), {
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
  return entry;
}

/** Appends entries to the hash-chained log inside the caller's transaction. */
@Injectable()
export class AuditWriter {
  constructor(private readonly repository: AuditRepository) {}

  /**
   * Appends entries in the given order, under the chain lock, with one read of the chain head and
   * one multi-row insert. Entries whose source event is already recorded are skipped (a
   * redelivery); answers the entries written.
   */
  async appendAll(tx: EntityManager, inputs: readonly AuditInput[]): Promise<AuditEntry[]> {
    if (inputs.length === 0) return [];
    await this.repository.lockChain(tx);
    const sourceIds = inputs.flatMap((input) => (input.sourceEventId ? [input.sourceEventId] : []));
    // Read after the lock is held: a statement sees what was committed before it started.
    const state = await this.repository.chainState(tx, sourceIds);
    const recorded = new Set(state.recorded);
    let seq = BigInt(state.headSeq ?? '0');
    let prevHash = state.headHash ?? GENESIS_HASH;
    const entries: AuditEntry[] = [];
    for (const input of inputs) {
      if (input.sourceEventId) {
        if (recorded.has(input.sourceEventId)) continue;
        recorded.add(input.sourceEventId);
      }
      seq += 1n;
      const entry = chainedEntry(input, seq, prevHash);
      prevHash = entry.hash;
      entries.push(entry);
    }
    if (entries.length > 0) await this.repository.insert(tx, entries);
    return entries;
  }
}
