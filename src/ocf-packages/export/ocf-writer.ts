import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { LineItems } from '../../core/db/copy-lines';
import {
  fileHead,
  fileItem,
  fileTail,
  itemPrefix,
  MANIFEST_PATH,
  OCF_FILES,
  OCF_VERSION,
  OcfFileSpec,
  PackagePart,
} from './ocf-package';

/** When and as of which date a package was made. */
export interface PackageStamp {
  asOf: string;
  generatedAt: string;
}

/** One file's text, chunk by chunk, and its md5 once the last chunk is out. */
class FileText {
  private readonly hash = createHash('md5');
  private readonly items = new LineItems(
    Buffer.from(itemPrefix(true)),
    Buffer.from(itemPrefix(false)),
  );

  constructor(readonly spec: OcfFileSpec) {}

  head(): string {
    return this.track(fileHead(this.spec.type));
  }

  item(item: Record<string, unknown>): string {
    const text = fileItem(item, this.items.empty);
    this.items.prefix();
    return this.track(text);
  }

  /**
   * A chunk of items that arrive as JSON lines (one item per line, as COPY sends them), written
   * as `item` writes each one. A line may continue in the next chunk.
   */
  lines(chunk: Buffer): Buffer {
    return this.track(this.items.push(chunk));
  }

  tail(): string {
    return this.track(fileTail(this.items.empty));
  }

  md5(): string {
    return this.hash.digest('hex');
  }

  private track<T extends string | Buffer>(text: T): T {
    this.hash.update(text);
    return text;
  }
}

export function manifestObject(
  issuer: Record<string, unknown>,
  stamp: PackageStamp,
  md5s: Map<string, string>,
): Record<string, unknown> {
  const manifest: Record<string, unknown> = {
    ocf_version: OCF_VERSION,
    file_type: 'OCF_MANIFEST_FILE',
    issuer,
    as_of: stamp.asOf,
    generated_at: stamp.generatedAt,
  };
  for (const file of OCF_FILES)
    manifest[file.key] = [{ filepath: `./${file.path}`, md5: md5s.get(file.path) }];
  return manifest;
}

/** A file's text begins, continues, or ends. */
type TextPart = { open: OcfFileSpec } | { text: string | Buffer } | { close: true };

interface Written {
  issuer: Record<string, unknown>;
  md5s: Map<string, string>;
}

/** Turns the parts into each file's text, chunk by chunk; returns the issuer and every md5. */
async function* fileTexts(parts: AsyncIterable<PackagePart>): AsyncGenerator<TextPart, Written> {
  let issuer: Record<string, unknown> = {};
  const md5s = new Map<string, string>();
  let file: FileText | null = null;
  for await (const part of parts) {
    if (part.kind === 'issuer') issuer = part.issuer;
    else if (part.kind === 'file') {
      file = new FileText(part.spec);
      yield { open: part.spec };
      yield { text: file.head() };
    } else if (part.kind === 'item') yield { text: file!.item(part.item) };
    else if (part.kind === 'lines') {
      for await (const chunk of part.lines) yield { text: file!.lines(chunk) };
    } else {
      yield { text: file!.tail() };
      yield { close: true };
      md5s.set(file!.spec.path, file!.md5());
      file = null;
    }
  }
  return { issuer, md5s };
}

/**
 * Runs the generator to its end, handing each part to `each`; answers what it returned. When
 * `each` throws (the client went away), the generator is closed: the reads behind it end and
 * give their connection back.
 */
async function drain<T, R>(
  generator: AsyncGenerator<T, R>,
  each: (part: T) => Promise<void> | void,
): Promise<R> {
  try {
    for (;;) {
      const next = await generator.next();
      if (next.done) return next.value;
      await each(next.value);
    }
  } finally {
    await generator.return(undefined as R);
  }
}

/**
 * The package as a `.ocf.zip`: one entry per file, then the manifest with their md5s. Entries are
 * streamed in order (a chunk is written only once the client has taken enough of the last), and
 * carry `as_of` as their modification time, so the archive depends on the ledger only. When the
 * archive's stream closes before its end (the client went away), the reading stops.
 */
export function zipPackage(parts: AsyncIterable<PackagePart>, stamp: PackageStamp): Readable {
  const zip = new ZipFile();
  const output = zip.outputStream as PassThrough;
  const closed = new AbortController();
  output.once('close', () => closed.abort());
  const options = { mtime: new Date(`${stamp.asOf}T00:00:00Z`), mode: 0o100644 };
  let entry: PassThrough | null = null;
  const written = drain(fileTexts(parts), async (part) => {
    closed.signal.throwIfAborted();
    if ('open' in part) {
      entry = new PassThrough();
      zip.addReadStream(entry, part.open.path, options);
    } else if ('text' in part) {
      if (!entry!.write(part.text)) await once(entry!, 'drain', { signal: closed.signal });
    } else entry!.end();
  });
  written
    .then(({ issuer, md5s }) => {
      const manifest = JSON.stringify(manifestObject(issuer, stamp, md5s), null, 2);
      zip.addBuffer(Buffer.from(`${manifest}\n`), MANIFEST_PATH, options);
      zip.end();
      return undefined;
    })
    .catch((error: Error) => {
      // The entry's stream is yazl's to read (it listens for no error); the archive's carries it
      // to the response, unless the client has gone already.
      entry?.destroy();
      output.destroy(closed.signal.aborted ? undefined : error);
    });
  return output;
}

/**
 * The package as one JSON document: `{"files": {"<path>": <file>, …}, "manifest": <manifest>}`,
 * each file's text exactly as in the zip (the manifest's md5s are those of these texts).
 */
export async function* jsonPackage(
  parts: AsyncIterable<PackagePart>,
  stamp: PackageStamp,
): AsyncGenerator<string | Buffer> {
  const texts = fileTexts(parts);
  let first = true;
  try {
    for (;;) {
      const next = await texts.next();
      if (next.done) {
        const manifest = manifestObject(next.value.issuer, stamp, next.value.md5s);
        yield `${first ? '{\n"files": {' : ''}\n},\n"manifest": ${JSON.stringify(manifest, null, 2)}\n}\n`;
        return;
      }
      const part = next.value;
      if ('open' in part) {
        yield `${first ? '{\n"files": {\n' : ',\n'}${JSON.stringify(part.open.path)}: `;
        first = false;
      } else if ('text' in part) yield part.text;
    }
  } finally {
    // Also when the consumer stops early (the client went away): the reads behind it end.
    await texts.return({ issuer: {}, md5s: new Map() });
  }
}
