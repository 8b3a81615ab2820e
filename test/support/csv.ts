import { parse } from 'csv-parse/sync';

/** The formula payload of the CSV-injection checks: a clickable link once a spreadsheet opens it. */
export const FORMULA = '=HYPERLINK("http://evil.example","click")';

/** The records of a CSV response, keyed by the header line. */
export function csvRecords(text: string): Array<Record<string, string>> {
  return parse<Record<string, string>>(text, { columns: true });
}

/**
 * A JSON value as the service's CSV writes it, written out independently of the code under test:
 * null is empty, a number its digits, and text that starts with `=`, `+`, `-`, `@`, tab or
 * carriage return gets a leading `'` (the formula-injection rule).
 */
export function asCsvText(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
