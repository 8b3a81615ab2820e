import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';

interface PgDriverError {
  code?: string;
  constraint?: string;
  table?: string;
  message?: string;
}

/** The server's error, thrown by TypeORM (wrapped) or by the pg pool directly (plain queries). */
function driverError(error: unknown): PgDriverError | undefined {
  if (error instanceof QueryFailedError) return error.driverError as PgDriverError;
  return error instanceof DatabaseError ? error : undefined;
}

/** True when PostgreSQL refused a write because of the named unique constraint or index. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pg = driverError(error);
  return pg?.code === '23505' && pg.constraint === constraint;
}

/** True when PostgreSQL refused a write because the named foreign key has no referenced row. */
export function isForeignKeyViolation(error: unknown, constraint: string): boolean {
  const pg = driverError(error);
  return pg?.code === '23503' && pg.constraint === constraint;
}

/**
 * The check constraint PostgreSQL refused a write with (23514), when that is what happened. The
 * constraint's name is stable (we name every constraint), so it is what the caller is told.
 */
export function checkViolation(error: unknown): { constraint: string; message: string } | null {
  const pg = driverError(error);
  return pg?.code === '23514' && pg.constraint
    ? { constraint: pg.constraint, message: pg.message ?? '' }
    : null;
}
