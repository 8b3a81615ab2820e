import fc from 'fast-check';
import request from 'supertest';
import { DefaultCompany } from '../../src/core/tenancy/default-company';
import { Api, Caller, givenCompany, unique } from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, count, db } from '../support/db';
import { serviceAccountToken, tokenFor } from '../support/keycloak';
import { createTemporaryUser, TemporaryUser } from '../support/keycloak-admin';
import { ledgerHelpers } from '../support/ledger';
import { changedCounts, RowCounts } from '../support/row-counts';
import { eventually } from '../support/wait';

type RowErrorBody = { row: number; column: string | null; message: string; code: string };

const SHAREHOLDER_HEADER = 'name,email,type,phone,address,tax_id,user_id';
const ISSUANCE_HEADER = 'shareholder_email,share_class,number_of_shares,price,date,currency';

/**
 * CSV bulk imports through the real app, PostgreSQL and Keycloak tokens: templates, shareholders
 * and issuances imported all or nothing, row errors, dry runs, the authorized shares, who may
 * import, and 10,000 rows in one request.
 */
describe('CSV bulk imports', () => {
  let testApp: TestApp;
  let api: Api;
  let helpers: ReturnType<typeof ledgerHelpers>;
  let rows: RowCounts;
  let otherAdmin: TemporaryUser | undefined;

  const tokenOf = async (as: Caller): Promise<string> => {
    if (typeof as === 'object') return as.token;
    if (as === 'internal-tool') return serviceAccountToken();
    if (as === 'anonymous') throw new Error('no token for anonymous');
    return tokenFor(as);
  };

  async function postCsv(path: string, csv: string, as: Caller = 'admin', type = 'text/csv') {
    return request(api.server)
      .post(path)
      .set('authorization', `Bearer ${await tokenOf(as)}`)
      .set('content-type', type)
      .send(csv);
  }

  const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;
  const brief = (errors: RowErrorBody[]) =>
    errors.map(({ row, column, message, code }) => ({ row, column, message, code }));
  const email = (label: string) => `${unique(label).toLowerCase()}@example.com`;

  /** Every table's row count once event delivery and certificate renders have settled. */
  const settled = () => rows.settled(60_000);
  const unchangedSince = async (before: Record<string, number>) =>
    changedCounts(before, await settled());

  /** A company of its own, with a class of `authorized` shares, so that counts are this test's. */
  async function company(authorized = 1_000_000) {
    const scope = await helpers.inNewCompany(unique('Import Co'));
    const common = await scope.post('/share-classes/', {
      name: 'Common',
      type: 'COMMON',
      authorized_shares: authorized,
      par_value: '0.01',
      votes_per_share: 1,
      certificate_prefix: 'CS',
    });
    return { ...scope, common: common as { id: string; name: string } };
  }

  beforeAll(async () => {
    // No periodic audit checkpoint: the tests count every table, audit_checkpoint included.
    testApp = await startApp({
      OUTBOX_POLL_INTERVAL_MS: 50,
      CERTIFICATE_RENDER_QUIET_MS: 0,
      AUDIT_CHECKPOINT_INTERVAL_MS: 0,
    });
    api = new Api(testApp);
    helpers = ledgerHelpers(api);
    await givenCompany(api);
    // Every table counted, the outbox included; denied attempts are told apart by their type.
    rows = await RowCounts.prepare(new Set(), ['access.denied']);
  });
  afterAll(async () => {
    await otherAdmin?.remove();
    // The imports' events are delivered before the app closes, not left to the next suite's app.
    await rows.settled(180_000);
    await testApp.close();
    await closeDb();
  }, 200_000);

  describe('templates', () => {
    it('serves each template as its header row, to admins and auditors', async () => {
      for (const [kind, header] of [
        ['shareholders', SHAREHOLDER_HEADER],
        ['issuances', ISSUANCE_HEADER],
      ]) {
        for (const caller of ['admin', 'auditor'] as const) {
          const response = await api.get(`/api/imports/${kind}/template`, caller);
          expect(response.status).toBe(200);
          expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
          expect(response.headers['content-disposition']).toBe(
            `attachment; filename="${kind}-import-template.csv"`,
          );
          expect(response.text).toBe(`${header}\n`);
        }
      }
      const { at } = await company();
      const scoped = await api.get(at('/imports/issuances/template'), 'admin');
      expect([scoped.status, scoped.text]).toEqual([200, `${ISSUANCE_HEADER}\n`]);
    });

    it('refuses a shareholder, and answers 404 for an import that does not exist', async () => {
      const holder = await api.get('/api/imports/shareholders/template', 'shareholder1');
      expect([holder.status, holder.body.code]).toEqual([403, 'FORBIDDEN']);
      const unknown = await api.get('/api/imports/grants/template');
      expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
    });
  });

  describe('shareholders', () => {
    it('imports every row of a good CSV (unscoped: the default company), then lists them', async () => {
      const [ada, grace] = [email('ada'), email('grace')];
      const before = await count('SELECT 1 FROM shareholder');
      const response = await postCsv(
        '/api/imports/shareholders?dry_run=false',
        csv(
          SHAREHOLDER_HEADER,
          `Ada Lovelace,${ada},INDIVIDUAL,'+44 20 7946 0958,"12 St James Square, London",GB123456789,`,
          '',
          `  Grace Hopper , ${grace.toUpperCase()} ,INSTITUTION,,,,`,
        ),
      );
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        dry_run: false,
        imported: 2,
        rows: [
          { row: 2, id: expect.any(String) },
          { row: 4, id: expect.any(String) },
        ],
      });
      expect(await count('SELECT 1 FROM shareholder')).toBe(before + 2);
      const [first, second] = response.body.rows as Array<{ id: string }>;
      const listed = await api.get(`/api/shareholders/?email=${ada}`);
      expect(listed.body).toEqual([
        expect.objectContaining({
          id: first?.id,
          name: 'Ada Lovelace',
          email: ada,
          type: 'INDIVIDUAL',
          phone: '+44 20 7946 0958',
          address: '12 St James Square, London',
          tax_id: 'GB123456789',
          version: 1,
        }),
      ]);
      const other = await api.get(`/api/shareholders/${second?.id}`);
      expect(other.body).toMatchObject({ name: 'Grace Hopper', email: grace.toUpperCase() });
      // Written as POST /api/shareholders/ writes: a version, an event, an audit entry each.
      const history = await api.get(`/api/shareholders/${first?.id}/history`, 'auditor');
      expect(history.body.map((v: { change: string }) => v.change)).toEqual(['CREATED']);
      await eventually(
        async () => {
          const audited = await count(
            `SELECT 1 FROM audit_entry WHERE action = 'shareholder.created' AND entity_id = ANY($1::text[])`,
            [[first?.id, second?.id]],
          );
          return audited === 2 ? true : undefined;
        },
        20_000,
        'the audit entries of the imported holders',
      );
    });

    it('lists every row error of a bad CSV in one answer and writes nothing', async () => {
      const { at, post } = await company();
      const existing = await post('/shareholders/', { name: 'Existing', email: email('existing') });
      const twin = email('twin');
      const before = await settled();
      const response = await postCsv(
        at('/imports/shareholders'),
        csv(
          'email,name,phone',
          `not-an-email,Bad Email,`,
          `${email('noname')},,`,
          `${(existing.email as string).toUpperCase()},Existing,`,
          `${twin},Twin One,+1 555 0100`,
          `${twin.toUpperCase()},Twin Two,`,
          `${email('phone')},Bad Phone,call me`,
          `${email('extra')},Extra,,surplus`,
        ),
      );
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', error_count: 6 });
      expect(brief(response.body.errors)).toEqual([
        { row: 2, column: 'email', message: 'email must be an email', code: 'VALIDATION_FAILED' },
        { row: 3, column: 'name', message: 'name should not be empty', code: 'VALIDATION_FAILED' },
        {
          row: 4,
          column: 'email',
          message: 'email is already the email of a holder of this company',
          code: 'SHAREHOLDER_EMAIL_TAKEN',
        },
        {
          row: 6,
          column: 'email',
          message: 'email is also the email of row 5',
          code: 'SHAREHOLDER_EMAIL_TAKEN',
        },
        {
          row: 7,
          column: 'phone',
          message: 'phone must be a phone number (digits, spaces, + ( ) . -)',
          code: 'VALIDATION_FAILED',
        },
        {
          row: 8,
          column: null,
          message: 'has 4 cells where the header row has 3 (a value with a comma must be quoted)',
          code: 'VALIDATION_FAILED',
        },
      ]);
      expect(await unchangedSince(before)).toEqual([]);
    });

    it('names a missing or unknown column of the header row', async () => {
      const before = await settled();
      const response = await postCsv('/api/imports/shareholders', csv('name,mail', 'A,a@x.io'));
      expect(response.status).toBe(400);
      expect(brief(response.body.errors)).toEqual([
        {
          row: 1,
          column: 'mail',
          message:
            'mail is not a column (columns: name, email, type, phone, address, tax_id, user_id)',
          code: 'VALIDATION_FAILED',
        },
        {
          row: 1,
          column: 'email',
          message: 'email is a required column',
          code: 'VALIDATION_FAILED',
        },
      ]);
      expect(await unchangedSince(before)).toEqual([]);
    });

    it('checks and writes every row in a dry run, then keeps nothing: no holder, event or audit entry', async () => {
      const { at } = await company();
      const before = await settled();
      const response = await postCsv(
        at('/imports/shareholders?dry_run=true'),
        csv('name,email', `Dry One,${email('dry')}`, `Dry Two,${email('dry')}`),
      );
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        dry_run: true,
        imported: 2,
        rows: [
          { row: 2, id: null },
          { row: 3, id: null },
        ],
      });
      expect(await unchangedSince(before)).toEqual([]);
    });
  });

  describe('issuances', () => {
    it('issues shares to holders matched by email, in classes matched by name: the cap table moves exactly', async () => {
      const { at, post, common } = await company();
      const seed = (await post('/share-classes/', {
        name: 'Series Seed',
        type: 'PREFERRED',
        authorized_shares: 5_000,
        par_value: '0.0001',
        votes_per_share: 1,
        certificate_prefix: 'SS',
      })) as { id: string };
      const ada = await post('/shareholders/', { name: 'Ada', email: email('ada') });
      const bob = await post('/shareholders/', { name: 'Bob', email: email('bob') });
      const response = await postCsv(
        at('/imports/issuances'),
        csv(
          ISSUANCE_HEADER,
          `${ada.email.toUpperCase()},Series Seed,1000,0.5,2024-01-15,`,
          `${bob.email},,250,1.25,,`,
          `${ada.email},common,10,0.1,2024-02-01,EUR`,
        ),
      );
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ dry_run: false, imported: 3 });
      const ids = (response.body.rows as Array<{ row: number; id: string }>).map((r) => r.id);
      const issued = await Promise.all(ids.map((id) => api.get(at(`/issuances/${id}`))));
      expect(issued.map((r) => r.body)).toEqual([
        expect.objectContaining({
          shareholder_id: ada.id,
          share_class_id: seed.id,
          number_of_shares: 1000,
          total_amount: '500',
          currency: 'EUR',
          date: '2024-01-15',
        }),
        expect.objectContaining({
          shareholder_id: bob.id,
          share_class_id: common.id,
          number_of_shares: 250,
          total_amount: '312.5',
          date: new Date().toISOString().slice(0, 10),
        }),
        expect.objectContaining({
          shareholder_id: ada.id,
          share_class_id: common.id,
          number_of_shares: 10,
          total_amount: '1',
        }),
      ]);
      const table = await api.get(at('/cap-table'));
      const holdings = Object.fromEntries(
        (
          table.body.holders as Array<{
            shareholder_id: string;
            holdings: Array<{ share_class_id: string; shares: number }>;
          }>
        ).map((h) => [
          h.shareholder_id,
          Object.fromEntries(h.holdings.map((x) => [x.share_class_id, x.shares])),
        ]),
      );
      expect(holdings).toEqual({
        [ada.id]: { [seed.id]: 1000, [common.id]: 10 },
        [bob.id]: { [common.id]: 250 },
      });
      // As POST /api/issuances/ does: a certificate and an audit entry for each.
      await settled();
      expect(
        await count('SELECT 1 FROM certificate WHERE issuance_id = ANY($1::uuid[])', [ids]),
      ).toBe(3);
      expect(
        await count(
          `SELECT 1 FROM audit_entry WHERE action = 'issuance.created' AND entity_id = ANY($1::text[])`,
          [ids],
        ),
      ).toBe(3);
    }, 120_000);

    it('lists every row error of a bad CSV in one answer and writes nothing', async () => {
      const { at, post } = await company();
      const ada = await post('/shareholders/', { name: 'Ada', email: email('ada') });
      const before = await settled();
      const response = await postCsv(
        at('/imports/issuances'),
        csv(
          'shareholder_email,share_class,number_of_shares,price,date',
          `${ada.email},Series Z,100,1,2024-01-01`,
          `${ada.email},Common,lots,1,2024-01-01`,
          `nobody@example.com,Common,100,1,2024-01-01`,
          `${ada.email},Common,100,1.5.0,2024-31-01`,
          `${ada.email},Common,100,1,2024-01-01`,
        ),
      );
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', error_count: 5 });
      expect(brief(response.body.errors)).toEqual([
        {
          row: 2,
          column: 'share_class',
          message: 'share_class is not the name of a share class of this company',
          code: 'SHARE_CLASS_NOT_FOUND',
        },
        {
          row: 3,
          column: 'number_of_shares',
          message: 'number_of_shares must be an integer number',
          code: 'VALIDATION_FAILED',
        },
        {
          row: 4,
          column: 'shareholder_email',
          message: 'shareholder_email is not the email of a holder of this company',
          code: 'SHAREHOLDER_NOT_FOUND',
        },
        {
          row: 5,
          column: 'price',
          message: expect.stringMatching(/^price must be a non-negative decimal/),
          code: 'VALIDATION_FAILED',
        },
        {
          row: 5,
          column: 'date',
          message: 'date must be a calendar date written YYYY-MM-DD',
          code: 'VALIDATION_FAILED',
        },
      ]);
      expect(await unchangedSince(before)).toEqual([]);
      const missing = await postCsv(
        at('/imports/issuances'),
        csv('shareholder_email,number_of_shares', `${ada.email},100`),
      );
      expect(brief(missing.body.errors)).toEqual([
        {
          row: 1,
          column: 'price',
          message: 'price is a required column',
          code: 'VALIDATION_FAILED',
        },
      ]);
      expect(await unchangedSince(before)).toEqual([]);
    });

    it('rolls the whole import back when a row would exceed the authorized shares', async () => {
      const { at, post, common } = await company(1_000);
      const ada = await post('/shareholders/', { name: 'Ada', email: email('ada') });
      const before = await settled();
      const response = await postCsv(
        at('/imports/issuances'),
        csv(
          ISSUANCE_HEADER,
          `${ada.email},Common,600,1,2024-01-01,`,
          `${ada.email},Common,300,1,2024-01-02,`,
          `${ada.email},Common,200,1,2024-01-03,`,
          `${ada.email},Common,100,1,2024-01-04,`,
        ),
      );
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ code: 'AUTHORIZED_SHARES_EXCEEDED', error_count: 1 });
      expect(brief(response.body.errors)).toEqual([
        {
          row: 4,
          column: 'number_of_shares',
          message:
            'Issuing 200 shares of Common would exceed its 1000 authorized shares: 900 are issued, 100 remain.',
          code: 'AUTHORIZED_SHARES_EXCEEDED',
        },
      ]);
      expect(await unchangedSince(before)).toEqual([]);
      const shareClass = await api.get(at(`/share-classes/${common.id}`));
      expect(shareClass.body).toMatchObject({ authorized_shares: 1000, issued_shares: 0 });
    });

    it('writes nothing in a dry run: no issuance, certificate, event or audit entry', async () => {
      const { at, post } = await company();
      const ada = await post('/shareholders/', { name: 'Ada', email: email('ada') });
      const before = await settled();
      const response = await postCsv(
        at('/imports/issuances?dry_run=true'),
        csv(ISSUANCE_HEADER, `${ada.email},Common,600,1,2024-01-01,`, `${ada.email},,5,2,,`),
      );
      expect([response.status, response.body.imported, response.body.dry_run]).toEqual([
        200,
        2,
        true,
      ]);
      expect(await unchangedSince(before)).toEqual([]);
    });
  });

  describe('who may import', () => {
    it("refuses an auditor, and a company admin of another company with that company's 404", async () => {
      const { id, at } = await company();
      otherAdmin = await createTemporaryUser('shareholder');
      const member = await api.post(`/api/companies/${id}/members`, {
        role: 'admin',
        email: otherAdmin.email,
      });
      expect(member.status).toBe(201);
      const theirs = { token: await otherAdmin.token() };
      const defaultCompany = await testApp.app.get(DefaultCompany).id();
      const before = await settled();
      const body = csv('name,email', `Intruder,${email('intruder')}`);
      const elsewhere = await postCsv(
        `/api/companies/${defaultCompany}/imports/shareholders`,
        body,
        theirs,
      );
      expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'COMPANY_NOT_FOUND']);
      const auditor = await postCsv('/api/imports/shareholders', body, 'auditor');
      expect([auditor.status, auditor.body.code]).toEqual([403, 'FORBIDDEN']);
      const changed = changedCounts(before, await settled());
      // Only the denied attempt is recorded (in the caller's own company's audit log).
      expect(
        changed.filter((c) => !/^(outbox_event|audit_entry|processed_event) /.test(c)),
      ).toEqual([]);
      // In their own company they may.
      const own = await postCsv(at('/imports/shareholders'), body, theirs);
      expect([own.status, own.body.imported]).toEqual([201, 1]);
    });

    it('answers 415 to a body that is not text/csv, and other routes still refuse text/csv', async () => {
      const json = await api.post('/api/imports/shareholders', { name: 'A', email: 'a@x.io' });
      expect([json.status, json.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
      const plain = await postCsv(
        '/api/imports/shareholders',
        'name,email\n',
        'admin',
        'text/plain',
      );
      expect(plain.status).toBe(415);
      const latin1 = await postCsv(
        '/api/imports/shareholders',
        'name,email\n',
        'admin',
        'text/csv; charset=latin1',
      );
      expect(latin1.status).toBe(415);
      const elsewhere = await postCsv('/api/shareholders/', 'name,email\nA,a@x.io\n');
      expect([elsewhere.status, elsewhere.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    });
  });

  describe('under fuzzed CSV', () => {
    /** Cells a spreadsheet might hold, and the characters that break CSV. */
    const cell = fc.oneof(
      fc.constantFrom('', ' ', 'Ada', 'a@example.com', 'A@EXAMPLE.COM', '1', '0', '-1', '1e3'),
      fc.constantFrom('0.25', '1,5', '2024-01-01', '2024-02-30', 'EUR', 'eur', 'Common', "'+44 1"),
      fc.constantFrom('"', '""', '"a,b"', ',', ';', '\n', '\r\n', '\t', '\u0000', '\ud800', '='),
      fc.string({ maxLength: 12 }),
    );
    const line = fc.array(cell, { maxLength: 8 }).map((cells) => cells.join(','));
    /** Rows that pass, so that the write path runs too (rolled back: a dry run). */
    const valid: Record<'shareholders' | 'issuances', fc.Arbitrary<string>> = {
      shareholders: fc
        .tuple(fc.constantFrom('Ada', ' "Lovelace, Ada" ', 'Grace'), fc.uuid())
        .map(([name, id]) => `${name},${id}@example.com,,`),
      issuances: fc
        .tuple(fc.integer({ min: 1, max: 1_000 }), fc.constantFrom('0', '0.25', '1.5', '10'))
        .map(([shares, price]) => `A@example.com,Common,${shares},${price},2024-01-01,`),
    };
    const body = (kind: 'shareholders' | 'issuances', header: string) =>
      fc.oneof(
        fc.array(line, { maxLength: 6 }).map((lines) => [header, ...lines].join('\n')),
        fc.array(line, { minLength: 1, maxLength: 6 }).map((lines) => lines.join('\r\n')),
        fc
          .array(fc.oneof({ weight: 4, arbitrary: valid[kind] }, line), {
            minLength: 1,
            maxLength: 6,
          })
          .map((lines) => [header, ...lines].join('\r\n')),
      );

    it('answers any CSV with a dry run or a 4xx problem, and writes nothing', async () => {
      const { at, post } = await company();
      await post('/shareholders/', { name: 'Ada', email: 'a@example.com' });
      const before = await settled();
      const statuses = new Map<number, number>();
      for (const [kind, header] of [
        ['shareholders', 'name,email,type,phone'],
        ['issuances', ISSUANCE_HEADER],
      ] as const) {
        await fc.assert(
          fc.asyncProperty(body(kind, header), async (text) => {
            const response = await postCsv(at(`/imports/${kind}?dry_run=true`), text);
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            if (response.status === 200) return;
            expect(response.status).toBeGreaterThanOrEqual(400);
            expect(response.status).toBeLessThan(500);
            expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
            expect(response.body.status).toBe(response.status);
            const now = await rows.now();
            expect([changedCounts(before, now.counts), now.background]).toEqual([[], 0]);
          }),
          { numRuns: 100, seed: 20_261_201 },
        );
      }
      expect(await unchangedSince(before)).toEqual([]);
      expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 400]));
    }, 120_000);
  });

  describe('10,000 rows', () => {
    it('imports 10,000 shareholders in one request', async () => {
      const { id, at } = await company();
      const label = unique('bulk').toLowerCase();
      const lines = Array.from(
        { length: 10_000 },
        (_, i) =>
          `Holder ${i},${label}-${i}@example.com,INDIVIDUAL,+44 20 7946 ${String(i).padStart(4, '0')},"${i} Main Street, Springfield",TX${String(i).padStart(6, '0')},`,
      );
      const body = csv(SHAREHOLDER_HEADER, ...lines);
      const started = Date.now();
      const response = await postCsv(at('/imports/shareholders'), body);
      const took = Date.now() - started;
      console.info(`10,000 shareholder rows (${body.length} bytes) imported in ${took} ms`);
      expect(response.status).toBe(201);
      expect(response.body.imported).toBe(10_000);
      expect(response.body.rows[9_999]).toEqual({ row: 10_001, id: expect.any(String) });
      const { rows: found } = await db().query<{ n: string }>(
        'SELECT count(*)::text AS n FROM shareholder WHERE company_id = $1',
        [id],
      );
      expect(Number(found[0]?.n)).toBe(10_000);
      const listed = await api.get(at('/shareholders/?limit=1'));
      expect(listed.headers['x-total-count']).toBe('10000');
    }, 240_000);
  });
});
