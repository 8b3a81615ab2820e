import type { ValidationError } from 'class-validator';
import { DomainError, FieldError } from '../core/errors/domain-error';
import { ErrorCode, isErrorCode } from '../core/errors/error-code';
import { toProblem } from '../core/errors/problem-details';

/**
 * What is wrong with one row of an import. `row` counts the header as row 1 (a spreadsheet's own
 * row numbers: the first data row is row 2); `column` is null when the whole row is wrong (its
 * number of cells). As a FieldError too (`field` is the column, or `row`; `messages` every rule the
 * cell breaks), so it fits the problem's `errors` of every other validation failure.
 */
export interface RowError extends FieldError {
  row: number;
  column: string | null;
  /** The first rule broken, in the order the API's own DTO declares them. */
  message: string;
  /** VALIDATION_FAILED, or the code the row's write was refused with. */
  code: ErrorCode;
}

/** At most this many row errors are listed in one answer; `error_count` says how many there are. */
export const MAX_LISTED_ERRORS = 1_000;

export function rowError(
  row: number,
  column: string | null,
  messages: readonly string[],
  code: ErrorCode = 'VALIDATION_FAILED',
): RowError {
  return {
    row,
    column,
    message: messages[0] ?? '',
    code,
    field: column ?? 'row',
    messages: [...messages],
  };
}

/**
 * class-validator's failures of one row, one error per column. A property's constraints come in
 * the order they ran, the reverse of their declaration, so the first declared (the type check
 * before the range) is the last: that one is the message.
 */
export function rowErrorsOf(
  row: number,
  errors: readonly ValidationError[],
  columnOf: (property: string) => string = (property) => property,
): RowError[] {
  return errors.map((error) =>
    rowError(row, columnOf(error.property), Object.values(error.constraints ?? {}).reverse()),
  );
}

/** Errors by row, then in the order they were found within a row. */
export function byRow(errors: readonly RowError[]): RowError[] {
  return [...errors].sort((a, b) => a.row - b.row);
}

/**
 * The refusal of a whole import: nothing was written. Rows found wrong before anything is written
 * make a VALIDATION_FAILED (each row error has its own code); a write refused by the owner service
 * makes a problem with the code of the first refused row.
 */
export class ImportRejectedError extends DomainError {
  constructor(errors: readonly RowError[], code: ErrorCode = 'VALIDATION_FAILED') {
    const listed = errors.slice(0, MAX_LISTED_ERRORS);
    const shown = listed
      .slice(0, 3)
      .map((e) => `row ${e.row}${e.column ? `, ${e.column}` : ''}: ${e.message}`);
    const more = errors.length > shown.length ? `; and ${errors.length - shown.length} more` : '';
    super(
      code,
      `Nothing was imported: ${errors.length} error${errors.length === 1 ? '' : 's'} (${shown.join('; ')}${more}).`,
      { errors: listed, extensions: { error_count: errors.length } },
    );
  }
}

/** Refuses the import when there is any error. */
export function rejectIfAny(errors: readonly RowError[]): void {
  if (errors.length > 0) throw new ImportRejectedError(byRow(errors));
}

/**
 * A row's write refused by the owner service (a domain error, or a rule of the schema such as the
 * authorized shares on every date): that row's error, in the column `columnOf` names for its code.
 * Anything the service would answer with a 5xx is not the row's fault and is thrown on.
 */
export function writeErrorOf(
  error: unknown,
  row: number,
  columnOf: (code: ErrorCode) => string | null,
): RowError {
  const { status, body } = toProblem(error, '');
  if (status >= 500 || !isErrorCode(body.code)) throw error;
  return rowError(row, columnOf(body.code), [body.detail], body.code);
}
