import { CSV_COLUMNS, exportBody } from './audit-export';

async function* chunksOf(...texts: string[]): AsyncGenerator<Buffer> {
  for (const text of texts) {
    await Promise.resolve(); // as a COPY would, resume on a later tick
    yield Buffer.from(text);
  }
}

async function body(format: 'csv' | 'json', ...texts: string[]): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of exportBody(format, chunksOf(...texts))) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

describe('exportBody', () => {
  it('writes the CSV header, then the records as the database wrote them', async () => {
    const records = ['1,a,"x\r\ny"\n2,', 'b,\n'];
    expect(await body('csv', ...records)).toBe(`${CSV_COLUMNS.join(',')}\n${records.join('')}`);
  });

  it('writes only the CSV header when nothing matches', async () => {
    expect(await body('csv')).toBe(`${CSV_COLUMNS.join(',')}\n`);
  });

  it('writes a JSON array with one entry per line, lines split anywhere across chunks', async () => {
    const entries = [{ seq: 3, after: { name: 'é, "q"' } }, { seq: 2 }, { seq: 1, before: null }];
    const lines = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
    const expected = `[\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n]\n`;
    for (const cut of [1, 7, lines.indexOf('\n'), lines.indexOf('\n') + 1, lines.length - 1]) {
      const text = await body('json', lines.slice(0, cut), '', lines.slice(cut));
      expect(text).toBe(expected);
    }
    expect(JSON.parse(expected)).toEqual(entries);
  });

  it('writes an empty JSON array when nothing matches', async () => {
    const text = await body('json');
    expect(text).toBe('[\n]\n');
    expect(JSON.parse(text)).toEqual([]);
  });
});
