/**
 * The one CSV writer of the service: every CSV it sends (shareholder export, cap table, audit
 * export) is written cell by cell through csvCell, so the quoting and the formula-injection rule
 * below hold for all of them.
 */

/** The value of one cell: text, a number the service computed, or null for an empty field. */
export type CsvValue = string | number | null;

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Whether a spreadsheet would read text starting with this character code as a formula (or, for
 * tab and carriage return, could be tricked into doing so): `=`, `+`, `-`, `@`, 0x09, 0x0D, the
 * OWASP list for CSV injection. Only the first character is looked at, so the check costs the
 * same for any length of text.
 */
function startsFormula(code: number): boolean {
  return (
    code === 0x3d || // =
    code === 0x2b || // +
    code === 0x2d || // -
    code === 0x40 || // @
    code === 0x09 || // tab
    code === 0x0d // carriage return
  );
}

/**
 * One cell as written in the file (RFC 4180, the output of csv-stringify with its defaults): null
 * is an empty field; text that holds a comma, a double quote or a line break is quoted, its quotes
 * doubled.
 *
 * Formula injection: text that starts with `=`, `+`, `-`, `@`, tab or carriage return gets a
 * single quote `'` in front (before any quoting), so a spreadsheet shows it as text instead of
 * evaluating it. The rule applies to every string cell, whatever its column: names, emails,
 * addresses, phone numbers (`+44 …` becomes `'+44 …`), usernames, user agents, header names.
 * Cells of number type are left alone: they are computed by the service (share counts, votes,
 * sequence numbers), never text from a user, and a negative number is a number to a spreadsheet,
 * not a formula. Share counts and money are never negative here anyway. The JSON forms of the
 * same data are not touched: the rule belongs to CSV only.
 */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = startsFormula(value.charCodeAt(0)) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line: the cells of the values, comma-separated, ending in a line feed. */
export function csvLine(values: readonly CsvValue[]): string {
  let line = '';
  for (let index = 0; index < values.length; index += 1) {
    if (index > 0) line += ',';
    line += csvCell(values[index]);
  }
  return `${line}\n`;
}

/** A whole CSV document, one line per record (the first one usually the header). */
export function csvDocument(records: ReadonlyArray<readonly CsvValue[]>): string {
  let text = '';
  for (const record of records) text += csvLine(record);
  return text;
}

/**
 * csvCell as a SQL expression over `expression` (a text expression of the statement, never a
 * caller's value), for CSV written by PostgreSQL itself (the audit export): the same quoting and
 * the same formula-injection rule, cell for cell (a test holds the two against each other).
 */
export function csvCellSql(expression: string): string {
  const formula = `CASE WHEN left(${expression}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' ELSE '' END`;
  return `CASE WHEN ${expression} IS NULL THEN ''
    WHEN ${expression} ~ E'[",\\r\\n]' THEN '"' || ${formula} || replace(${expression}, '"', '""') || '"'
    ELSE ${formula} || ${expression} END`;
}
