import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

export type CopyValue = string | number | bigint | boolean | null;

/** One field in PostgreSQL's COPY text format. */
export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  const text = typeof value === 'string' ? value : String(value);
  return /[\\\n\r\t]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')
    : text;
}

export function copyLine(values: readonly CopyValue[]): string {
  return `${values.map(copyField).join('\t')}\n`;
}

/** A PostgreSQL text[] literal. */
export function textArray(items: readonly string[]): string {
  return `{${items.map((item) => `"${item.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

export interface CopyStats {
  rows: number;
  bytes: number;
}

/** Streams rows into a table with COPY FROM STDIN, in chunks of a few thousand lines. */
export async function copyInto(
  client: Client,
  table: string,
  columns: readonly string[],
  lines: Iterable<string> | AsyncIterable<string>,
): Promise<CopyStats> {
  const stats: CopyStats = { rows: 0, bytes: 0 };
  async function* chunks(): AsyncGenerator<string> {
    let batch: string[] = [];
    for await (const line of lines) {
      batch.push(line);
      stats.rows += 1;
      if (batch.length >= 2_000) {
        const chunk = batch.join('');
        stats.bytes += Buffer.byteLength(chunk);
        batch = [];
        yield chunk;
      }
    }
    if (batch.length > 0) {
      const chunk = batch.join('');
      stats.bytes += Buffer.byteLength(chunk);
      yield chunk;
    }
  }
  const target = client.query(
    copyFrom(`COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`),
  );
  await pipeline(Readable.from(chunks()), target);
  return stats;
}

/**
 * Streams the result of `select` on `source` into `table (columns)` on `target`, COPY to COPY
 * (text format: what one side writes, the other reads).
 */
export async function copyBetween(
  source: Client,
  select: string,
  target: Client,
  table: string,
  columns: readonly string[],
): Promise<void> {
  const out = source.query(copyTo(`COPY (${select}) TO STDOUT`));
  const into = target.query(
    copyFrom(`COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`),
  );
  await pipeline(out, into);
}
