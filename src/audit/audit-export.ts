import { LineItems } from '../core/db/copy-lines';
import { csvLine } from '../core/http/csv-cell';
import { AUDIT_ENTRY_FIELDS } from './audit-fields';

/** The columns of the CSV export, in order; the first line of every CSV export. */
export const CSV_COLUMNS: readonly string[] = AUDIT_ENTRY_FIELDS;

export type AuditExportFormat = 'csv' | 'json';

async function* csvBody(lines: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield Buffer.from(csvLine(CSV_COLUMNS));
  yield* lines;
}

async function* jsonArrayBody(lines: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const items = new LineItems(Buffer.from('\n'), Buffer.from(',\n'));
  yield Buffer.from('[');
  for await (const chunk of lines) {
    const text = items.push(chunk);
    if (text.length > 0) yield text;
  }
  yield Buffer.from('\n]\n');
}

/**
 * The body of an export from the entries' lines as the database writes them (see
 * auditExportSql), chunk by chunk as they arrive: a CSV header and one record per entry, or a
 * JSON array with one entry per line. Nothing is kept beyond the chunk in hand.
 */
export function exportBody(
  format: AuditExportFormat,
  lines: AsyncIterable<Buffer>,
): AsyncGenerator<Buffer> {
  return format === 'csv' ? csvBody(lines) : jsonArrayBody(lines);
}
