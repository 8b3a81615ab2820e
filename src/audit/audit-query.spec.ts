import { DomainError } from '../core/errors/domain-error';
import { auditPageSql, AuditRow, decodeCursor, encodeCursor, toAuditEntryDto } from './audit-query';
import type { AuditFilterDto } from './dto/audit-query.dto';

const filter = (fields: Partial<AuditFilterDto> = {}): AuditFilterDto => ({
  order: 'desc',
  ...fields,
});

const squash = (text: string) =>
  text.replace(/\s+/g, ' ').replace(/SELECT .* FROM/, 'SELECT … FROM');

describe('auditPageSql', () => {
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
      'SELECT … FROM audit_entry WHERE (actor_name = $1 OR actor_sub = $1)' +
        ' AND action IN ($2, $3) AND entity_type = $4 AND entity_id = $5' +
        ' AND occurred_at >= $6 AND occurred_at < $7 AND outcome = $8 AND search_text LIKE $9' +
        ' ORDER BY occurred_at ASC, seq ASC LIMIT 10',
    );
    expect(values).toEqual([
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

  it('matches q literally: LIKE wildcards and the escape character are escaped', () => {
    const { values } = auditPageSql(filter({ q: '100%_A\\b' }), 5);
    expect(values).toEqual(['%100\\%\\_a\\\\b%']);
  });

  it('continues strictly after the cursor in the direction of the order', () => {
    const cursor = { occurredAt: '2026-01-01T00:00:00.000Z', seq: '42' };
    const desc = auditPageSql(filter({ actor: 'admin' }), 51, cursor);
    expect(squash(desc.text)).toBe(
      'SELECT … FROM audit_entry WHERE (actor_name = $1 OR actor_sub = $1)' +
        ' AND (occurred_at, seq) < ($2, $3) ORDER BY occurred_at DESC, seq DESC LIMIT 51',
    );
    expect(desc.values).toEqual(['admin', '2026-01-01T00:00:00.000Z', '42']);
    const asc = auditPageSql(filter({ order: 'asc' }), 51, cursor);
    expect(squash(asc.text)).toBe(
      'SELECT … FROM audit_entry WHERE (occurred_at, seq) > ($1, $2)' +
        ' ORDER BY occurred_at ASC, seq ASC LIMIT 51',
    );
  });

  it('refuses a limit that is not a positive whole number', () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      expect(() => auditPageSql(filter(), limit)).toThrow(/limit/);
    }
  });
});

describe('cursors', () => {
  it('round-trips the position of the last entry of a page', () => {
    const cursor = encodeCursor({ occurred_at: new Date('2026-03-04T05:06:07.089Z'), seq: '123' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ occurredAt: '2026-03-04T05:06:07.089Z', seq: '123' });
  });

  it('refuses anything else as a validation failure', () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      'bm9wZQ',
      forged(['2026-01-01T00:00:00Z', 5]),
      forged(['not a date', '5']),
      forged(['2026-01-01T00:00:00Z', '5; DROP TABLE audit_entry']),
    ]) {
      expect(() => decodeCursor(cursor)).toThrow(DomainError);
    }
  });
});

describe('toAuditEntryDto', () => {
  it('maps a row to the entry of the API', () => {
    const row: AuditRow = {
      seq: '7',
      occurred_at: new Date('2026-01-02T03:04:05.006Z'),
      recorded_at: new Date('2026-01-02T03:04:05.106Z'),
      actor_sub: 'sub-1',
      actor_name: 'admin',
      actor_client_id: 'corporate-os-cli',
      actor_roles: ['admin'],
      action: 'shareholder.created',
      entity_type: 'shareholder',
      entity_id: 'h-1',
      before: null,
      after: { name: 'Alice' },
      request_id: 'req-1',
      ip: '127.0.0.1',
      user_agent: 'jest',
      outcome: 'success',
      source_event_id: null,
      prev_hash: '0'.repeat(64),
      hash: 'f'.repeat(64),
    };
    expect(toAuditEntryDto(row)).toEqual({
      seq: 7,
      occurred_at: '2026-01-02T03:04:05.006Z',
      recorded_at: '2026-01-02T03:04:05.106Z',
      actor: { sub: 'sub-1', name: 'admin', client_id: 'corporate-os-cli', roles: ['admin'] },
      action: 'shareholder.created',
      entity_type: 'shareholder',
      entity_id: 'h-1',
      before: null,
      after: { name: 'Alice' },
      request_id: 'req-1',
      ip: '127.0.0.1',
      user_agent: 'jest',
      outcome: 'success',
      source_event_id: null,
      prev_hash: '0'.repeat(64),
      hash: 'f'.repeat(64),
    });
  });
});
