import { entryHash, GENESIS_HASH } from './audit-chain';
import type { AuditEntry } from './audit-entry.entity';
import { searchTextMatches } from './audit-search-text';
import { chainedFieldsOf } from './audit-writer.service';

/** Why an entry does not verify. */
export type EntryProblemCode =
  'SEQUENCE_MISSING' | 'PREV_HASH_MISMATCH' | 'CONTENT_MISMATCH' | 'SEARCH_TEXT_MISMATCH';

export interface EntryProblem {
  code: EntryProblemCode;
  reason: string;
}

/** Whether the stored content still hashes to the stored hash (content the chain cannot hold: no). */
function contentVerifies(row: AuditEntry): boolean {
  try {
    return entryHash(chainedFieldsOf(row)) === row.hash;
  } catch {
    return false;
  }
}

/** Whether the stored search text is the one the (hashed) content gives. */
function searchTextVerifies(row: AuditEntry): boolean {
  const fields = {
    actor: { sub: row.actorSub, name: row.actorName, client_id: row.actorClientId, roles: [] },
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: row.before,
    after: row.after,
  };
  return searchTextMatches(row.searchText, fields);
}

/** Why `row`, expected as number `expectedSeq` after the entry `previousHash`, does not verify. */
export function problemOf(
  row: AuditEntry,
  expectedSeq: bigint,
  previousHash: string,
): EntryProblem | null {
  if (BigInt(row.seq) !== expectedSeq) {
    return { code: 'SEQUENCE_MISSING', reason: `sequence ${expectedSeq} is missing` };
  }
  if (row.prevHash !== previousHash) {
    return { code: 'PREV_HASH_MISMATCH', reason: 'prev_hash does not match the previous entry' };
  }
  if (!contentVerifies(row)) {
    return { code: 'CONTENT_MISMATCH', reason: 'the entry content does not match its hash' };
  }
  if (!searchTextVerifies(row)) {
    return {
      code: 'SEARCH_TEXT_MISMATCH',
      reason: 'search_text is not the text the entry content gives (it would hide or add matches)',
    };
  }
  return null;
}

/** Where a walk starts: after the entry `seq` (0: the start of the chain) whose hash is `hash`. */
export interface ChainPosition {
  seq: bigint;
  hash: string;
}

export const CHAIN_START: ChainPosition = { seq: 0n, hash: GENESIS_HASH };

export interface ChainWalk {
  /** Entries that verified. */
  checked: number;
  /** The first entry that does not verify, or null when every entry read did. */
  broken: (EntryProblem & { seq: bigint }) | null;
  /** The last entry that verified (the start position when none did). */
  last: ChainPosition;
  /** The hash of each entry asked for in `capture` that was reached and verified. */
  hashes: Map<bigint, string>;
}

/** Reads at most `limit` entries from sequence number `fromSeq` on, in sequence order. */
export type ChainReader = (fromSeq: bigint, limit: number) => Promise<AuditEntry[]>;

/**
 * Walks the chain from `start` to its end in batches and stops at the first entry that does not
 * verify. Each batch is one statement: appends are serialised and commit in sequence order, so
 * every batch sees a gap-free chain (entries appended meanwhile are simply walked too).
 */
export async function walkChain(
  read: ChainReader,
  start: ChainPosition = CHAIN_START,
  capture: readonly bigint[] = [],
  batch = 5_000,
): Promise<ChainWalk> {
  const wanted = new Set(capture);
  const walk: ChainWalk = { checked: 0, broken: null, last: start, hashes: new Map() };
  for (;;) {
    const rows = await read(walk.last.seq + 1n, batch);
    for (const row of rows) {
      const expectedSeq = walk.last.seq + 1n;
      const problem = problemOf(row, expectedSeq, walk.last.hash);
      if (problem) {
        walk.broken = { ...problem, seq: expectedSeq };
        return walk;
      }
      walk.last = { seq: expectedSeq, hash: row.hash };
      if (wanted.has(expectedSeq)) walk.hashes.set(expectedSeq, row.hash);
      walk.checked += 1;
    }
    if (rows.length < batch) return walk;
  }
}
