import 'reflect-metadata';
import { AuthorizedSharesExceededError } from '../issuances';
import { ShareholderEmailTakenError } from '../shareholders';
import { readCsvTable } from './csv-table';
import { ISSUANCE_COLUMNS, SHAREHOLDER_COLUMNS } from './import-columns';
import { classIndex, issuanceDraft, IssuanceReferences } from './issuance-rows';
import { ImportRejectedError, MAX_LISTED_ERRORS, rowError, writeErrorOf } from './row-errors';
import { draftsOf } from './row-validation';
import { duplicateErrors, shareholderDraft } from './shareholder-rows';

const brief = (
  errors: Array<{ row: number; column: string | null; message: string; code: string }>,
) => errors.map(({ row, column, message, code }) => ({ row, column, message, code }));

const table = (text: string, columns = SHAREHOLDER_COLUMNS) => {
  const read = readCsvTable(text, columns, 100);
  expect(read.errors).toEqual([]);
  return read.rows;
};

describe('shareholder rows', () => {
  it('become the body of POST /api/shareholders/, empty optional cells left out', async () => {
    const rows = table('name,email,type,phone\nAda,ada@example.com,,+44 20 7946 0958\n');
    const { drafts, errors } = await draftsOf(rows, shareholderDraft);
    expect(errors).toEqual([]);
    expect(drafts).toHaveLength(1);
    expect({ ...drafts[0]?.dto }).toEqual({
      name: 'Ada',
      email: 'ada@example.com',
      type: undefined,
      phone: '+44 20 7946 0958',
      address: undefined,
      tax_id: undefined,
      user_id: undefined,
    });
  });

  it('are checked with the DTO, one error per column with its first declared rule', async () => {
    const rows = table('name,email,type,tax_id\n,not-an-email,ROBOT,x\nOk,ok@example.com,,\n');
    const { drafts, errors } = await draftsOf(rows, shareholderDraft);
    expect(drafts.map((d) => d.row)).toEqual([3]);
    expect(brief(errors)).toEqual([
      { row: 2, column: 'name', message: 'name should not be empty', code: 'VALIDATION_FAILED' },
      { row: 2, column: 'email', message: 'email must be an email', code: 'VALIDATION_FAILED' },
      {
        row: 2,
        column: 'type',
        message: 'type must be one of the following values: INDIVIDUAL, INSTITUTION',
        code: 'VALIDATION_FAILED',
      },
      {
        row: 2,
        column: 'tax_id',
        message: 'tax_id must be 4 to 32 letters, digits, spaces or . / -',
        code: 'VALIDATION_FAILED',
      },
    ]);
    expect(errors[0]).toMatchObject({ field: 'name', messages: ['name should not be empty'] });
  });

  it('may not repeat an email (any case) or a user_id, nor take an existing holder email', async () => {
    const rows = table(
      'name,email,user_id\nA,a@example.com,u1\nB,A@Example.com,u1\nC,taken@example.com,\n',
    );
    const { drafts } = await draftsOf(rows, shareholderDraft);
    const taken = new Map([['taken@example.com', 'some-id']]);
    expect(brief(duplicateErrors(drafts, taken))).toEqual([
      {
        row: 3,
        column: 'email',
        message: 'email is also the email of row 2',
        code: 'SHAREHOLDER_EMAIL_TAKEN',
      },
      {
        row: 3,
        column: 'user_id',
        message: 'user_id is also that of row 2',
        code: 'SHAREHOLDER_USER_TAKEN',
      },
      {
        row: 4,
        column: 'email',
        message: 'email is already the email of a holder of this company',
        code: 'SHAREHOLDER_EMAIL_TAKEN',
      },
    ]);
  });
});

describe('issuance rows', () => {
  const refs: IssuanceReferences = {
    holders: new Map([['ada@example.com', '6f1c2a52-0d7e-4f43-9c8f-1f5a0d1e2b3c']]),
    classes: classIndex([
      { id: '0a4b5c6d-7e8f-4a1b-8c2d-3e4f5a6b7c8d', name: 'Series A' },
      { id: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e', name: 'Common' },
      { id: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f', name: 'COMMON' },
    ]),
  };
  const rowsOf = (text: string) => table(text, ISSUANCE_COLUMNS);

  it('name their holder by email and their class by name, in any case when that is unambiguous', async () => {
    const rows = rowsOf(
      'shareholder_email,share_class,number_of_shares,price,date\nADA@example.com,series a,1000,0.25,2024-06-30\n',
    );
    const { drafts, errors } = await draftsOf(rows, (row) => issuanceDraft(row, refs));
    expect(errors).toEqual([]);
    expect({ ...drafts[0]?.dto }).toEqual({
      shareholder_id: '6f1c2a52-0d7e-4f43-9c8f-1f5a0d1e2b3c',
      share_class_id: '0a4b5c6d-7e8f-4a1b-8c2d-3e4f5a6b7c8d',
      number_of_shares: 1000,
      price: '0.25',
      date: '2024-06-30',
      currency: undefined,
    });
  });

  it('report unknown holders and classes, bad numbers and dates, in column order', async () => {
    const rows = rowsOf(
      [
        'shareholder_email,share_class,number_of_shares,price,date,currency',
        'nobody@example.com,Series B,ten,-1,2024-02-30,eur',
        'not-an-email,common,0,1,,',
      ].join('\n'),
    );
    const { drafts, errors } = await draftsOf(rows, (row) => issuanceDraft(row, refs));
    expect(drafts).toEqual([]);
    expect(brief(errors).map((e) => [e.row, e.column, e.code, e.message])).toEqual([
      [
        2,
        'shareholder_email',
        'SHAREHOLDER_NOT_FOUND',
        'shareholder_email is not the email of a holder of this company',
      ],
      [
        2,
        'share_class',
        'SHARE_CLASS_NOT_FOUND',
        'share_class is not the name of a share class of this company',
      ],
      [2, 'number_of_shares', 'VALIDATION_FAILED', 'number_of_shares must be an integer number'],
      [
        2,
        'price',
        'VALIDATION_FAILED',
        expect.stringMatching(/^price must be a non-negative decimal/),
      ],
      [2, 'date', 'VALIDATION_FAILED', 'date must be a calendar date written YYYY-MM-DD'],
      [2, 'currency', 'VALIDATION_FAILED', 'currency must be written in upper case, e.g. EUR'],
      [3, 'shareholder_email', 'VALIDATION_FAILED', 'shareholder_email must be an email'],
      // "Common" and "COMMON" are two classes: a name in another case names neither.
      [
        3,
        'share_class',
        'SHARE_CLASS_NOT_FOUND',
        'share_class is not the name of a share class of this company',
      ],
      [3, 'number_of_shares', 'VALIDATION_FAILED', 'number_of_shares must not be less than 1'],
    ]);
  });
});

describe('row errors', () => {
  it("turn a service's refusal of a row into that row's error, and rethrow anything else", () => {
    const exceeded = new AuthorizedSharesExceededError('Common', {
      authorized: 10,
      issued: 8,
      requested: 5,
    });
    expect(writeErrorOf(exceeded, 7, () => 'number_of_shares')).toMatchObject({
      row: 7,
      column: 'number_of_shares',
      code: 'AUTHORIZED_SHARES_EXCEEDED',
      message: expect.stringMatching(/^Issuing 5 shares of Common would exceed/),
    });
    expect(writeErrorOf(new ShareholderEmailTakenError('a@b.io'), 3, () => 'email')).toMatchObject({
      code: 'SHAREHOLDER_EMAIL_TAKEN',
      column: 'email',
    });
    const crash = new Error('connection lost');
    expect(() => writeErrorOf(crash, 2, () => null)).toThrow(crash);
  });

  it('refuse the import with every error listed, up to a limit, and how many there are', () => {
    const errors = Array.from({ length: MAX_LISTED_ERRORS + 5 }, (_, i) =>
      rowError(i + 2, 'email', ['email must be an email']),
    );
    const refusal = new ImportRejectedError(errors);
    expect(refusal.code).toBe('VALIDATION_FAILED');
    expect(refusal.extras.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(refusal.extras.extensions).toEqual({ error_count: MAX_LISTED_ERRORS + 5 });
    expect(refusal.detail).toBe(
      `Nothing was imported: ${MAX_LISTED_ERRORS + 5} errors (row 2, email: email must be an email; row 3, email: email must be an email; row 4, email: email must be an email; and ${MAX_LISTED_ERRORS + 2} more).`,
    );
  });
});
