import type { EntityManager } from 'typeorm';
import type { Database, Sql } from '../core/db/database.service';
import { AuditEntry } from './audit-entry.entity';
import {
  auditPageSql,
  AuditRepository,
  AuditPageRow,
  chainLockSql,
  chainStateSql,
} from './audit.repository';
import type { AuditFilterDto } from './dto/audit-query.dto';

const filter = (fields: Partial<AuditFilterDto> = {}): AuditFilterDto => ({
  order: 'desc',
  ...fields,
});

const squash = (text: string) =>
  text.replace(/\s+/g, ' ').replace(/SELECT .* FROM/, 'SELECT … FROM');

describe('auditPageSql, filters', () => {
  it('reads the newest entries first, one page, when nothing is filtered', () => {
    const { text, values } = auditPageSql(filter(), 51);
    expect(squash(text)).toBe(
      'SELECT … FROM audit_entry ORDER BY occurred_at DESC, seq DESC LIMIT 51',
    );
    expect(values).toEqual([]);
    expect(text).not.toContain('search_text');
  });

  it('combines every filter with AND, each value a parameter', () => {
    const { text, values } = auditPageSql(
      filter({
        actor: 'internal-tool',
        action: ['issuance.created', 'shareholder.updated'],
        entity_type: 'issuance',
        entity_id: 'e-1',
        from: '2026-01-01T00:00:00Z',
        to: '2026-02-01T00:00:00Z',
        outcome: 'success',
        q: 'Patched',
        order: 'asc',
      }),
      10,
    );
    expect(squash(text)).toBe(
      'SELECT … FROM audit_entry WHERE (actor_name = $1 OR actor_sub = $2)' +
        ' AND action IN ($3, $4) AND entity_type = $5 AND entity_id = $6' +
        ' AND occurred_at >= $7 AND occurred_at < $8 AND outcome = $9 AND seq IN (SELECT app_audit_search($10))' +
        ' ORDER BY occurred_at ASC, seq ASC LIMIT 10',
    );
    expect(values).toEqual([
      'internal-tool',
      'internal-tool',
      'issuance.created',
      'shareholder.updated',
      'issuance',
      'e-1',
      '2026-01-01T00:00:00Z',
      '2026-02-01T00:00:00Z',
      'success',
      '%patched%',
    ]);
  });
});

describe('auditPageSql, order and position', () => {
  it('reads each entry as its JSON, with its position to the microsecond', () => {
    const { text } = auditPageSql(filter(), 1);
    expect(text).toMatch(/^SELECT \(SELECT row_to_json\(e\)::text FROM \(SELECT seq, /);
    expect(text).toContain(' AS line, ');
    expect(text).toContain(
      `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at, seq::text AS cursor_seq`,
    );
    expect(text).not.toContain('search_text');
    expect(squash(text)).toMatch(/FROM audit_entry ORDER BY occurred_at DESC, seq DESC LIMIT 1$/);
  });

  it('matches q literally: LIKE wildcards and the escape character are escaped', () => {
    const { values } = auditPageSql(filter({ q: '100%_A\\b' }), 5);
    expect(values).toEqual(['%100\\%\\_a\\\\b%']);
  });

  it('continues strictly after the cursor in the direction of the order', () => {
    const cursor = { occurredAt: '2026-01-01T00:00:00.000Z', seq: '42' };
    const desc = auditPageSql(filter({ actor: 'admin' }), 51, cursor);
    expect(squash(desc.text)).toBe(
      'SELECT … FROM audit_entry WHERE (actor_name = $1 OR actor_sub = $2)' +
        ' AND (occurred_at, seq) < ($3, $4) ORDER BY occurred_at DESC, seq DESC LIMIT 51',
    );
    expect(desc.values).toEqual(['admin', 'admin', '2026-01-01T00:00:00.000Z', '42']);
    const asc = auditPageSql(filter({ order: 'asc' }), 51, cursor);
    expect(squash(asc.text)).toBe(
      'SELECT … FROM audit_entry WHERE (occurred_at, seq) > ($1, $2)' +
        ' ORDER BY occurred_at ASC, seq ASC LIMIT 51',
    );
    expect(asc.values).toEqual(['2026-01-01T00:00:00.000Z', '42']);
  });

  it('refuses a limit that is not a positive whole number', () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      expect(() => auditPageSql(filter(), limit)).toThrow(/limit/);
    }
  });
});

describe('chain statements', () => {
  it('takes the chain lock with its fixed key as a parameter', () => {
    const { text, values } = chainLockSql();
    // With the company's key: one lock per company's chain.
    expect(text).toBe('SELECT pg_advisory_xact_lock($1, hashtext(app_company_id()::text))');
    expect(values).toEqual([7_241_101]);
  });

  it('reads the head by the bigint seq and the recorded source events in one statement', () => {
    const ids = ['00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002'];
    const { text, values } = chainStateSql(ids);
    expect(text.replace(/\s+/g, ' ')).toBe(
      'SELECT head.seq::text AS head_seq, head.hash AS head_hash,' +
        ' ARRAY(SELECT source_event_id::text FROM audit_entry' +
        ' WHERE source_event_id = ANY($1::uuid[])) AS recorded' +
        ' FROM (SELECT 1) one' +
        ' LEFT JOIN LATERAL (SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1)' +
        ' head ON true',
    );
    expect(values).toEqual([ids]);
  });
});

interface Call {
  statement: Sql;
  options: { name?: string; tx?: EntityManager } | undefined;
}

function repositoryWith(rows: unknown[]) {
  const calls: Call[] = [];
  const record = (statement: Sql, options?: Call['options']) => {
    calls.push({ statement, options });
    return Promise.resolve(rows);
  };
  const db = {
    rows: record,
    run: (statement: Sql, options?: Call['options']) =>
      record(statement, options).then(() => ({ rows, count: rows.length })),
  } as unknown as Database;
  return { repository: new AuditRepository(db), calls };
}

const tx = {} as EntityManager;

describe('AuditRepository, appending', () => {
  it('locks the chain inside the caller transaction', async () => {
    const { repository, calls } = repositoryWith([]);
    await repository.lockChain(tx);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.statement.text).toBe(chainLockSql().text);
    expect(calls[0]?.options).toEqual({ tx });
  });

  it('reads the chain state inside the caller transaction', async () => {
    const { repository, calls } = repositoryWith([
      { head_seq: '10', head_hash: 'a'.repeat(64), recorded: ['e-1'] },
    ]);
    expect(await repository.chainState(tx, ['e-1', 'e-2'])).toEqual({
      headSeq: '10',
      headHash: 'a'.repeat(64),
      recorded: ['e-1'],
    });
    expect(calls[0]?.statement.text).toBe(chainStateSql([]).text);
    expect(calls[0]?.statement.values).toEqual([['e-1', 'e-2']]);
    expect(calls[0]?.options).toEqual({ tx });
  });

  it('answers an empty chain with no head', async () => {
    const { repository } = repositoryWith([{ head_seq: null, head_hash: null, recorded: [] }]);
    expect(await repository.chainState(tx, [])).toEqual({
      headSeq: null,
      headHash: null,
      recorded: [],
    });
  });

  it('inserts the entries in one call', async () => {
    const { repository } = repositoryWith([]);
    const insert = jest.fn().mockResolvedValue(undefined);
    const entries = [new AuditEntry(), new AuditEntry()];
    await repository.insert({ insert } as unknown as EntityManager, entries);
    expect(insert).toHaveBeenCalledTimes(1);
    expect(insert).toHaveBeenCalledWith(AuditEntry, entries);
  });
});

describe('AuditRepository, reading', () => {
  it('reads a page on the pool, as an unnamed statement', async () => {
    const row: AuditPageRow = {
      line: '{"seq":1}',
      cursor_at: '2026-01-01T00:00:00.000000Z',
      cursor_seq: '1',
    };
    const { repository, calls } = repositoryWith([row]);
    const cursor = { occurredAt: '2026-01-01T00:00:00.000Z', seq: '42' };
    expect(await repository.page(filter({ outcome: 'denied' }), 101, cursor)).toEqual([row]);
    const expected = auditPageSql(filter({ outcome: 'denied' }), 101, cursor);
    expect(calls[0]?.statement.text).toBe(expected.text);
    expect(calls[0]?.statement.values).toEqual(expected.values);
    expect(calls[0]?.options).toBeUndefined();
  });

  it('reads the chain in sequence order from a sequence number on', async () => {
    const { repository } = repositoryWith([]);
    const entries = [new AuditEntry()];
    const builder = {
      where: jest.fn().mockReturnThis(),
      orderBy: jest.fn().mockReturnThis(),
      limit: jest.fn().mockReturnThis(),
      getMany: jest.fn().mockResolvedValue(entries),
    };
    const createQueryBuilder = jest.fn().mockReturnValue(builder);
    const read = (work: (manager: unknown) => unknown) => work({ createQueryBuilder });
    Object.assign(repository, { db: { read } });
    expect(await repository.chainFrom(5001n, 5_000)).toBe(entries);
    expect(createQueryBuilder).toHaveBeenCalledWith(AuditEntry, 'a');
    expect(builder.where).toHaveBeenCalledWith('a.seq >= :from', { from: '5001' });
    expect(builder.orderBy).toHaveBeenCalledWith('a.seq', 'ASC');
    expect(builder.limit).toHaveBeenCalledWith(5_000);
  });
});
