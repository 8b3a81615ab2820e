import { readCsvTable } from './csv-table';
import { ImportColumn, ISSUANCE_COLUMNS, SHAREHOLDER_COLUMNS, templateOf } from './import-columns';

const COLUMNS: ImportColumn[] = [
  { name: 'name', required: true, description: '' },
  { name: 'email', required: true, description: '' },
  { name: 'phone', required: false, description: '' },
];

const brief = (errors: Array<{ row: number; column: string | null; message: string }>) =>
  errors.map(({ row, column, message }) => ({ row, column, message }));

describe('readCsvTable', () => {
  it('reads the rows by header name, trimmed, numbering them as a spreadsheet does', () => {
    const table = readCsvTable(
      'Email , NAME\r\n ada@example.com , Ada \r\n\r\n"b@example.com","Lovelace, ""B"""\r\n',
      COLUMNS,
      10,
    );
    expect(table.errors).toEqual([]);
    expect(table.rows).toEqual([
      { row: 2, cells: { email: 'ada@example.com', name: 'Ada' } },
      { row: 4, cells: { email: 'b@example.com', name: 'Lovelace, "B"' } },
    ]);
  });

  it('counts a quoted line break as part of its row, not as a new one', () => {
    const table = readCsvTable('name,email\n"A\nB",a@example.com\nC,c@example.com\n', COLUMNS, 10);
    expect(table.rows.map((r) => [r.row, r.cells.name])).toEqual([
      [2, 'A\nB'],
      [3, 'C'],
    ]);
  });

  it('takes a byte order mark, a semicolon-separated file and trailing empty columns', () => {
    const table = readCsvTable('\uFEFFname;email;;\nAda;ada@example.com;;\n', COLUMNS, 10);
    expect(table).toEqual({
      rows: [{ row: 2, cells: { name: 'Ada', email: 'ada@example.com' } }],
      errors: [],
    });
  });

  it("reads a cell the service's CSV export escaped against formulas as it was", () => {
    const table = readCsvTable("name,email,phone\n'=Ada,a@example.com,'+44 1\n", COLUMNS, 10);
    expect(table.rows[0]?.cells).toEqual({ name: '=Ada', email: 'a@example.com', phone: '+44 1' });
  });

  it('names unknown, repeated, empty and missing header columns, all in row 1', () => {
    const table = readCsvTable('name,nickname,name,,phone\nA,B,C,D,E\n', COLUMNS, 10);
    expect(table.rows).toEqual([]);
    expect(brief(table.errors)).toEqual([
      {
        row: 1,
        column: 'nickname',
        message: 'nickname is not a column (columns: name, email, phone)',
      },
      { row: 1, column: 'name', message: 'name appears twice' },
      { row: 1, column: null, message: 'cell 4 of the header row is empty' },
      { row: 1, column: 'email', message: 'email is a required column' },
    ]);
  });

  it('refuses a row with more or fewer cells than the header, and keeps the others', () => {
    const table = readCsvTable(
      'name,email\nA,a@example.com,extra\nB\nC,c@example.com\n',
      COLUMNS,
      10,
    );
    expect(table.rows.map((r) => r.row)).toEqual([4]);
    expect(brief(table.errors)).toEqual([
      {
        row: 2,
        column: null,
        message: 'has 3 cells where the header row has 2 (a value with a comma must be quoted)',
      },
      {
        row: 3,
        column: null,
        message: 'has 1 cells where the header row has 2 (a value with a comma must be quoted)',
      },
    ]);
  });

  it('reports malformed CSV at the row where it breaks', () => {
    const table = readCsvTable('name,email\nA,a@example.com\nB,"b@example.com\n', COLUMNS, 10);
    expect(table.rows).toEqual([]);
    expect(table.errors).toHaveLength(1);
    expect(table.errors[0]).toMatchObject({ row: 3, column: null, code: 'VALIDATION_FAILED' });
    expect(table.errors[0]?.message).toMatch(/^is not valid CSV: Quote Not Closed/);
  });

  it('refuses an empty file, a header alone and more rows than allowed', () => {
    expect(brief(readCsvTable('', COLUMNS, 10).errors)).toEqual([
      { row: 1, column: null, message: 'the first row must be the header row' },
    ]);
    expect(brief(readCsvTable('name,email\n\n', COLUMNS, 10).errors)).toEqual([
      { row: 2, column: null, message: 'the file has no rows below the header row' },
    ]);
    const tooMany = readCsvTable('name,email\nA,a@x.io\n\nB,b@x.io\nC,c@x.io\n', COLUMNS, 2);
    expect(tooMany.rows).toEqual([]);
    expect(brief(tooMany.errors)).toEqual([
      { row: 5, column: null, message: 'an import takes at most 2 rows' },
    ]);
  });

  it('reads its own templates as a header without rows', () => {
    for (const [kind, columns] of [
      ['shareholders', SHAREHOLDER_COLUMNS],
      ['issuances', ISSUANCE_COLUMNS],
    ] as const) {
      const table = readCsvTable(templateOf(kind), columns, 10);
      expect(brief(table.errors)).toEqual([
        { row: 2, column: null, message: 'the file has no rows below the header row' },
      ]);
    }
    expect(templateOf('issuances')).toBe(
      'shareholder_email,share_class,number_of_shares,price,date,currency\n',
    );
  });
});
