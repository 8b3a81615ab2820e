import { fromBuffer, type Entry, type ZipFile } from 'yauzl';
import { DomainError } from '../../core/errors/domain-error';

/** Limits a package must keep: an archive is refused before it can exhaust memory. */
export const ZIP_LIMITS = { entries: 200, bytes: 512 * 1024 * 1024 } as const;

export class OcfPackageUnreadableError extends DomainError {
  constructor(detail: string) {
    super('OCF_PACKAGE_UNREADABLE', detail);
  }
}

/**
 * The files of a `.ocf.zip` by their name inside it (folders dropped: packages are often zipped
 * with a top folder). At most 200 entries and 512 MiB uncompressed in all, checked against the
 * bytes actually inflated, not the sizes the archive claims.
 */
export async function readZip(buffer: Buffer): Promise<Map<string, Buffer>> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true }, (error, file) =>
      error
        ? reject(new OcfPackageUnreadableError(`Not a zip archive: ${error.message}`))
        : resolve(file),
    ),
  );
  const files = new Map<string, Buffer>();
  let total = 0;
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      zip.close();
      reject(error instanceof DomainError ? error : new OcfPackageUnreadableError(error.message));
    };
    zip.on('error', fail);
    zip.on('end', () => resolve(files));
    zip.on('entry', (entry: Entry) => {
      if (files.size >= ZIP_LIMITS.entries)
        return fail(new OcfPackageUnreadableError(`More than ${ZIP_LIMITS.entries} files.`));
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      zip.openReadStream(entry, (error, stream) => {
        if (error) return fail(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > ZIP_LIMITS.bytes) {
            stream.destroy();
            fail(new OcfPackageUnreadableError('The package inflates to more than 512 MiB.'));
          } else chunks.push(chunk);
        });
        stream.on('error', fail);
        stream.on('end', () => {
          files.set(entry.fileName.split('/').pop()!, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
}
