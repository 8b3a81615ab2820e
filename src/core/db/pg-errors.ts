import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';

interface PgDriverError {
  code?: string;
  constraint?: string;
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
