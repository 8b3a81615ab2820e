import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, empty, join, raw, Sql, sql } from '../core/db/database.service';
import { csvCellSql } from '../core/http/csv-cell';
import type { AuditExportFormat } from './audit-export';
import { AUDIT_ENTRY_FIELDS, AuditEntryField } from './audit-fields';
import { AuditEntry } from './audit-entry.entity';
import type { AuditFilterDto } from './dto/audit-query.dto';

/**
 * Advisory lock key that, with the company's, serialises the appends to a company's chain, so the
 * chain has one head; another company's appends never wait on it.
 */
const AUDIT_CHAIN_LOCK = 7_241_101;

/** A position in the (occurred_at, seq) order; a page after it continues strictly beyond it. */
export interface Cursor {
  occurredAt: string;
  seq: string;
}

/**
 * One entry of a page: its JSON as the API shows it (the export's JSON line), and its position
 * (occurred_at to the microsecond, UTC; seq) for the next page's cursor.
 */
export interface AuditPageRow {
  line: string;
  cursor_at: string;
  cursor_seq: string;
}

/** The head of the chain (none while it is empty) and the source events it already records. */
export interface ChainState {
  headSeq: string | null;
  headHash: string | null;
  recorded: string[];
}

/** `q` as a LIKE pattern that matches it literally, anywhere in the lower-cased search text. */
const containsPattern = (q: string): string =>
  `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The conditions of a filter and, after a cursor, of the position beyond it; joined with AND. */
function pageConditions(filter: AuditFilterDto, cursor?: Cursor): Sql[] {
  const where: Sql[] = [];
  const { actor, action, entity_type, entity_id, from, to, outcome, q } = filter;
  if (actor) where.push(sql`(actor_name = ${actor} OR actor_sub = ${actor})`);
  if (action?.length) where.push(sql`action IN (${join(action, ', ')})`);
  if (entity_type) where.push(sql`entity_type = ${entity_type}`);
  if (entity_id) where.push(sql`entity_id = ${entity_id}`);
  if (from) where.push(sql`occurred_at >= ${from}`);
  if (to) where.push(sql`occurred_at < ${to}`);
  if (outcome) where.push(sql`outcome = ${outcome}`);
  // LIKE is not LEAKPROOF, so under row-level security it could not use the trigram index: the
  // schema's function searches the current company's entries with it.
  if (q) where.push(sql`seq IN (SELECT app_audit_search(${containsPattern(q)}))`);
  if (cursor) {
    const beyond = raw(filter.order === 'asc' ? '>' : '<');
    where.push(sql`(occurred_at, seq) ${beyond} (${cursor.occurredAt}, ${cursor.seq})`);
  }
  return where;
}

/** A timestamp as `Date.toISOString` writes it (milliseconds, UTC). */
const isoTime = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** occurred_at to the microsecond (UTC), as a cursor holds it. */
const PRECISE_TIME = raw(
  `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
);

/** Text for the CSV cell of a field where its column is not text itself. */
const CSV_TEXT: Partial<Record<AuditEntryField, string>> = {
  occurred_at: isoTime('occurred_at'),
  recorded_at: isoTime('recorded_at'),
  actor_roles: "array_to_string(actor_roles, ' ')",
  before: 'before::text',
  after: 'after::text',
  source_event_id: 'source_event_id::text',
};

/** A field's CSV cell in SQL: the sequence number as a number, every other field as text. */
const csvCellOf = (field: AuditEntryField): string =>
  field === 'seq' ? 'seq::text' : csvCellSql(CSV_TEXT[field] ?? field);

/**
 * Each entry as one line of an export or a page, written by PostgreSQL: the JSON of its AuditEntryDto
 * (`row_to_json`, compact; `before` and `after` as PostgreSQL prints jsonb, with a space after
 * each colon and comma), or its CSV record in the order of AUDIT_ENTRY_FIELDS, every text cell
 * through csvCellSql. Numbers in `before` and `after` keep their digits exactly as stored.
 */
const EXPORT_LINE = {
  json: raw(`(SELECT row_to_json(e)::text FROM (SELECT seq, ${isoTime('occurred_at')} AS occurred_at,
      ${isoTime('recorded_at')} AS recorded_at,
      (SELECT actor FROM (SELECT actor_sub AS sub, actor_name AS name,
                                 actor_client_id AS client_id, actor_roles AS roles) actor) AS actor,
      action, entity_type, entity_id, before, after, request_id, ip, user_agent, outcome,
      source_event_id, prev_hash, hash) e)`),
  csv: raw(`concat_ws(',', ${AUDIT_ENTRY_FIELDS.map(csvCellOf).join(',\n')})`),
};

/**
 * The statement of one page of matching entries, `limit` rows at most (see AuditPageRow), ordered
 * by occurred_at then seq in the filter's direction and, after a cursor, strictly beyond it. Every
 * filter is served by an index that ends with (occurred_at, seq); values are always parameters
 * (the limit, checked to be a positive whole number, is written into the text).
 */
const FROM_AUDIT_ENTRY = sql`FROM audit_entry`;

/** The matching entries after `cursor` (if any), in the order of the filter's direction. */
function matchingInOrder(filter: AuditFilterDto, cursor?: Cursor): Sql {
  const conditions = pageConditions(filter, cursor);
  const where = conditions.length ? join(conditions, ' AND ', ' WHERE ') : empty;
  const direction = raw(filter.order === 'asc' ? 'ASC' : 'DESC');
  return sql`${FROM_AUDIT_ENTRY}${where} ORDER BY occurred_at ${direction}, seq ${direction}`;
}

export function auditPageSql(filter: AuditFilterDto, limit: number, cursor?: Cursor): Sql {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`page limit ${limit} is invalid`);
  const rows = raw(String(limit));
  return sql`SELECT ${EXPORT_LINE.json} AS line, ${PRECISE_TIME} AS cursor_at, seq::text AS cursor_seq
    ${matchingInOrder(filter, cursor)} LIMIT ${rows}`;
}

/**
 * The statement of a whole export: every entry that matches `filter`, one text column (a line in
 * `format`), in the order of its pages (occurred_at then seq, in the filter's direction).
 */
export function auditExportSql(filter: AuditFilterDto, format: AuditExportFormat): Sql {
  return sql`SELECT ${EXPORT_LINE[format]} ${matchingInOrder(filter)}`;
}

/** The statement that takes the chain lock until the end of the transaction. */
export function chainLockSql(): Sql {
  return sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}, hashtext(app_company_id()::text))`;
}

/** The statement that reads the chain head and which of `sourceEventIds` are recorded already. */
export function chainStateSql(sourceEventIds: readonly string[]): Sql {
  // Order by the bigint column, not a text alias (which would put '9' after '10').
  return sql`SELECT head.seq::text AS head_seq, head.hash AS head_hash,
              ARRAY(SELECT source_event_id::text FROM audit_entry
                     WHERE source_event_id = ANY(${sourceEventIds}::uuid[])) AS recorded
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1) head ON true`;
}

/** All data access of the audit log: the append-only audit_entry table. */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: Database) {}

  /** Serialises appends: the lock is held until the transaction `tx` ends. */
  async lockChain(tx: EntityManager): Promise<void> {
    await this.db.run(chainLockSql(), { tx });
  }

  /** Read under the chain lock: a statement sees what was committed before it started. */
  async chainState(tx: EntityManager, sourceEventIds: readonly string[]): Promise<ChainState> {
    const [state] = await this.db.rows<{
      head_seq: string | null;
      head_hash: string | null;
      recorded: string[];
    }>(chainStateSql(sourceEventIds), { tx });
    return {
      headSeq: state?.head_seq ?? null,
      headHash: state?.head_hash ?? null,
      recorded: state?.recorded ?? [],
    };
  }

  /** One multi-row insert of the given entries. */
  async insert(tx: EntityManager, entries: AuditEntry[]): Promise<void> {
    await tx.insert(AuditEntry, entries);
  }

  /** One page of matching entries (see auditPageSql), read on the pool. */
  page(filter: AuditFilterDto, limit: number, cursor?: Cursor): Promise<AuditPageRow[]> {
    return this.db.rows<AuditPageRow>(auditPageSql(filter, limit, cursor));
  }

  /**
   * Every entry that matches `filter` as a line in `format` (see auditExportSql), streamed by
   * COPY in one statement (one snapshot) as PostgreSQL writes them: no entry becomes an object
   * in this process.
   */
  exportLines(filter: AuditFilterDto, format: AuditExportFormat): AsyncGenerator<Buffer> {
    return this.db.copyLines(auditExportSql(filter, format));
  }

  /** At most `limit` entries from sequence number `fromSeq` on, in sequence order. */
  chainFrom(fromSeq: bigint, limit: number): Promise<AuditEntry[]> {
    return this.db.read((m) =>
      m
        .createQueryBuilder(AuditEntry, 'a')
        .where('a.seq >= :from', { from: fromSeq.toString() })
        .orderBy('a.seq', 'ASC')
        .limit(limit)
        .getMany(),
    );
  }
}
