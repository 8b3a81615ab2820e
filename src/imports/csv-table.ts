import { CsvError, parse } from 'csv-parse/sync';
import type { ImportColumn } from './import-columns';
import { RowError, rowError } from './row-errors';

/** One data row: its number (the header is row 1) and its cells by column, trimmed. */
export interface CsvRow {
  row: number;
  cells: Readonly<Record<string, string>>;
}

export interface CsvTable {
  rows: CsvRow[];
  /** Errors of the file, the header or a row's shape (such a row is not in `rows`). */
  errors: RowError[];
}

/**
 * The inverse of the CSV writer's formula-injection rule (core/http/csv-cell.ts): a cell that an
 * export of this service wrote as `'+44 …` reads as `+44 …` again, so an export imports as it is.
 */
function unescapeFormula(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/** A header with semicolons and no comma is a spreadsheet's CSV in a comma-decimal locale. */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  return header.includes(';') && !header.includes(',') ? ';' : ',';
}

/** The records of the file (RFC 4180, UTF-8, an optional byte order mark), or the parse error. */
function recordsOf(text: string): string[][] | RowError {
  try {
    return parse(text, {
      bom: true,
      delimiter: delimiterOf(text.replace(/^\uFEFF/, '')),
      relax_column_count: true,
      skip_empty_lines: false,
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const { records } = error as CsvError & { records?: number };
    return rowError((records ?? 0) + 1, null, [`is not valid CSV: ${error.message}`]);
  }
}

/** What is wrong with the header row: unknown, repeated and missing columns. */
function headerErrors(header: readonly string[], columns: readonly ImportColumn[]): RowError[] {
  const known = new Set(columns.map((c) => c.name));
  const list = columns.map((c) => c.name).join(', ');
  const errors = header.flatMap((name, index) => {
    if (name === '') return [rowError(1, null, [`cell ${index + 1} of the header row is empty`])];
    if (!known.has(name))
      return [rowError(1, name, [`${name} is not a column (columns: ${list})`])];
    if (header.indexOf(name) !== index) return [rowError(1, name, [`${name} appears twice`])];
    return [];
  });
  const missing = columns.filter((c) => c.required && !header.includes(c.name));
  return [
    ...errors,
    ...missing.map((c) => rowError(1, c.name, [`${c.name} is a required column`])),
  ];
}

const isBlank = (record: readonly string[]): boolean => record.every((cell) => cell.trim() === '');

/** A row's cells by column; an error when it has more (non-empty) or fewer cells than the header. */
function rowOf(
  record: readonly string[],
  row: number,
  header: readonly string[],
): CsvRow | RowError {
  const extra = record.slice(header.length);
  if (record.length < header.length || !isBlank(extra))
    return rowError(row, null, [
      `has ${record.length} cells where the header row has ${header.length} (a value with a comma must be quoted)`,
    ]);
  const cells: Record<string, string> = {};
  header.forEach((name, index) => (cells[name] = unescapeFormula((record[index] ?? '').trim())));
  return { row, cells };
}

/**
 * Reads an import's CSV: the first row names the columns (trimmed, any case, in any order; the
 * optional ones may be left out), every later row is one record. Blank rows are skipped but
 * counted, so row numbers stay those of the spreadsheet. At most `maxRows` data rows.
 */
export function readCsvTable(
  text: string,
  columns: readonly ImportColumn[],
  maxRows: number,
): CsvTable {
  const records = recordsOf(text);
  if (!Array.isArray(records)) return { rows: [], errors: [records] };
  const [first, ...data] = records;
  if (!first || isBlank(first))
    return { rows: [], errors: [rowError(1, null, ['the first row must be the header row'])] };
  const header = withoutTrailingBlanks(first.map((name) => name.trim().toLowerCase()));
  const errors = headerErrors(header, columns);
  if (errors.length > 0) return { rows: [], errors };
  const rows: CsvRow[] = [];
  for (const [index, record] of data.entries()) {
    if (isBlank(record)) continue;
    if (rows.length + errors.length === maxRows) {
      const tooMany = rowError(index + 2, null, [`an import takes at most ${maxRows} rows`]);
      return { rows: [], errors: [...errors, tooMany] };
    }
    const read = rowOf(record, index + 2, header);
    if ('cells' in read) rows.push(read);
    else errors.push(read);
  }
  if (errors.length === 0 && rows.length === 0)
    errors.push(rowError(2, null, ['the file has no rows below the header row']));
  return { rows, errors };
}

/** A spreadsheet may write empty cells past the last column; they name no column. */
function withoutTrailingBlanks(header: string[]): string[] {
  let end = header.length;
  while (end > 0 && header[end - 1] === '') end -= 1;
  return header.slice(0, end);
}
