import { DomainError } from '../core/errors/domain-error';
import type { AuditPageRow, Cursor } from './audit.repository';

/** The next_cursor of a page: the position of its last entry, opaque to the client. */
export function encodeCursor(entry: Pick<AuditPageRow, 'cursor_at' | 'cursor_seq'>): string {
  return Buffer.from(JSON.stringify([entry.cursor_at, entry.cursor_seq])).toString('base64url');
}

/** The position a next_cursor stands for; anything this API did not issue is a validation error. */
export function decodeCursor(cursor: string): Cursor {
  try {
    const [occurredAt, seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    if (
      typeof occurredAt === 'string' &&
      typeof seq === 'string' &&
      /^\d+$/.test(seq) &&
      !Number.isNaN(Date.parse(occurredAt))
    ) {
      return { occurredAt, seq };
    }
  } catch {
    // fall through to the error below
  }
  throw new DomainError('VALIDATION_FAILED', 'cursor is not a cursor this API issued.', {
    errors: [{ field: 'cursor', messages: ['is not a cursor this API issued'] }],
  });
}
