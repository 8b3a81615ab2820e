import { csvLine, type CsvValue } from '../core/http/csv-cell';
import { AUDIT_ENTRY_FIELDS } from './audit-fields';
import type { AuditEntryDto } from './dto/audit-query.dto';

/** The columns of the CSV export, in order; the first line of every CSV export. */
export const CSV_COLUMNS: readonly string[] = AUDIT_ENTRY_FIELDS;

/**
 * One CSV record, its values in the order of CSV_COLUMNS. csvLine writes it, formula-injection
 * rule included: a username, user agent or entity id that starts with `=`, `+`, `-`, `@`, tab or
 * carriage return gets a leading `'` in the file (see csvCell).
 */
export function csvRecord(entry: AuditEntryDto): CsvValue[] {
  return [
    entry.seq,
    entry.occurred_at,
    entry.recorded_at,
    entry.actor.sub,
    entry.actor.name,
    entry.actor.client_id,
    entry.actor.roles.join(' '),
    entry.action,
    entry.entity_type,
    entry.entity_id,
    entry.before === null ? null : JSON.stringify(entry.before),
    entry.after === null ? null : JSON.stringify(entry.after),
    entry.request_id,
    entry.ip,
    entry.user_agent,
    entry.outcome,
    entry.source_event_id,
    entry.prev_hash,
    entry.hash,
  ];
}

async function* csvChunks(batches: AsyncIterable<AuditEntryDto[]>): AsyncGenerator<string> {
  yield csvLine(CSV_COLUMNS);
  for await (const batch of batches) {
    let text = '';
    for (const entry of batch) text += csvLine(csvRecord(entry));
    yield text;
  }
}

async function* jsonArrayChunks(batches: AsyncIterable<AuditEntryDto[]>): AsyncGenerator<string> {
  let separator = '\n';
  yield '[';
  for await (const batch of batches) {
    let text = '';
    for (const entry of batch) {
      text += separator + JSON.stringify(entry);
      separator = ',\n';
    }
    yield text;
  }
  yield '\n]\n';
}

/**
 * The body of an export as text chunks, one per batch of entries: a CSV header and one line per
 * entry, or a JSON array with one entry per line. Each chunk is a string of a few dozen kB that
 * lives only until the response takes it.
 */
export function exportChunks(
  format: 'csv' | 'json',
  batches: AsyncIterable<AuditEntryDto[]>,
): AsyncGenerator<string> {
  return format === 'csv' ? csvChunks(batches) : jsonArrayChunks(batches);
}
