import { CopyLineDecoder, LineItems } from './copy-lines';

const Q = '\x1e';
const DELIMITER = '\x1f';

/**
 * What COPY … (FORMAT csv, DELIMITER E'\x1f', QUOTE E'\x1e') writes for one-column rows: a value
 * with a line break, the delimiter or the quote byte is quoted, and so is the empty string.
 */
function copyOutput(values: string[]): string {
  const quoted = (value: string) =>
    value === '' || /[\r\n]/.test(value) || value.includes(Q) || value.includes(DELIMITER);
  return values.map((v) => (quoted(v) ? `${Q}${v.split(Q).join(Q + Q)}${Q}\n` : `${v}\n`)).join('');
}

function decodeInPieces(text: string, cuts: number[]): string {
  const decoder = new CopyLineDecoder();
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(decoder.push(bytes.subarray(from, cut)));
    from = cut;
  }
  return Buffer.concat(out).toString('utf8');
}

describe('CopyLineDecoder', () => {
  const values = [
    '{"a":1}',
    'line one\nline two',
    `a${Q}b`,
    `${Q}${Q}`,
    'unit\x1fseparator',
    '"quoted, with CR\r"',
    'é ü 漢',
    '',
  ];
  const plain = values.map((v) => `${v}\n`).join('');
  const written = copyOutput(values);

  it('gives back every value byte for byte, however the chunks fall', () => {
    const length = Buffer.byteLength(written);
    for (let cut = 0; cut <= length; cut += 1) expect(decodeInPieces(written, [cut])).toBe(plain);
    for (let cut = 0; cut + 1 <= length; cut += 1)
      expect(decodeInPieces(written, [cut, cut + 1])).toBe(plain);
  });

  it('passes a chunk without a quote byte on as the same buffer', () => {
    const chunk = Buffer.from('{"a":1}\n{"b":2}\n');
    expect(new CopyLineDecoder().push(chunk)).toBe(chunk);
  });
});

describe('LineItems', () => {
  it('prefixes each line, the first one differently, across chunk boundaries', () => {
    const items = new LineItems(Buffer.from('['), Buffer.from(','));
    expect(items.empty).toBe(true);
    const out = ['ab', 'c\nd', '', '\ne\n'].map((t) => items.push(Buffer.from(t)).toString());
    expect(out.join('')).toBe('[abc,d,e');
    expect(items.empty).toBe(false);
  });

  it('counts an item written by other means', () => {
    const items = new LineItems(Buffer.from('['), Buffer.from(','));
    expect(items.prefix().toString()).toBe('[');
    expect(items.push(Buffer.from('x\n')).toString()).toBe(',x');
  });
});
