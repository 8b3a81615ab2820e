/**
 * The pieces of `Database.copyLines`: the COPY options it streams with, the decoding of what COPY
 * writes, and the items of a list made from its lines.
 */

import type { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Sql } from 'sql-template-tag';

const QUOTE = 0x1e;

/**
 * COPY writes one line per row of a one-column query. In CSV format with a delimiter (0x1f) and a
 * quote (0x1e) that text almost never holds, a value is written as it is, unless it holds a line
 * break, the delimiter or the quote byte: then it is quoted (0x1e … 0x1e, an inner 0x1e doubled).
 */
const COPY_LINE_OPTIONS = `(FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x1e')`;

/**
 * Undoes COPY's quoting (see COPY_LINE_OPTIONS) chunk by chunk, so every value reaches the caller
 * byte for byte, line breaks included. A chunk without a quote byte, outside a quoted value (the
 * usual case), is passed on as it is; a quoted value may span chunks.
 */
export class CopyLineDecoder {
  private quoted = false;
  /** A quote byte inside a quoted value was the last byte: the next byte tells what it was. */
  private pending = false;

  push(chunk: Buffer): Buffer {
    if (!this.quoted && chunk.indexOf(QUOTE) === -1) return chunk;
    const out = Buffer.allocUnsafe(chunk.length);
    let length = 0;
    for (const byte of chunk) {
      if (this.pending) {
        this.pending = false;
        if (byte === QUOTE) {
          out[length++] = QUOTE; // a doubled quote: one quote byte of the value
          continue;
        }
        this.quoted = false; // the closing quote; this byte follows the value
      }
      if (byte === QUOTE) {
        if (this.quoted) this.pending = true;
        else this.quoted = true;
        continue;
      }
      out[length++] = byte;
    }
    return out.subarray(0, length);
  }
}

const NEWLINE = 0x0a;

/**
 * Rewrites the lines of copyLines, chunk by chunk, as the items of a list: each line loses its
 * line feed and starts with `first` (the first item) or `next` (every later one), e.g. `\n` and
 * `,\n` for a JSON array with an item per line. A line may continue in the next chunk. Only for
 * values without line breaks of their own (JSON text has none: it escapes them).
 */
export class LineItems {
  private written = false;
  /** Inside a line whose beginning was written. */
  private inLine = false;

  constructor(
    private readonly first: Buffer,
    private readonly next: Buffer,
  ) {}

  /** Whether no item has been written yet. */
  get empty(): boolean {
    return !this.written;
  }

  /** The prefix of an item written by other means (so the next line is not the first). */
  prefix(): Buffer {
    const prefix = this.written ? this.next : this.first;
    this.written = true;
    return prefix;
  }

  push(chunk: Buffer): Buffer {
    const out: Buffer[] = [];
    for (let start = 0; start < chunk.length;) {
      const end = chunk.indexOf(NEWLINE, start);
      const stop = end === -1 ? chunk.length : end;
      if (stop > start) {
        if (!this.inLine) out.push(this.prefix());
        this.inLine = true;
        out.push(chunk.subarray(start, stop));
      }
      if (end === -1) break;
      this.inLine = false;
      start = end + 1;
    }
    return Buffer.concat(out);
  }
}

/** The statement's text with each `$n` replaced by its value as a quoted literal. */
function inlineLiterals(statement: Sql, quote: (value: string) => string): string {
  return statement.text.replace(/\$(\d+)/g, (_, n: string) => {
    const value: unknown = statement.values[Number(n) - 1];
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value === 'string') return quote(value);
    throw new Error(`parameter $${n} of a COPY statement is neither a string nor a number`);
  });
}

/**
 * The rows of `statement` (one text column) by COPY … TO STDOUT on `client`, decoded (see
 * CopyLineDecoder): each value followed by a line feed. COPY takes no parameters, so the
 * statement's values (strings and numbers only) go into its text as quoted literals.
 */
export async function* copyLinesOn(client: Client, statement: Sql): AsyncGenerator<Buffer> {
  const query = inlineLiterals(statement, (value) => client.escapeLiteral(value));
  const stream = client.query(copyTo(`COPY (${query}) TO STDOUT WITH ${COPY_LINE_OPTIONS}`));
  // An early stop ends the connection under the COPY: its end is reported here, unread.
  stream.on('error', () => undefined);
  const decoder = new CopyLineDecoder();
  for await (const chunk of stream) {
    const bytes = decoder.push(chunk as Buffer);
    if (bytes.length > 0) yield bytes;
  }
}
