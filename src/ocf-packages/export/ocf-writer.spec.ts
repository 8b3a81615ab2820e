import { jsonPackage } from './ocf-writer';
import { OCF_FILES, PackagePart } from './ocf-package';
import { createHash } from 'node:crypto';

const stamp = { asOf: '2026-01-31', generatedAt: '2026-02-01T00:00:00.000Z' };
const transactions = OCF_FILES.find((file) => file.key === 'transactions_files')!;

async function* partsOf(...middle: PackagePart[]): AsyncGenerator<PackagePart> {
  await Promise.resolve();
  yield { kind: 'issuer', issuer: { id: 'issuer' } };
  yield { kind: 'file', spec: transactions };
  yield* middle;
  yield { kind: 'end' };
}

async function* chunks(...texts: string[]): AsyncGenerator<Buffer> {
  await Promise.resolve();
  for (const text of texts) yield Buffer.from(text);
}

/** The transactions file's text as written, and the md5 the manifest gives it. */
async function packageOf(parts: AsyncIterable<PackagePart>): Promise<{
  file: string;
  md5: string;
}> {
  let text = '';
  for await (const piece of jsonPackage(parts, stamp)) text += piece.toString();
  const document = JSON.parse(text) as { manifest: Record<string, Array<{ md5: string }>> };
  const start = text.indexOf(`${JSON.stringify(transactions.path)}: `);
  const file = text.slice(start, text.indexOf('\n},\n"manifest"')).split(': ').slice(1).join(': ');
  return { file, md5: document.manifest.transactions_files[0].md5 };
}

describe('OCF package writer, items as JSON lines', () => {
  const a = { object_type: 'TX_STOCK_ISSUANCE', id: 'a' };
  const b = { object_type: 'TX_STOCK_TRANSFER', id: 'b', note: 'with , and \\n and "quotes"' };
  const c = { object_type: 'TX_STOCK_CANCELLATION', id: 'c' };

  it('writes lines exactly as it writes the same items, whatever the chunks', async () => {
    const asItems = await packageOf(
      partsOf({ kind: 'item', item: a }, { kind: 'item', item: b }, { kind: 'item', item: c }),
    );
    const line = (item: object) => `${JSON.stringify(item)}\n`;
    const all = line(b) + line(c);
    const split = all.indexOf('and');
    const asLines = await packageOf(
      partsOf(
        { kind: 'item', item: a },
        { kind: 'lines', lines: chunks(all.slice(0, split), all.slice(split, -1), '\n') },
      ),
    );
    expect(asLines.file).toBe(asItems.file);
    expect(asLines.md5).toBe(asItems.md5);
  });

  it('gives a file of lines only, and an empty stream of lines, the same text as items', async () => {
    const asItems = await packageOf(partsOf({ kind: 'item', item: c }));
    const asLines = await packageOf(
      partsOf(
        { kind: 'lines', lines: chunks() },
        { kind: 'lines', lines: chunks(`${JSON.stringify(c)}\n`) },
      ),
    );
    expect(asLines).toEqual(asItems);
    expect(asItems.md5).toBe(createHash('md5').update(asItems.file).digest('hex'));
  });
});
