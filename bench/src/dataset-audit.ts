/**
 * The audit log of the dataset: seq 1..N gap-free, each entry's hash computed with the service's
 * own canonical form (`entryHash(chainedFieldsOf(…))`) and each `prev_hash` the previous `hash`,
 * streamed with COPY while it is computed. The audit table's secondary indexes are dropped for
 * the COPY and rebuilt after it.
 */
import type { Client } from 'pg';
import { ChainedFields, entryHash, GENESIS_HASH } from '../../src/audit/audit-chain';
import type { AuditEntry } from '../../src/audit/audit-entry.entity';
import { searchTextOf } from '../../src/audit/audit-search-text';
import { chainedFieldsOf } from '../../src/audit/audit-writer.service';
import { copyInto, copyLine, textArray } from './copy';
import { AuditActors, AuditEvent, AuditEvents } from './dataset-audit-events';
import { DAY_MS, Rng, TableLoad, timed } from './dataset-common';
import type { Ledger } from './dataset-ledger';

const COLUMNS = [
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
  'search_text',
  'prev_hash',
  'hash',
];

/** The hash chain: each entry's `prev_hash` is the previous entry's `hash`. */
class AuditChain {
  head = { seq: 0, hash: GENESIS_HASH };
  private prevHash = GENESIS_HASH;

  constructor(private readonly rng: Rng) {}

  /** The entry of `seq`, chained to the previous one, as a COPY line. */
  lineOf(seq: number, occurred: number, event: AuditEvent): string {
    const { actor, action, entityType, entityId, before, after, outcome } = event;
    const entry = {
      seq: String(seq),
      occurredAt: new Date(occurred),
      recordedAt: new Date(occurred + 2 + Math.floor(this.rng.random() * 40)),
      actorSub: actor.sub,
      actorName: actor.name,
      actorClientId: actor.client_id,
      actorRoles: actor.roles,
      action,
      entityType,
      entityId,
      before,
      after,
      requestId: this.rng.uuid(),
      ip: actor.ip ?? null,
      userAgent: actor.user_agent ?? null,
      outcome,
      sourceEventId: this.rng.uuid(),
      prevHash: this.prevHash,
    };
    const fields: ChainedFields = chainedFieldsOf({ ...entry, hash: '' } as unknown as AuditEntry);
    const hash = entryHash(fields);
    this.prevHash = hash;
    this.head = { seq, hash };
    return copyLine([
      seq,
      fields.occurred_at,
      fields.recorded_at,
      entry.actorSub,
      entry.actorName,
      entry.actorClientId,
      textArray(entry.actorRoles),
      action,
      entityType,
      entityId,
      before === null ? null : JSON.stringify(before),
      after === null ? null : JSON.stringify(after),
      entry.requestId,
      entry.ip,
      entry.userAgent,
      outcome,
      entry.sourceEventId,
      searchTextOf({ actor, action, entityType, entityId, before, after }),
      entry.prevHash,
      hash,
    ]);
  }
}

export interface LoadedAuditLog {
  head: { seq: number; hash: string };
  /** The span of the entries' `occurred_at`. */
  start: number;
  end: number;
}

export async function loadAuditLog(
  client: Client,
  loads: TableLoad[],
  rng: Rng,
  ledger: Ledger,
  actors: AuditActors,
  total: number,
): Promise<LoadedAuditLog> {
  const { rows: indexRows } = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename = 'audit_entry' AND indexname <> 'pk_audit_entry'`,
  );
  for (const index of indexRows) await client.query(`DROP INDEX "${index.indexname}"`);
  const start = ledger.formation + 3_600_000;
  const end = ledger.lastIssueDay + DAY_MS - 3_600_000;
  const step = (end - start) / total;
  const events = new AuditEvents(rng, ledger, actors, total);
  const chain = new AuditChain(rng);
  function* lines(): Generator<string> {
    for (let seq = 1; seq <= total; seq += 1) {
      const event = events.eventAt(seq);
      const occurred = start + Math.floor((seq - 1) * step) + Math.floor(rng.random() * step * 0.8);
      yield chain.lineOf(seq, occurred, event);
    }
  }
  await timed(loads, 'audit_entry (hash chain + COPY)', async () => {
    const stats = await copyInto(client, 'audit_entry', COLUMNS, lines());
    return { rows: stats.rows, copyBytes: stats.bytes };
  });
  await timed(loads, `audit_entry indexes (${indexRows.length}, rebuilt after COPY)`, async () => {
    for (const index of indexRows) await client.query(index.indexdef);
    return { rows: total };
  });
  return { head: chain.head, start, end };
}
