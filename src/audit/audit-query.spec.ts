import { DomainError } from '../core/errors/domain-error';
import { decodeCursor, encodeCursor, toAuditEntryDto } from './audit-query';
import type { AuditRow } from './audit.repository';

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
