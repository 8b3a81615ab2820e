import { DomainError } from '../core/errors/domain-error';
import { decodeCursor, encodeCursor } from './audit-query';

describe('cursors', () => {
  it('round-trips the position of the last entry of a page', () => {
    const cursor = encodeCursor({ cursor_at: '2026-03-04T05:06:07.089123Z', cursor_seq: '123' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ occurredAt: '2026-03-04T05:06:07.089123Z', seq: '123' });
    // A cursor issued before positions were kept to the microsecond still reads.
    const older = Buffer.from(JSON.stringify(['2026-03-04T05:06:07.089Z', '9'])).toString(
      'base64url',
    );
    expect(decodeCursor(older)).toEqual({ occurredAt: '2026-03-04T05:06:07.089Z', seq: '9' });
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
