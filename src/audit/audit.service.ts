import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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
const EXPORT_BATCH = 2_000;

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

  /** Streams every matching entry in keyset batches: memory stays flat however many there are. */
  async *exportEntries(filter: AuditFilterDto): AsyncGenerator<AuditEntryDto> {
    let cursor: Cursor | undefined;
    for (;;) {
      const rows = await this.rows(auditPageSql(filter, EXPORT_BATCH, cursor));
      const last = rows[rows.length - 1];
      for (const row of rows) yield toAuditEntryDto(row);
      if (!last || rows.length < EXPORT_BATCH) return;
      cursor = { occurredAt: last.occurred_at.toISOString(), seq: last.seq };
    }
  }

  private rows(statement: AuditStatement): Promise<AuditRow[]> {
    return this.dataSource.query<AuditRow[]>(statement.text, statement.values);
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
