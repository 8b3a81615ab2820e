import {
  Api,
  givenCompany,
  givenShareClass,
  givenShareholder,
  givenShareholderOneRecord,
  unique,
} from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb } from '../support/db';
import { ledgerHelpers } from '../support/ledger';
import { waitForCertificate } from '../support/pdf';

interface Plan {
  id: string;
  granted: number;
  outstanding: number;
  exercised: number;
  returned: number;
  available: number;
  shares_reserved: number;
}

describe('equity plans: plans, vesting terms, grants, exercises', () => {
  let testApp: TestApp;
  let api: Api;

  const created = async (path: string, body: object) => {
    const response = await api.post(path, body);
    if (response.status !== 201)
      throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  async function givenPlan(reserved = 100_000, behavior = 'RETURN_TO_POOL') {
    const shareClass = await givenShareClass(api, { authorized_shares: 10_000_000 });
    const plan = await created('/api/stock-plans/', {
      name: unique('Plan'),
      share_class_id: shareClass.id,
      initial_shares_reserved: reserved,
      default_cancellation_behavior: behavior,
    });
    return { shareClass, plan: plan as Plan };
  }

  const standardTerms = () =>
    created('/api/vesting-terms/', {
      name: unique('4y/1y'),
      total_months: 48,
      cliff_months: 12,
      frequency_months: 1,
      allocation_type: 'CUMULATIVE_ROUNDING',
    });

  const plan = async (id: string, asOf?: string): Promise<Plan> =>
    (await api.get(`/api/stock-plans/${id}${asOf ? `?as_of=${asOf}` : ''}`)).body as Plan;

  beforeAll(async () => {
    testApp = await startApp();
    api = new Api(testApp);
    await givenCompany(api);
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  it('takes a grant from plan to vesting to exercise to a stock certificate, and forfeits at termination', async () => {
    const { shareClass, plan: created0 } = await givenPlan(10_000);
    const terms = await standardTerms();
    expect(terms.vesting_conditions.map((c: { id: string }) => c.id)).toEqual([
      'vesting-start',
      'cliff',
      'installments',
    ]);
    const holder = await givenShareholder(api);
    const grant = await created('/api/grants/', {
      shareholder_id: holder.id,
      stock_plan_id: created0.id,
      compensation_type: 'OPTION_ISO',
      quantity: 4800,
      exercise_price: '0.5',
      grant_date: '2024-01-01',
      vesting_terms_id: terms.id,
      vesting_start_date: '2024-01-01',
      expiration_date: '2033-12-31',
      termination_exercise_days: 90,
    });
    expect(grant).toMatchObject({
      quantity: 4800,
      outstanding: 4800,
      status: 'OUTSTANDING',
      currency: 'EUR',
    });

    const vesting = async (asOf: string) =>
      (await api.get(`/api/grants/${grant.id as string}/vesting?as_of=${asOf}`)).body;
    expect(await vesting('2024-12-31')).toMatchObject({
      vested: 0,
      unvested: 4800,
      exercisable: 0,
    });
    const atCliff = await vesting('2025-01-01');
    expect(atCliff).toMatchObject({ vested: 1200, exercisable: 1200 });
    expect(atCliff.schedule).toHaveLength(37);
    expect(atCliff.schedule[0]).toEqual({ date: '2025-01-01', quantity: 1200, cumulative: 1200 });
    expect(atCliff.schedule.at(-1)).toEqual({
      date: '2028-01-01',
      quantity: 100,
      cumulative: 4800,
    });
    expect(await vesting('2025-06-15')).toMatchObject({ vested: 1700, exercisable: 1700 });

    const exercise = await api.post(`/api/grants/${grant.id as string}/exercises`, {
      date: '2025-06-15',
      quantity: 1000,
    });
    expect(exercise.status).toBe(201);
    expect(exercise.body.transaction).toMatchObject({
      kind: 'EXERCISE',
      quantity: 1000,
      total_amount: '500',
      unvested_quantity: null,
    });
    expect(exercise.body.grant).toMatchObject({ exercised: 1000, outstanding: 3800 });
    const securityId = exercise.body.transaction.resulting_security_id as string;
    const security = await api.get(`/api/issuances/${securityId}`);
    expect(security.body).toMatchObject({
      shareholder_id: holder.id,
      share_class_id: shareClass.id,
      number_of_shares: 1000,
      price: '0.5',
      total_amount: '500',
      date: '2025-06-15',
    });
    await waitForCertificate(securityId, 30_000); // the first render may start Chromium

    const tooMany = await api.post(`/api/grants/${grant.id as string}/exercises`, {
      date: '2025-06-15',
      quantity: 701,
    });
    expect([tooMany.status, tooMany.body.code, tooMany.body.errors[0].field]).toEqual([
      422,
      'QUANTITY_EXCEEDS_EXERCISABLE',
      'quantity',
    ]);
    expect(await plan(created0.id, '2025-06-15')).toMatchObject({
      granted: 4800,
      exercised: 1000,
      outstanding: 3800,
      available: 10_000 - 4800,
    });

    // Service ends on 30 June 2025: 1,700 vested (1,000 exercised), 3,100 forfeited to the pool.
    const termination = await api.post(`/api/grants/${grant.id as string}/terminations`, {
      date: '2025-06-30',
    });
    expect(termination.status).toBe(201);
    expect(termination.body.transaction).toMatchObject({
      kind: 'TERMINATION',
      quantity: 3100,
      returned_to_pool: 3100,
    });
    // Its 90 days closed on 28 September 2025, long since: the 700 vested left expire with it.
    expect(termination.body.grant).toMatchObject({
      cancelled: 3100 + 700,
      outstanding: 0,
      terminated_on: '2025-06-30',
      expired_on: '2025-09-29',
      status: 'EXPIRED',
    });
    expect(await vesting('2025-09-28')).toMatchObject({
      vested: 1700,
      exercisable: 700,
      expires_on: '2025-09-28',
    });
    const late = await api.post(`/api/grants/${grant.id as string}/exercises`, {
      date: '2025-09-29',
      quantity: 100,
    });
    expect([late.status, late.body.code]).toEqual([409, 'GRANT_NOT_EXERCISABLE']);
    // The 700 that expired on 29 September went back to the pool too.
    expect(await plan(created0.id)).toMatchObject({
      returned: 3100 + 700,
      outstanding: 0,
      available: 10_000 - 4800 + 3100 + 700,
    });
    expect(await plan(created0.id, '2025-09-28')).toMatchObject({
      returned: 3100,
      outstanding: 700,
    });
  });

  it('lets an early exercise take unvested shares, marked as such', async () => {
    const { plan: p } = await givenPlan();
    const terms = await standardTerms();
    const holder = await givenShareholder(api);
    const grant = await created('/api/grants/', {
      shareholder_id: holder.id,
      stock_plan_id: p.id,
      compensation_type: 'OPTION_NSO',
      quantity: 4800,
      exercise_price: '0.1234567891',
      grant_date: '2024-01-01',
      vesting_terms_id: terms.id,
      vesting_start_date: '2024-01-01',
      early_exercise: true,
    });
    const exercise = await created(`/api/grants/${grant.id as string}/exercises`, {
      date: '2024-03-01',
      quantity: 3,
    });
    expect(exercise.transaction).toMatchObject({
      unvested_quantity: 3,
      total_amount: '0.3703703673',
    });
  });

  it('releases vested RSUs, records vesting events, and refuses what a grant cannot do', async () => {
    const { plan: p } = await givenPlan();
    const holder = await givenShareholder(api);
    const eventTerms = await created('/api/vesting-terms/', {
      name: unique('On sale'),
      description: 'All vests when the company is sold',
      allocation_type: 'CUMULATIVE_ROUND_DOWN',
      vesting_conditions: [
        {
          id: 'qualifying-sale',
          portion: { numerator: '1', denominator: '1' },
          trigger: { type: 'VESTING_EVENT' },
          next_condition_ids: [],
        },
      ],
    });
    const rsu = await created('/api/grants/', {
      shareholder_id: holder.id,
      stock_plan_id: p.id,
      compensation_type: 'RSU',
      quantity: 500,
      grant_date: '2024-01-01',
      vesting_terms_id: eventTerms.id,
      vesting_start_date: '2024-01-01',
    });
    const early = await api.post(`/api/grants/${rsu.id as string}/releases`, {
      date: '2024-06-01',
      quantity: 1,
    });
    expect([early.status, early.body.code]).toEqual([422, 'QUANTITY_EXCEEDS_EXERCISABLE']);
    const wrongCondition = await api.post(`/api/grants/${rsu.id as string}/vesting-events`, {
      date: '2024-06-01',
      condition_id: 'nope',
    });
    expect([wrongCondition.status, wrongCondition.body.errors[0].field]).toEqual([
      400,
      'condition_id',
    ]);
    await created(`/api/grants/${rsu.id as string}/vesting-events`, {
      date: '2024-06-01',
      condition_id: 'qualifying-sale',
    });
    const released = await created(`/api/grants/${rsu.id as string}/releases`, {
      date: '2024-06-02',
      quantity: 500,
    });
    expect(released.transaction).toMatchObject({
      kind: 'RELEASE',
      quantity: 500,
      total_amount: null,
    });
    expect(released.grant).toMatchObject({ released: 500, outstanding: 0, status: 'EXERCISED' });
    const notAnOption = await api.post(`/api/grants/${rsu.id as string}/exercises`, {
      date: '2024-06-02',
      quantity: 1,
    });
    expect([notAnOption.status, notAnOption.body.code]).toEqual([409, 'GRANT_NOT_EXERCISABLE']);

    const cases: Array<[object, number, string]> = [
      [{ stock_plan_id: '00000000-0000-4000-8000-000000000000' }, 404, 'stock_plan_id'],
      [{ compensation_type: 'RSU', exercise_price: '1' }, 400, 'exercise_price'],
      [{ exercise_price: undefined }, 400, 'exercise_price'],
      [{ quantity: 0 }, 400, 'quantity'],
      [{ vesting_start_date: '2024-01-01' }, 400, 'vesting_terms_id'],
      [{ shareholder_id: '00000000-0000-4000-8000-000000000000' }, 404, 'shareholder_id'],
    ];
    for (const [change, status, field] of cases) {
      const response = await api.post('/api/grants/', {
        shareholder_id: holder.id,
        stock_plan_id: p.id,
        compensation_type: 'OPTION_ISO',
        quantity: 10,
        exercise_price: '1',
        grant_date: '2024-01-01',
        ...change,
      });
      expect([JSON.stringify(change), response.status, response.body.errors?.[0]?.field]).toEqual([
        JSON.stringify(change),
        status,
        field,
      ]);
    }
    const badTerms = await api.post('/api/vesting-terms/', {
      name: 'Bad',
      description: 'x',
      allocation_type: 'CUMULATIVE_ROUNDING',
      vesting_conditions: [{ id: 'a', trigger: { type: 'SOMETIME' }, next_condition_ids: [] }],
    });
    expect(badTerms.status).toBe(400);
    expect(badTerms.body.errors[0].field).toMatch(/^vesting_conditions\.0/);
    expect((await plan(p.id)).granted).toBe(500);
  });

  it('lets exactly as many of 20 concurrent grants through as the pool has left', async () => {
    const { plan: p } = await givenPlan(1000);
    const holder = await givenShareholder(api);
    const grant = (quantity: number) =>
      api.post('/api/grants/', {
        shareholder_id: holder.id,
        stock_plan_id: p.id,
        compensation_type: 'OPTION_ISO',
        quantity,
        exercise_price: '1',
        grant_date: '2024-01-01',
      });
    expect((await grant(500)).status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 20 }, () => grant(100)));
    expect(answers.map((a) => a.status).sort()).toEqual([
      ...Array(5).fill(201),
      ...Array(15).fill(409),
    ]);
    for (const answer of answers.filter((a) => a.status === 409))
      expect(answer.body.code).toBe('POOL_EXHAUSTED');
    expect(await plan(p.id)).toMatchObject({ granted: 1000, available: 0 });
  });

  it('checks a backdated grant against the pool of its own date, before a later increase', async () => {
    const { plan: p } = await givenPlan(1000);
    const holder = await givenShareholder(api);
    await created(`/api/stock-plans/${p.id}/pool-adjustments`, {
      date: '2024-06-01',
      shares_reserved: 2000,
    });
    const grant = (date: string) =>
      api.post('/api/grants/', {
        shareholder_id: holder.id,
        stock_plan_id: p.id,
        compensation_type: 'OPTION_ISO',
        quantity: 1500,
        exercise_price: '1',
        grant_date: date,
      });
    const early = await grant('2024-03-01');
    expect([early.status, early.body.code, early.body.errors[0].field]).toEqual([
      409,
      'POOL_EXHAUSTED',
      'quantity',
    ]);
    expect((await grant('2024-07-01')).status).toBe(201);
    expect(await plan(p.id, '2024-03-01')).toMatchObject({ shares_reserved: 1000, granted: 0 });
  });

  it('shows a holder their own grants and vesting, and nothing of anyone else', async () => {
    const { plan: p } = await givenPlan();
    const own = await givenShareholderOneRecord(api);
    const other = await givenShareholder(api);
    const body = {
      stock_plan_id: p.id,
      compensation_type: 'OPTION_ISO',
      quantity: 10,
      exercise_price: '1',
      grant_date: '2024-01-01',
    };
    const mine = await created('/api/grants/', { ...body, shareholder_id: own.id });
    const theirs = await created('/api/grants/', { ...body, shareholder_id: other.id });
    const listed = await api.get('/api/grants/', 'shareholder1');
    expect(listed.status).toBe(200);
    const ids = (listed.body as Array<{ id: string; shareholder_id: string }>).map(
      (g) => g.shareholder_id,
    );
    expect(new Set(ids)).toEqual(new Set([own.id]));
    expect(
      (await api.get(`/api/grants/${mine.id as string}/vesting`, 'shareholder1')).body,
    ).toMatchObject({ vested: 10 });
    expect((await api.get(`/api/grants/${theirs.id as string}`, 'shareholder1')).status).toBe(403);
    expect(
      (await api.get(`/api/grants/${theirs.id as string}/vesting`, 'shareholder2')).status,
    ).toBe(403);
    expect(
      (await api.post('/api/grants/', { ...body, shareholder_id: own.id }, 'shareholder1')).status,
    ).toBe(403);
  });

  it('adds grants and the pools to the fully diluted cap table, which moves exactly on an exercise', async () => {
    const { at, post } = await ledgerHelpers(api).inNewCompany('Diluted Ltd');
    const common = await post('/share-classes/', {
      name: 'Common',
      type: 'COMMON',
      authorized_shares: 100_000,
      par_value: '0.01',
      votes_per_share: 1,
      certificate_prefix: 'DC',
    });
    const [a, b] = await Promise.all(
      ['A', 'B'].map((n) =>
        post('/shareholders/', {
          name: `Holder ${n}`,
          email: `${unique(n).toLowerCase()}@example.com`,
        }),
      ),
    );
    await post('/issuances/', {
      shareholder_id: a.id,
      share_class_id: common.id,
      number_of_shares: 1000,
      price: '1',
      date: '2024-01-01',
    });
    const p = await post('/stock-plans/', {
      name: 'Plan',
      share_class_id: common.id,
      initial_shares_reserved: 2000,
      default_cancellation_behavior: 'RETURN_TO_POOL',
    });
    const option = await post('/grants/', {
      shareholder_id: a.id,
      stock_plan_id: p.id,
      compensation_type: 'OPTION_NSO',
      quantity: 300,
      exercise_price: '2',
      grant_date: '2024-02-01',
    });
    await post('/grants/', {
      shareholder_id: b.id,
      stock_plan_id: p.id,
      compensation_type: 'RSU',
      quantity: 200,
      grant_date: '2024-02-01',
    });

    const table = async (query = '') =>
      (await api.get(at(`/cap-table?basis=fully_diluted${query}`))).body;
    const before = await table('&as_of=2024-06-30');
    expect(before.basis).toBe('fully_diluted');
    const rowOf = (body: { holders: Array<{ shareholder_id: string }> }, id: string) =>
      body.holders.find((h) => h.shareholder_id === id);
    expect(rowOf(before, a.id)).toMatchObject({
      total_shares: 1000,
      options_and_rsus: 300,
      fully_diluted_shares: 1300,
      fully_diluted_pct: '43.3333',
    });
    expect(rowOf(before, b.id)).toMatchObject({
      total_shares: 0,
      holdings: [],
      options_and_rsus: 200,
      fully_diluted_shares: 200,
      fully_diluted_pct: '6.6667',
    });
    expect(before.pool).toMatchObject({ available_shares: 1500, fully_diluted_pct: '50.0000' });
    expect(before.totals).toMatchObject({
      issued_shares: 1000,
      options_and_rsus: 500,
      fully_diluted_shares: 3000,
    });
    expect((await table('&as_of=2024-01-15')).totals).toMatchObject({
      options_and_rsus: 0,
      fully_diluted_shares: 3000,
    });

    const exercise = await api.post(at(`/grants/${option.id as string}/exercises`), {
      date: '2024-07-01',
      quantity: 100,
    });
    expect(exercise.status).toBe(201);
    const after = await table();
    expect(rowOf(after, a.id)).toMatchObject({
      total_shares: 1100,
      options_and_rsus: 200,
      fully_diluted_shares: 1300,
    });
    expect(after.totals).toMatchObject({ issued_shares: 1100, fully_diluted_shares: 3000 });
    const outstanding = (await api.get(at('/cap-table'))).body;
    expect(outstanding.basis).toBeUndefined();
    expect(outstanding.holders).toHaveLength(1);
    const csv = await api.get(at('/cap-table?basis=fully_diluted&format=csv'));
    expect(csv.text).toContain('fully_diluted_pct');
    expect(csv.text).toContain('Available in stock plans');
  });
});
