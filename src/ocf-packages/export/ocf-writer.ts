import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import {
  fileHead,
  fileItem,
  fileTail,
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
  private empty = true;

  constructor(readonly spec: OcfFileSpec) {}

  head(): string {
    return this.track(fileHead(this.spec.type));
  }

  item(item: Record<string, unknown>): string {
    const text = fileItem(item, this.empty);
    this.empty = false;
    return this.track(text);
  }

  tail(): string {
    return this.track(fileTail(this.empty));
  }

  md5(): string {
    return this.hash.digest('hex');
  }

  private track(text: string): string {
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
type TextPart = { open: OcfFileSpec } | { text: string } | { close: true };

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
    else {
      yield { text: file!.tail() };
      yield { close: true };
      md5s.set(file!.spec.path, file!.md5());
      file = null;
    }
  }
  return { issuer, md5s };
}

/** Runs the generator to its end, handing each part to `each`; answers what it returned. */
async function drain<T, R>(
  generator: AsyncGenerator<T, R>,
  each: (part: T) => Promise<void> | void,
): Promise<R> {
  for (;;) {
    const next = await generator.next();
    if (next.done) return next.value;
    await each(next.value);
  }
}

/**
 * The package as a `.ocf.zip`: one entry per file, then the manifest with their md5s. Entries are
 * streamed in order (a chunk is written only once the client has taken enough of the last), and
 * carry `as_of` as their modification time, so the archive depends on the ledger only.
 */
export function zipPackage(parts: AsyncIterable<PackagePart>, stamp: PackageStamp): Readable {
  const zip = new ZipFile();
  const options = { mtime: new Date(`${stamp.asOf}T00:00:00Z`), mode: 0o100644 };
  let entry: PassThrough | null = null;
  const written = drain(fileTexts(parts), async (part) => {
    if ('open' in part) {
      entry = new PassThrough();
      zip.addReadStream(entry, part.open.path, options);
    } else if ('text' in part) {
      if (!entry!.write(part.text)) await once(entry!, 'drain');
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
      entry?.destroy(error);
      (zip.outputStream as PassThrough).destroy(error);
    });
  return zip.outputStream as Readable;
}

/**
 * The package as one JSON document: `{"files": {"<path>": <file>, …}, "manifest": <manifest>}`,
 * each file's text exactly as in the zip (the manifest's md5s are those of these texts).
 */
export async function* jsonPackage(
  parts: AsyncIterable<PackagePart>,
  stamp: PackageStamp,
): AsyncGenerator<string> {
  const texts = fileTexts(parts);
  let first = true;
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
}
