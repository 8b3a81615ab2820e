import { Api, givenCompany } from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, count, db } from '../support/db';
import { givenEquityCompany } from '../support/equity';
import {
  download,
  exportPackage,
  packageFindings,
  parsed,
  postPackage,
  settled,
} from '../support/ocf';

/**
 * Grants outside any plan (OCF: an EquityCompensationIssuance without stock_plan_id): they name
 * the class their exercises issue, take from no pool, count in the fully diluted table, and
 * what of them is cancelled is retired.
 */
describe('grants outside any plan', () => {
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

  /** A company of its own with a class, a founder of 1,000 shares, a plan of 5,000 and a grantee. */
  async function givenCompanyWithPlan(label: string) {
    const company = await givenEquityCompany(api, label, { prefix: 'PL', reserved: 5_000 });
    const grant = (body: object) =>
      api.post(company.at('/grants/'), {
        shareholder_id: company.grantee.id,
        compensation_type: 'OPTION_NSO',
        exercise_price: '0.5',
        grant_date: '2024-01-01',
        ...body,
      });
    const table = () => company.table('?basis=fully_diluted');
    return { ...company, grant, table };
  }

  it('grants in a class of its own choosing: no pool taken, counted fully diluted, exercised into the class, the rest retired', async () => {
    const c = await givenCompanyWithPlan('Plan-less Ltd');
    const before = await c.table();
    const created = await c.grant({ share_class_id: c.common.id, quantity: 800 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      stock_plan_id: null,
      share_class_id: c.common.id,
      quantity: 800,
      outstanding: 800,
    });
    const id = created.body.id as string;

    // The pool is untouched; the grantee's 800 options count, and the fully diluted total grows by them.
    const plan = await api.get(c.at(`/stock-plans/${c.plan.id as string}`));
    expect(plan.body).toMatchObject({ granted: 0, available: 5_000 });
    const diluted = await c.table();
    expect(diluted.pool?.available_shares).toBe(5_000);
    expect(c.rowOf(diluted, c.grantee.id as string)?.options_and_rsus).toBe(800);
    expect(diluted.totals.fully_diluted_shares).toBe(before.totals.fully_diluted_shares! + 800);

    // Vested at grant (no schedule): 300 exercised become 300 shares of the class.
    const exercised = await api.post(c.at(`/grants/${id}/exercises`), {
      date: '2024-06-01',
      quantity: 300,
    });
    expect(exercised.status).toBe(201);
    expect(exercised.body.transaction).toMatchObject({ kind: 'EXERCISE', total_amount: '150' });
    const issuance = await api.get(
      c.at(`/issuances/${exercised.body.transaction.resulting_security_id as string}`),
    );
    expect(issuance.body).toMatchObject({
      shareholder_id: c.grantee.id,
      share_class_id: c.common.id,
      number_of_shares: 300,
    });
    const after = await c.table();
    expect(c.rowOf(after, c.grantee.id as string)).toMatchObject({
      total_shares: 300,
      options_and_rsus: 500,
    });
    expect(after.totals.fully_diluted_shares).toBe(diluted.totals.fully_diluted_shares);

    // Cancelled, the rest is retired: no pool to return it to.
    const cancelled = await api.post(c.at(`/grants/${id}/cancellations`), {
      date: '2024-07-01',
      reason: 'left',
    });
    expect(cancelled.status).toBe(201);
    expect(cancelled.body.transaction).toMatchObject({ quantity: 500, returned_to_pool: 0 });
    const end = await c.table();
    expect(end.pool?.available_shares).toBe(5_000);
    expect(end.totals.fully_diluted_shares).toBe(after.totals.fully_diluted_shares! - 500);
  });

  it('refuses a grant with neither plan nor class, with both, or in a class it cannot see, naming the field and writing nothing', async () => {
    const c = await givenCompanyWithPlan('Refusals Ltd');
    const other = await givenCompanyWithPlan('Other Ltd');
    const grants = () => count('SELECT 1 FROM equity_grant WHERE company_id = $1', [c.id]);
    const cases: Array<[string, object, number, string]> = [
      ['neither', { quantity: 10 }, 400, 'stock_plan_id'],
      [
        'both',
        { quantity: 10, stock_plan_id: c.plan.id, share_class_id: c.common.id },
        400,
        'share_class_id',
      ],
      [
        "another company's class",
        { quantity: 10, share_class_id: other.common.id },
        404,
        'share_class_id',
      ],
      [
        'no such class',
        { quantity: 10, share_class_id: '00000000-0000-4000-8000-00000000dead' },
        404,
        'share_class_id',
      ],
    ];
    for (const [label, body, status, field] of cases) {
      const response = await c.grant(body);
      expect({ label, status: response.status }).toEqual({ label, status });
      expect({ label, fields: JSON.stringify(response.body.errors ?? response.body) }).toEqual({
        label,
        fields: expect.stringContaining(field),
      });
    }
    expect(await grants()).toBe(0);
  });

  it('lets exactly 3 of 10 concurrent exercises through when 300 are vested, totals exact', async () => {
    const c = await givenCompanyWithPlan('Concurrent Plan-less Ltd');
    const created = await c.grant({
      share_class_id: c.common.id,
      quantity: 1000,
      vesting: [
        { date: '2024-01-01', quantity: 300 },
        { date: '2099-01-01', quantity: 700 },
      ],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        api.post(c.at(`/grants/${id}/exercises`), { date: '2024-06-01', quantity: 100 }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([
      ...Array(3).fill(201),
      ...Array(7).fill(422),
    ]);
    expect((await api.get(c.at(`/grants/${id}`))).body).toMatchObject({
      exercised: 300,
      outstanding: 700,
    });
    const { rows } = await db().query<{ shares: string }>(
      `SELECT coalesce(sum(number_of_shares), 0)::text AS shares FROM issuance
        WHERE company_id = $1 AND shareholder_id = $2`,
      [c.id, c.grantee.id],
    );
    expect(rows[0].shares).toBe('300');
  });

  it('exports a grant outside any plan as OCF does (no stock_plan_id, its stock_class_id), and imports it back so', async () => {
    const c = await givenCompanyWithPlan('Round Trip Plan-less Ltd');
    const created = await c.grant({ share_class_id: c.common.id, quantity: 400 });
    expect(created.status).toBe(201);
    await settled(c.id);
    const files = await exportPackage(api, c.at('').replace(/\/$/, ''));
    expect(packageFindings(files)).toEqual([]);
    const item = parsed(files, 'Transactions.ocf.json').items.find(
      (t) => t.object_type === 'TX_EQUITY_COMPENSATION_ISSUANCE',
    );
    expect(item).toMatchObject({ security_id: created.body.id, stock_class_id: c.common.id });
    expect(item).not.toHaveProperty('stock_plan_id');

    const zip = await download(api, `${c.at('/ocf/export')}`);
    const imported = await postPackage(api, '/api/ocf/import', zip.body as Buffer);
    if (imported.status !== 201) throw new Error(JSON.stringify(imported.body, null, 1));
    const copy = `/api/companies/${imported.body.company_id as string}`;
    const grants = (await api.get(`${copy}/grants/`)).body as Array<Record<string, unknown>>;
    const classes = (await api.get(`${copy}/share-classes/`)).body as Array<{ id: string }>;
    expect(grants).toEqual([
      expect.objectContaining({
        ocf_id: created.body.id,
        stock_plan_id: null,
        share_class_id: classes[0].id,
        quantity: 400,
      }),
    ]);
  });
});
