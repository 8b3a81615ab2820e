import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { plainQuery } from '../core/db/plain-query';
import { entryHash, GENESIS_HASH } from './audit-chain';
import { AuditEntry } from './audit-entry.entity';
import {
  auditPageSql,
  AuditRow,
  AuditStatement,
  Cursor,
  decodeCursor,
  encodeCursor,
  toAuditEntryDto,
} from './audit-query';
import { chainedFieldsOf } from './audit-writer.service';
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

/** Read side of the audit log: search, export and chain verification. Nothing here writes. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(query: AuditQueryDto): Promise<AuditPageDto> {
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    // One row beyond the page tells whether there is a next one.
    const rows = await this.rows(auditPageSql(query, query.limit + 1, cursor));
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
      const rows = await this.rows(auditPageSql(filter, EXPORT_BATCH, cursor));
      const last = rows[rows.length - 1];
      if (!last) return;
      const more = rows.length === EXPORT_BATCH;
      cursor = { occurredAt: last.occurred_at.toISOString(), seq: last.seq };
      yield rows.map(toAuditEntryDto);
      if (!more) return;
    }
  }

  private rows(statement: AuditStatement): Promise<AuditRow[]> {
    return plainQuery<AuditRow>(this.dataSource, statement.text, statement.values);
  }

  /** Walks the whole chain in sequence order and reports the first entry that does not verify. */
  async verify(): Promise<AuditVerificationDto> {
    let expectedSeq = 1n;
    let previousHash = GENESIS_HASH;
    let checked = 0;
    for (;;) {
      const rows = await this.dataSource.manager
        .createQueryBuilder(AuditEntry, 'a')
        .where('a.seq >= :from', { from: expectedSeq.toString() })
        .orderBy('a.seq', 'ASC')
        .limit(VERIFY_BATCH)
        .getMany();
      for (const row of rows) {
        const problem =
          BigInt(row.seq) !== expectedSeq
            ? `sequence ${expectedSeq} is missing`
            : row.prevHash !== previousHash
              ? 'prev_hash does not match the previous entry'
              : entryHash(chainedFieldsOf(row)) !== row.hash
                ? 'the entry content does not match its hash'
                : null;
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
