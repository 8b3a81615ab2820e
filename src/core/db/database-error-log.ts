import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';

/**
 * What a log line may say about a failed SQL statement. Statements are parameterised, so their
 * text holds no values; the values themselves (names, emails, tax ids) must never reach a log:
 * - TypeORM's QueryFailedError carries the statement's `parameters`;
 * - PostgreSQL's `detail` quotes them (`Key (lower(email))=(ada@example.com) already exists.`,
 *   `Failing row contains (...)`), on the server's error and on TypeORM's copy of it;
 * - the message of a data exception (SQLSTATE class 22) quotes the offending input
 *   (`invalid input syntax for type uuid: "..."`); the SQLSTATE alone says what went wrong.
 * The SQLSTATE, the constraint, the table and column, and any other message are kept.
 */
export interface DatabaseErrorFields {
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  message: string;
}

interface ServerErrorFields {
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  message?: string;
}

const isDataException = (code: unknown): boolean => typeof code === 'string' && /^22/.test(code);

const dataExceptionMessage = (code: string): string => `data exception (SQLSTATE ${code})`;

/** The loggable fields of an error raised by a statement (the server's, or a driver's own). */
export function databaseErrorFields(error: unknown): DatabaseErrorFields {
  if (typeof error !== 'object' || error === null)
    return { message: typeof error === 'string' ? error : 'statement failed' };
  const server = (
    error instanceof QueryFailedError ? error.driverError : error
  ) as ServerErrorFields;
  const fields: DatabaseErrorFields = {
    message: typeof server.message === 'string' ? server.message : 'statement failed',
  };
  if (server.code) fields.code = server.code;
  if (server.constraint) fields.constraint = server.constraint;
  if (server.table) fields.table = server.table;
  if (server.column) fields.column = server.column;
  if (isDataException(server.code)) fields.message = dataExceptionMessage(fields.code as string);
  return fields;
}

/**
 * True for failures the service expects and turns into answers of its own: integrity constraint
 * violations (SQLSTATE class 23: a unique email becomes a 409, a missing holder a 404). One the
 * service did not expect still reaches its caller, and the error filter logs it as unexpected.
 */
export function isExpectedFailure(code: string | undefined): boolean {
  return code !== undefined && code.startsWith('23');
}

/** True when `error` came from a statement: TypeORM's wrapper or the driver's own error. */
export function isDatabaseError(error: unknown): boolean {
  return error instanceof QueryFailedError || error instanceof DatabaseError;
}

/**
 * A serialized database error (pino's `err` serializer output, `raw` being the error itself)
 * without the statement's values: no `parameters`, no `detail`, no data exception's input, on
 * the error and on the server error nested in it.
 */
export function withoutStatementValues(serialized: Record<string, unknown>): void {
  delete serialized.parameters;
  delete serialized.detail;
  const code = serialized.code;
  if (isDataException(code) && typeof serialized.message === 'string') {
    const original = serialized.message;
    const safe = dataExceptionMessage(code as string);
    serialized.message = safe;
    if (typeof serialized.stack === 'string')
      serialized.stack = serialized.stack.replace(original, safe);
  }
  const nested = serialized.driverError;
  if (typeof nested === 'object' && nested !== null)
    withoutStatementValues(nested as Record<string, unknown>);
}
