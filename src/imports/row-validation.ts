import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate, ValidatorOptions } from 'class-validator';
import type { CsvRow } from './csv-table';
import type { ImportColumn } from './import-columns';
import { RowError, rowErrorsOf } from './row-errors';

/** A row that passed validation: the request body the owner service will be called with. */
export interface Draft<T> {
  row: number;
  dto: T;
}

/** As the global ValidationPipe validates a JSON body (core/errors/validation.ts). */
const OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

/**
 * The cells of `columns` as a JSON body would carry them: an empty optional cell is left out (as
 * an absent field), an empty required one is sent as "" so that the DTO names what is wrong with
 * it (`name should not be empty`), not every rule an absent value breaks.
 */
export function plainOf(
  row: CsvRow,
  columns: readonly ImportColumn[],
): Record<string, string | undefined> {
  const plain: Record<string, string | undefined> = {};
  for (const column of columns) {
    const cell = row.cells[column.name] ?? '';
    plain[column.name] = cell === '' && !column.required ? undefined : cell;
  }
  return plain;
}

/** A whole number cell as a JSON number; anything else stays text, for the DTO to refuse. */
export function wholeNumber(cell: string | undefined): number | string | undefined {
  return cell !== undefined && /^[0-9]{1,16}$/.test(cell) ? Number(cell) : cell;
}

/** Validates `plain` with the API's own DTO: the DTO, or the row's errors (one per column). */
export async function draftOf<T extends object>(
  type: ClassConstructor<T>,
  row: number,
  plain: Record<string, unknown>,
  columnOf?: (property: string) => string,
): Promise<Draft<T> | RowError[]> {
  const dto = plainToInstance(type, plain);
  const errors = await validate(dto, OPTIONS);
  return errors.length === 0 ? { row, dto } : rowErrorsOf(row, errors, columnOf);
}

/** The rows that passed and the errors of those that did not. */
export async function draftsOf<T>(
  rows: readonly CsvRow[],
  draft: (row: CsvRow) => Promise<Draft<T> | RowError[]>,
): Promise<{ drafts: Array<Draft<T>>; errors: RowError[] }> {
  const drafts: Array<Draft<T>> = [];
  const errors: RowError[] = [];
  for (const row of rows) {
    const result = await draft(row);
    if (Array.isArray(result)) errors.push(...result);
    else drafts.push(result);
  }
  return { drafts, errors };
}
