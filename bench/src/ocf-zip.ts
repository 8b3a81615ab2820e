/**
 * The items of an OCF package's files, counted from the zip without parsing them: the service
 * writes every item of a file on its own line (`fileHead`, `fileItem`, `fileTail` in
 * `src/ocf-packages/export/ocf-package.ts`: 2 lines before the items, 3 after), so a file of n
 * items has n + 5 newlines (an empty one 4).
 */
import type { Readable } from 'node:stream';
import { fromBufferPromise, openPromise, type ZipFile } from 'yauzl';

async function newlines(stream: Readable): Promise<number> {
  let count = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) count += 1;
  }
  return count;
}

/** Items per file of the package (the manifest left out), by file name. */
async function countItems(zip: ZipFile): Promise<Record<string, number>> {
  const items: Record<string, number> = {};
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/') || entry.fileName === 'Manifest.ocf.json') continue;
      const lines = await newlines(await zip.openReadStreamPromise(entry));
      items[entry.fileName] = Math.max(0, lines - 5);
    }
  } finally {
    zip.close();
  }
  return items;
}

export interface PackageCounts {
  /** Items of every file but the manifest. */
  objects: number;
  /** Items of Transactions.ocf.json. */
  transactions: number;
  byFile: Record<string, number>;
}

function countsOf(byFile: Record<string, number>): PackageCounts {
  return {
    objects: Object.values(byFile).reduce((sum, n) => sum + n, 0),
    transactions: byFile['Transactions.ocf.json'] ?? 0,
    byFile,
  };
}

export async function packageCountsOfFile(path: string): Promise<PackageCounts> {
  return countsOf(await countItems(await openPromise(path, { lazyEntries: true })));
}

export async function packageCountsOf(zip: Buffer): Promise<PackageCounts> {
  return countsOf(await countItems(await fromBufferPromise(zip, { lazyEntries: true })));
}
