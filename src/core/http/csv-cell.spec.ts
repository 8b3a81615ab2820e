import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { csvCell, csvDocument, csvLine, type CsvValue } from './csv-cell';

const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];

describe('csvCell', () => {
  it.each(TRIGGERS)('puts a quote in front of text starting with %j', (trigger) => {
    const value = `${trigger}SUM(A1:A9)`;
    const cell = csvCell(value);
    expect(cell.startsWith(trigger === '\r' ? `"'\r` : `'${trigger}`)).toBe(true);
    expect(parse(cell)).toEqual([[`'${value}`]]);
  });

  it('neutralises a trigger on its own and the HYPERLINK payload, with normal quoting', () => {
    expect(TRIGGERS.map((t) => csvCell(t))).toEqual(["'=", "'+", "'-", "'@", "'\t", `"'\r"`]);
    const payload = '=HYPERLINK("http://evil.example","click")';
    expect(csvCell(payload)).toBe(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(parse(csvLine([payload, 'next']))).toEqual([[`'${payload}`, 'next']]);
    expect(csvCell('+44 20 7946 0958')).toBe("'+44 20 7946 0958");
    expect(csvCell('-1,2')).toBe(`"'-1,2"`);
    expect(csvCell('@SUM(1+1)\n')).toBe(`"'@SUM(1+1)\n"`);
    expect(csvCell('\r\n')).toBe(`"'\r\n"`);
  });

  it('leaves a trigger character alone when it is not the first one', () => {
    for (const value of ['a=b', 'Ada Lovelace-King', ' =1+2', 'x@example.com', "'=already"])
      expect(csvCell(value)).toBe(value);
    expect(csvCell('a\tb')).toBe('a\tb');
    expect(csvCell('a\rb')).toBe('"a\rb"');
  });

  it('leaves numbers alone, negative ones included, and writes null as an empty field', () => {
    expect([0, 42, -3, 1.5].map(csvCell)).toEqual(['0', '42', '-3', '1.5']);
    expect(csvCell(null)).toBe('');
    expect(csvCell('')).toBe('');
  });
});

describe('csvLine and csvDocument', () => {
  it('write what csv-stringify writes with its defaults, for text no spreadsheet evaluates', () => {
    const records: CsvValue[][] = [
      ['plain', 'with,comma', 'with "quotes"', 'line\nbreak', 'carriage\rreturn', '', null, 0, 42],
      ['"', '""', ',', 'a\r\n', ' leading space', 'trailing space ', 'naïve – ünïcode', '1+2', -3],
      ['{"a":"b, c","d":[1,2]}', 'tab\there', "single 'quotes'", '\\backslash', 'x'.repeat(300)],
    ];
    for (const record of records) expect(csvLine(record)).toBe(stringify([record]));
    expect(csvDocument(records)).toBe(stringify(records));
  });

  it('parse back to the values, neutralised text with its leading quote', () => {
    const record = ['id-1', '=1+2', 'Comma, "Quoted"', '-x', null, 7];
    expect(parse(csvDocument([['a', 'b', 'c', 'd', 'e', 'f'], record]))).toEqual([
      ['a', 'b', 'c', 'd', 'e', 'f'],
      ['id-1', "'=1+2", 'Comma, "Quoted"', "'-x", '', '7'],
    ]);
  });

  it('writes nothing for no records, and an empty line for an empty record', () => {
    expect(csvDocument([])).toBe('');
    expect(csvLine([])).toBe('\n');
  });
});
