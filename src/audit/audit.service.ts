import { Injectable } from '@nestjs/common';
import { entryHash, GENESIS_HASH } from './audit-chain';
import type { AuditEntry } from './audit-entry.entity';
import { decodeCursor, encodeCursor, toAuditEntryDto } from './audit-query';
import { chainedFieldsOf } from './audit-writer.service';
import { AuditRepository, Cursor } from './audit.repository';
import type {
  AuditEntryDto,
  AuditFilterDto,
  AuditPageDto,
  AuditQueryDto,
  AuditVerificationDto,
} from './dto/audit-query.dto';

const VERIFY_BATCH = 5_000;
/**
 * Entries per export batch, and so per chunk of the response body. Small on purpose: a batch is
 * alive while its chunk is written, and (Node 20, default heap settings) batches of 500 entries
 * lived long enough to be promoted to the old generation: the process grew by about 100 MB
 * during a 100,000-entry export, against about 10 to 40 MB with batches of 100.
 */
const EXPORT_BATCH = 100;

/** Why `row`, expected as number `expectedSeq` after the entry `previousHash`, does not verify. */
function problemOf(row: AuditEntry, expectedSeq: bigint, previousHash: string): string | null {
  if (BigInt(row.seq) !== expectedSeq) return `sequence ${expectedSeq} is missing`;
  if (row.prevHash !== previousHash) return 'prev_hash does not match the previous entry';
  if (entryHash(chainedFieldsOf(row)) !== row.hash) {
    return 'the entry content does not match its hash';
  }
  return null;
}

/** Read side of the audit log: search, export and chain verification. Nothing here writes. */
@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditRepository) {}

  async search(query: AuditQueryDto): Promise<AuditPageDto> {
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    // One row beyond the page tells whether there is a next one.
    const rows = await this.repository.page(query, query.limit + 1, cursor);
    const page = rows.length > query.limit ? rows.slice(0, query.limit) : rows;
    const last = page[page.length - 1];
    return {
      items: page.map(toAuditEntryDto),
      next_cursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  }

  /**
   * Every matching entry, in keyset batches of at most EXPORT_BATCH entries. The next batch is read
   * only when the consumer asks for it, so memory stays flat however many entries there are.
   */
  async *exportBatches(filter: AuditFilterDto): AsyncGenerator<AuditEntryDto[]> {
    let cursor: Cursor | undefined;
    for (;;) {
      const rows = await this.repository.page(filter, EXPORT_BATCH, cursor);
      const last = rows[rows.length - 1];
      if (!last) return;
      const more = rows.length === EXPORT_BATCH;
      cursor = { occurredAt: last.occurred_at.toISOString(), seq: last.seq };
      yield rows.map(toAuditEntryDto);
      if (!more) return;
    }
  }

  /** Walks the whole chain in sequence order and reports the first entry that does not verify. */
  async verify(): Promise<AuditVerificationDto> {
    let expectedSeq = 1n;
    let previousHash = GENESIS_HASH;
    let checked = 0;
    for (;;) {
      const rows = await this.repository.chainFrom(expectedSeq, VERIFY_BATCH);
      for (const row of rows) {
        const problem = problemOf(row, expectedSeq, previousHash);
        if (problem) {
          return {
            ok: false,
            checked,
            first_broken_seq: Number(expectedSeq),
            reason: problem,
            head_seq: null,
            head_hash: previousHash,
          };
        }
        previousHash = row.hash;
        expectedSeq += 1n;
        checked += 1;
      }
      if (rows.length < VERIFY_BATCH) break;
    }
    return {
      ok: true,
      checked,
      first_broken_seq: null,
      reason: null,
      head_seq: checked === 0 ? null : Number(expectedSeq - 1n),
      head_hash: previousHash,
    };
  }
}
