import { Api, givenCompany } from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, count, db } from '../support/db';
import { CapTable, givenEquityCompany } from '../support/equity';
import {
  download,
  exportPackage,
  packageFindings,
  parsed,
  postPackage,
  settled,
} from '../support/ocf';
import { eventually } from '../support/wait';

type Table = CapTable;

/**
 * Stock appreciation rights settled on exercise: a CSAR in cash, an SSAR in whole shares through
 * the stock ledger and the fraction of a share in cash, the whole quantity out of the pool.
 */
describe('equity plans: settlement of stock appreciation rights', () => {
  let testApp: TestApp;
  let api: Api;

  beforeAll(async () => {
    testApp = await startApp();
    api = new Api(testApp);
    await givenCompany(api);
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  /** A company of its own with a class, a holder of 1,000 shares, a plan of 10,000 and a grantee. */
  async function givenSarCompany(label: string) {
    const company = await givenEquityCompany(api, label, { prefix: 'SA', reserved: 10_000 });
    const { post, grantee, plan } = company;
    const grant = (body: object) =>
      post('/grants/', {
        shareholder_id: grantee.id,
        stock_plan_id: plan.id,
        grant_date: '2024-01-01',
        ...body,
      });
    const exercise = (grantId: string, body: object) =>
      api.post(company.at(`/grants/${grantId}/exercises`), body);
    const issuancesOf = (holderId: string) =>
      db().query<{ id: string; number_of_shares: string; price: string; share_class_id: string }>(
        `SELECT id, number_of_shares::text, price::text, share_class_id FROM issuance
          WHERE shareholder_id = $1 ORDER BY created_at`,
        [holderId],
      );
    return { ...company, grant, exercise, issuancesOf };
  }

  const rowOf = (table: Table, id: string) => table.holders.find((h) => h.shareholder_id === id);

  it('settles a CSAR in cash: no issuance, the cap table unchanged, the pool not refilled, audited', async () => {
    const c = await givenSarCompany('CSAR Ltd');
    const csar = await c.grant({ compensation_type: 'CSAR', quantity: 300, exercise_price: '2.5' });
    const [outstandingBefore, dilutedBefore, planBefore] = [
      await c.table(),
      await c.table('?basis=fully_diluted'),
      await c.planNow(),
    ];
    expect(planBefore).toMatchObject({ granted: 300, available: 10_000 - 300 });

    // 100 × (12.345 − 2.5) = 984.5, exactly.
    const exercised = await c.exercise(csar.id as string, {
      date: '2024-07-01',
      quantity: 100,
      fair_market_value: '12.345',
    });
    expect(exercised.status).toBe(201);
    expect(exercised.body.transaction).toMatchObject({
      kind: 'EXERCISE',
      quantity: 100,
      fair_market_value: '12.345',
      settled_shares: 0,
      cash_amount: '984.5',
      total_amount: null,
      resulting_security_id: null,
      returned_to_pool: 0,
    });
    expect(exercised.body.grant).toMatchObject({
      exercised: 100,
      outstanding: 200,
      status: 'OUTSTANDING',
    });

    expect((await c.issuancesOf(c.grantee.id as string)).rows).toEqual([]);
    const outstandingAfter = await c.table();
    expect(outstandingAfter.holders).toEqual(outstandingBefore.holders);
    expect(outstandingAfter.totals).toEqual(outstandingBefore.totals);
    const dilutedAfter = await c.table('?basis=fully_diluted');
    expect(rowOf(dilutedAfter, c.grantee.id as string)).toMatchObject({
      total_shares: 0,
      options_and_rsus: 200,
    });
    expect(dilutedAfter.totals.fully_diluted_shares).toBe(
      dilutedBefore.totals.fully_diluted_shares! - 100,
    );
    // The 100 exercised stay out of the pool: nothing is returned, nothing more is available.
    expect(await c.planNow()).toMatchObject({
      granted: 300,
      exercised: 100,
      outstanding: 200,
      returned: 0,
      available: planBefore.available,
    });
    expect(dilutedAfter.pool?.available_shares).toBe(dilutedBefore.pool?.available_shares);

    const { rows } = await db().query(
      `SELECT fair_market_value::text, settled_shares::text, cash_amount::text, total_amount::text
         FROM equity_grant_transaction WHERE grant_id = $1`,
      [csar.id],
    );
    expect(rows).toEqual([
      {
        fair_market_value: '12.3450000000',
        settled_shares: '0',
        cash_amount: '984.5000000000',
        total_amount: null,
      },
    ]);
    const entries = await eventually(async () => {
      const found = await api.get(
        c.at(`/audit/?limit=50&action=grant.transaction_recorded&entity_id=${csar.id as string}`),
      );
      return found.body.items?.length === 1 ? found.body.items : undefined;
    });
    expect(entries[0]).toMatchObject({
      action: 'grant.transaction_recorded',
      before: { exercised: 0, outstanding: 300 },
      after: { exercised: 100, outstanding: 200 },
    });
  });

  it('settles an SSAR in whole shares of the plan’s class at fair market value, the fraction in cash', async () => {
    const c = await givenSarCompany('SSAR Ltd');
    const ssar = await c.grant({
      compensation_type: 'SSAR',
      quantity: 1000,
      exercise_price: '1.1',
      vesting: [
        { date: '2024-01-01', quantity: 400 },
        { date: '2099-01-01', quantity: 600 },
      ],
    });
    const id = ssar.id as string;
    const grantee = c.grantee.id as string;
    const tooMany = await c.exercise(id, {
      date: '2024-07-01',
      quantity: 401,
      fair_market_value: '3.3',
    });
    expect([tooMany.status, tooMany.body.code, tooMany.body.errors?.[0]?.field]).toEqual([
      422,
      'QUANTITY_EXCEEDS_EXERCISABLE',
      'quantity',
    ]);
    const [outstandingBefore, dilutedBefore] = [
      await c.table(),
      await c.table('?basis=fully_diluted'),
    ];
    expect(rowOf(dilutedBefore, grantee)).toMatchObject({
      total_shares: 0,
      options_and_rsus: 1000,
    });

    // 301 × (3.3 − 1.1) = 662.2: 200 shares at 3.3 (660) and 2.2 in cash (662.2000000000001 and
    // 2.2000000000000455 in floating point).
    const first = await c.exercise(id, {
      date: '2024-07-01',
      quantity: 301,
      fair_market_value: 3.3,
    });
    expect(first.status).toBe(201);
    expect(first.body.transaction).toMatchObject({
      quantity: 301,
      fair_market_value: '3.3',
      settled_shares: 200,
      cash_amount: '2.2',
      total_amount: null,
    });
    expect(first.body.grant).toMatchObject({ exercised: 301, outstanding: 699 });
    const securityId = first.body.transaction.resulting_security_id as string;
    const security = await api.get(c.at(`/issuances/${securityId}`));
    expect(security.body).toMatchObject({
      shareholder_id: grantee,
      share_class_id: c.common.id,
      number_of_shares: 200,
      price: '3.3',
      total_amount: '660',
      date: '2024-07-01',
    });

    const outstandingAfter = await c.table();
    expect(rowOf(outstandingAfter, grantee)).toMatchObject({
      total_shares: 200,
      holdings: [expect.objectContaining({ share_class_id: c.common.id, shares: 200 })],
    });
    expect(outstandingAfter.totals.issued_shares).toBe(
      outstandingBefore.totals.issued_shares + 200,
    );
    const dilutedAfter = await c.table('?basis=fully_diluted');
    expect(rowOf(dilutedAfter, grantee)).toMatchObject({
      total_shares: 200,
      options_and_rsus: 1000 - 301,
      fully_diluted_shares: 200 + 699,
    });
    expect(dilutedAfter.totals).toMatchObject({
      issued_shares: dilutedBefore.totals.issued_shares + 200,
      options_and_rsus: dilutedBefore.totals.options_and_rsus! - 301,
      fully_diluted_shares: dilutedBefore.totals.fully_diluted_shares! - 301 + 200,
    });
    // The 101 shares' worth paid otherwise do not go back to the pool.
    expect(dilutedAfter.pool?.available_shares).toBe(dilutedBefore.pool?.available_shares);
    expect(await c.planNow()).toMatchObject({ exercised: 301, returned: 0, available: 9000 });

    // 3 × 2.2 = 6.6 = 2 shares at 3.3 exactly: no cash.
    const whole = await c.exercise(id, {
      date: '2024-07-02',
      quantity: 3,
      fair_market_value: '3.3',
    });
    expect(whole.body.transaction).toMatchObject({ settled_shares: 2, cash_amount: '0' });
    // 1 × (1.2 − 1.1) = 0.1, less than a share at 1.2: all in cash, no issuance.
    const cashOnly = await c.exercise(id, {
      date: '2024-07-03',
      quantity: 1,
      fair_market_value: '1.2',
    });
    expect(cashOnly.body.transaction).toMatchObject({
      settled_shares: 0,
      cash_amount: '0.1',
      resulting_security_id: null,
    });
    const issued = (await c.issuancesOf(grantee)).rows;
    expect(issued.map((i) => [i.number_of_shares, i.price, i.share_class_id])).toEqual([
      ['200', '3.3000000000', c.common.id],
      ['2', '3.3000000000', c.common.id],
    ]);
    expect(rowOf(await c.table(), grantee)?.total_shares).toBe(202);
  });

  it('refuses a missing, misplaced or underwater fair_market_value naming it, writing nothing', async () => {
    const c = await givenSarCompany('Refusals Ltd');
    const option = await c.grant({
      compensation_type: 'OPTION_NSO',
      quantity: 100,
      exercise_price: '1',
    });
    const sar = await c.grant({ compensation_type: 'SSAR', quantity: 100, exercise_price: '2.5' });
    const rsu = await c.grant({ compensation_type: 'RSU', quantity: 100 });
    const cases: Array<[string, string, object, number, string]> = [
      [
        'option',
        option.id,
        { fair_market_value: '5' },
        400,
        'applies to stock appreciation rights only',
      ],
      ['SAR without', sar.id, {}, 400, 'is required'],
      [
        'SAR at base price',
        sar.id,
        { fair_market_value: '2.50' },
        400,
        'greater than the base price of 2.5',
      ],
      ['SAR below', sar.id, { fair_market_value: '0.1' }, 400, 'greater than the base price'],
      ['SAR not a decimal', sar.id, { fair_market_value: '1e3' }, 400, 'non-negative decimal'],
    ];
    for (const [what, grantId, body, status, message] of cases) {
      const answer = await c.exercise(grantId, { date: '2024-07-01', quantity: 10, ...body });
      expect([what, answer.status, answer.headers['content-type']]).toEqual([
        what,
        status,
        expect.stringContaining('application/problem+json'),
      ]);
      expect([what, answer.body.code, answer.body.errors?.[0]?.field]).toEqual([
        what,
        'VALIDATION_FAILED',
        'fair_market_value',
      ]);
      expect(answer.body.errors[0].messages.join()).toContain(message);
    }
    const release = await api.post(c.at(`/grants/${rsu.id as string}/releases`), {
      date: '2024-07-01',
      quantity: 10,
      fair_market_value: '5',
    });
    expect([release.status, release.body.errors?.[0]?.field]).toEqual([400, 'fair_market_value']);

    const ids = [option.id, sar.id, rsu.id];
    expect(
      await count('SELECT 1 FROM equity_grant_transaction WHERE grant_id = ANY($1::uuid[])', [ids]),
    ).toBe(0);
    expect((await c.issuancesOf(c.grantee.id as string)).rows).toEqual([]);
    for (const grantId of ids)
      expect((await api.get(c.at(`/grants/${grantId as string}`))).body).toMatchObject({
        exercised: 0,
        released: 0,
        outstanding: 100,
      });
    // The schema holds the same rules: a settlement on anything but an exercise, or a negative or
    // partial one, is refused even to the owner.
    const insert = (kind: string, fmv: string, shares: string | null, cash: string) =>
      db().query(
        `INSERT INTO equity_grant_transaction (company_id, id, grant_id, kind, date, quantity,
                fair_market_value, settled_shares, cash_amount, created_by_sub, created_by)
         VALUES ($1, gen_random_uuid(), $2, $3, '2024-07-01', 1, $4, $5, $6, 'test', 'test')`,
        [c.id, sar.id, kind, fmv, shares, cash],
      );
    await expect(insert('CANCELLATION', '3', '0', '0.5')).rejects.toThrow(
      /ck_equity_grant_transaction_sar_settlement/,
    );
    await expect(insert('EXERCISE', '3', null, '0.5')).rejects.toThrow(
      /ck_equity_grant_transaction_sar_settlement/,
    );
    await expect(insert('EXERCISE', '3', '0', '-0.5')).rejects.toThrow(
      /ck_equity_grant_transaction_sar_amounts/,
    );
    // The same option exercises as before without it.
    const plain = await c.exercise(option.id as string, { date: '2024-07-01', quantity: 10 });
    expect(plain.body.transaction).toMatchObject({
      total_amount: '10',
      fair_market_value: null,
      settled_shares: null,
      cash_amount: null,
    });
  });

  it('lets exactly 3 of 10 concurrent SAR exercises through when only 3 are vested, totals exact', async () => {
    const c = await givenSarCompany('Concurrent Ltd');
    const ssar = await c.grant({
      compensation_type: 'SSAR',
      quantity: 1000,
      exercise_price: '2',
      vesting: [
        { date: '2024-01-01', quantity: 300 },
        { date: '2099-01-01', quantity: 700 },
      ],
    });
    const id = ssar.id as string;
    // Each: 100 × (4.5 − 2) = 250, 55 shares at 4.5 (247.5) and 2.5 in cash.
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        c.exercise(id, { date: '2024-07-01', quantity: 100, fair_market_value: '4.5' }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([
      ...Array(3).fill(201),
      ...Array(7).fill(422),
    ]);
    for (const answer of answers.filter((a) => a.status === 422))
      expect(answer.body.code).toBe('QUANTITY_EXCEEDS_EXERCISABLE');
    for (const answer of answers.filter((a) => a.status === 201))
      expect(answer.body.transaction).toMatchObject({ settled_shares: 55, cash_amount: '2.5' });

    expect((await api.get(c.at(`/grants/${id}`))).body).toMatchObject({
      exercised: 300,
      outstanding: 700,
    });
    const { rows } = await db().query<{ n: number; shares: string; cash: string }>(
      `SELECT count(*)::int AS n, sum(settled_shares)::text AS shares, trim_scale(sum(cash_amount))::text AS cash
         FROM equity_grant_transaction WHERE grant_id = $1 AND kind = 'EXERCISE'`,
      [id],
    );
    expect(rows[0]).toEqual({ n: 3, shares: '165', cash: '7.5' });
    const issued = (await c.issuancesOf(c.grantee.id as string)).rows;
    expect(issued.map((i) => i.number_of_shares)).toEqual(['55', '55', '55']);
    expect(rowOf(await c.table(), c.grantee.id as string)?.total_shares).toBe(165);
    expect(await c.planNow()).toMatchObject({ exercised: 300, returned: 0, available: 9000 });
  });

  it('exports SAR exercises as OCF exercises the official schema accepts, with their settlement', async () => {
    const c = await givenSarCompany('Export SAR Ltd');
    const csar = await c.grant({ compensation_type: 'CSAR', quantity: 100, exercise_price: '2.5' });
    const ssar = await c.grant({ compensation_type: 'SSAR', quantity: 100, exercise_price: '1.1' });
    const cash = await c.exercise(csar.id as string, {
      date: '2024-07-01',
      quantity: 100,
      fair_market_value: '12.345',
    });
    const stock = await c.exercise(ssar.id as string, {
      date: '2024-07-01',
      quantity: 100,
      fair_market_value: '3.3',
    });
    expect([cash.status, stock.status]).toEqual([201, 201]);
    await settled(c.id);

    const files = await exportPackage(api, c.at('').replace(/\/$/, ''));
    // Every item passes the official schemas: a SAR grant's price is its base_price.
    expect(packageFindings(files)).toEqual([]);
    const items = parsed(files, 'Transactions.ocf.json').items;
    const grantOf = (grantId: string) =>
      items.find(
        (t) => t.object_type === 'TX_EQUITY_COMPENSATION_ISSUANCE' && t.security_id === grantId,
      );
    expect(grantOf(csar.id as string)).toMatchObject({
      compensation_type: 'CSAR',
      base_price: { amount: '2.5000000000', currency: 'EUR' },
      expiration_date: null,
    });
    expect(grantOf(csar.id as string)).not.toHaveProperty('exercise_price');
    const exerciseOf = (grantId: string) =>
      items.find(
        (t) => t.object_type === 'TX_EQUITY_COMPENSATION_EXERCISE' && t.security_id === grantId,
      );
    expect(exerciseOf(csar.id as string)).toEqual({
      object_type: 'TX_EQUITY_COMPENSATION_EXERCISE',
      id: cash.body.transaction.id,
      date: '2024-07-01',
      security_id: csar.id,
      quantity: '100',
      resulting_security_ids: [],
      consideration_text: 'Settled in cash: EUR 984.5 at a fair market value of 12.345 per share',
    });
    // 100 × 2.2 = 220: 66 shares at 3.3 (217.8) and 2.2 in cash.
    const issuance = stock.body.transaction.resulting_security_id as string;
    expect(stock.body.transaction).toMatchObject({ settled_shares: 66, cash_amount: '2.2' });
    expect(exerciseOf(ssar.id as string)).toMatchObject({
      resulting_security_ids: [issuance],
      consideration_text:
        'Settled in stock: 66 shares, and EUR 2.2 in cash, at a fair market value of 3.3 per share',
    });
    expect(
      items.find((t) => t.object_type === 'TX_STOCK_ISSUANCE' && t.security_id === issuance),
    ).toMatchObject({ quantity: '66', share_price: { amount: '3.3000000000', currency: 'EUR' } });
  });
  it("imports an SSAR's exercise at the share price of the stock it became, and refuses a CSAR's, naming it", async () => {
    const c = await givenSarCompany('Import SAR Ltd');
    const ssar = await c.grant({ compensation_type: 'SSAR', quantity: 100, exercise_price: '1.1' });
    const stock = await c.exercise(ssar.id as string, {
      date: '2024-07-01',
      quantity: 100,
      fair_market_value: '3.3',
    });
    expect(stock.status).toBe(201);
    await settled(c.id);
    const ssarOnly = await download(api, `${c.at('/ocf/export')}?as_of=2025-01-01`);
    const imported = await postPackage(api, '/api/ocf/import', ssarOnly.body as Buffer);
    if (imported.status !== 201) throw new Error(JSON.stringify(imported.body, null, 1));
    const copy = `/api/companies/${imported.body.company_id as string}`;
    const grants = (await api.get(`${copy}/grants/`)).body as Array<{ id: string; ocf_id: string }>;
    expect(grants.map((g) => g.ocf_id)).toEqual([ssar.id]);
    const ledger = await db().query<Record<string, string>>(
      `SELECT fair_market_value::text, settled_shares::text, cash_amount::text
         FROM equity_grant_transaction WHERE grant_id = $1 AND kind = 'EXERCISE'`,
      [grants[0].id],
    );
    expect(ledger.rows).toEqual([
      { fair_market_value: '3.3000000000', settled_shares: '66', cash_amount: '2.2000000000' },
    ]);

    // A CSAR's exercise leaves no stock to read its value from: the package is refused, named.
    const csar = await c.grant({ compensation_type: 'CSAR', quantity: 10, exercise_price: '2.5' });
    const cash = await c.exercise(csar.id as string, {
      date: '2024-07-02',
      quantity: 10,
      fair_market_value: '3',
    });
    expect(cash.status).toBe(201);
    await settled(c.id);
    const both = await download(api, `${c.at('/ocf/export')}?as_of=2025-01-01`);
    const companies = await count('SELECT 1 FROM company');
    const refused = await postPackage(api, '/api/ocf/import', both.body as Buffer);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        file: 'Transactions.ocf.json',
        id: cash.body.transaction.id,
        pointer: expect.stringMatching(/^\/items\/\d+\/resulting_security_ids$/),
        message: expect.stringContaining('cash-settled SAR'),
      }),
    ]);
    expect(await count('SELECT 1 FROM company')).toBe(companies);
  });
});
