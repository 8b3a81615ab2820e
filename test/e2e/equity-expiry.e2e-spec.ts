import { GrantExpiryScheduler } from '../../src/equity-plans/grant-expiry.scheduler';
import { GrantExpiryService } from '../../src/equity-plans/grant-expiry.service';
import {
  Api,
  givenCompany,
  givenShareClass,
  givenShareholder,
  givenShareholderOneRecord,
  unique,
} from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, count, db } from '../support/db';
import { ledgerHelpers } from '../support/ledger';
import { eventually } from '../support/wait';

interface Plan {
  id: string;
  granted: number;
  outstanding: number;
  exercised: number;
  returned: number;
  available: number;
}

interface AuditEntry {
  action: string;
  actor: { name: string; sub: string };
  after: { status?: string } | null;
}

/**
 * A grant's own vesting tranches, and expirations recorded: by the sweep and by any read or write
 * of the grant, once, with the rest back in the pool or retired per the plan.
 */
describe('equity plans: own vesting tranches, and expiry', () => {
  let testApp: TestApp;
  let api: Api;

  const created = async (path: string, body: object) => {
    const response = await api.post(path, body);
    if (response.status !== 201)
      throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  async function givenPlan(behavior = 'RETURN_TO_POOL', reserved = 10_000): Promise<Plan> {
    const shareClass = await givenShareClass(api, { authorized_shares: 10_000_000 });
    return (await created('/api/stock-plans/', {
      name: unique('Plan'),
      share_class_id: shareClass.id,
      initial_shares_reserved: reserved,
      default_cancellation_behavior: behavior,
    })) as Plan;
  }

  const plan = async (id: string, asOf?: string): Promise<Plan> =>
    (await api.get(`/api/stock-plans/${id}${asOf ? `?as_of=${asOf}` : ''}`)).body as Plan;

  /** An option granted in 2020 that expired at the end of 2024, nobody having looked at it since. */
  const expiredOption = async (planId: string, holderId: string, quantity = 1000) =>
    created('/api/grants/', {
      shareholder_id: holderId,
      stock_plan_id: planId,
      compensation_type: 'OPTION_NSO',
      quantity,
      exercise_price: '1',
      grant_date: '2020-01-01',
      expiration_date: '2024-12-31',
    });

  const grantBody = (planId: string, holderId: string) => ({
    shareholder_id: holderId,
    stock_plan_id: planId,
    compensation_type: 'OPTION_ISO',
    quantity: 1000,
    exercise_price: '2',
    grant_date: '2024-01-01',
  });

  const expirations = (grantId: string) =>
    db().query<{ date: string; quantity: string; returned_to_pool: string; created_by: string }>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, quantity::text, returned_to_pool::text, created_by
         FROM equity_grant_transaction WHERE grant_id = $1 AND kind = 'EXPIRATION'`,
      [grantId],
    );

  const auditOf = async (grantId: string): Promise<AuditEntry[]> =>
    (
      await api.get(
        `/api/audit/?limit=500&action=grant.transaction_recorded&entity_id=${grantId}`,
        'auditor',
      )
    ).body.items as AuditEntry[];

  const sweep = () => testApp.app.get(GrantExpiryService).sweep();

  beforeAll(async () => {
    testApp = await startApp();
    api = new Api(testApp);
    await givenCompany(api);
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  it('vests a grant on its own tranches: schedule, exercise and termination follow them', async () => {
    const p = await givenPlan();
    const holder = await givenShareholder(api);
    const vesting = [
      { date: '2024-01-01', quantity: 100 },
      { date: '2025-01-01', quantity: 300 },
      { date: '2026-01-01', quantity: 600 },
    ];
    const grant = await created('/api/grants/', { ...grantBody(p.id, holder.id), vesting });
    expect(grant).toMatchObject({ vesting, vesting_terms_id: null, status: 'OUTSTANDING' });
    const id = grant.id as string;
    const shown = (await api.get(`/api/grants/${id}/vesting?as_of=2025-06-30`)).body;
    expect(shown).toMatchObject({ vested: 400, unvested: 600, exercisable: 400 });
    expect(shown.schedule).toEqual([
      { date: '2024-01-01', quantity: 100, cumulative: 100 },
      { date: '2025-01-01', quantity: 300, cumulative: 400 },
      { date: '2026-01-01', quantity: 600, cumulative: 1000 },
    ]);
    expect((await api.get(`/api/grants/${id}`)).body.vesting).toEqual(vesting);
    const own = await created('/api/grants/', {
      ...grantBody(p.id, (await givenShareholderOneRecord(api)).id),
      vesting,
    });
    const holderView = await api.get(
      `/api/grants/${own.id as string}/vesting?as_of=2025-06-30`,
      'shareholder1',
    );
    expect(holderView.body).toEqual({ ...shown, grant_id: own.id });

    const tooMany = await api.post(`/api/grants/${id}/exercises`, {
      date: '2025-06-30',
      quantity: 401,
    });
    expect([tooMany.status, tooMany.body.code, tooMany.body.errors[0].field]).toEqual([
      422,
      'QUANTITY_EXCEEDS_EXERCISABLE',
      'quantity',
    ]);
    const exercise = await created(`/api/grants/${id}/exercises`, {
      date: '2025-06-30',
      quantity: 400,
    });
    expect(exercise.transaction).toMatchObject({ kind: 'EXERCISE', total_amount: '800' });

    // Service ends on 31 October 2025: the 2026 tranche is forfeited; nothing vested is left.
    const termination = await created(`/api/grants/${id}/terminations`, { date: '2025-10-31' });
    expect(termination.transaction).toMatchObject({ quantity: 600, returned_to_pool: 600 });
    expect(termination.grant).toMatchObject({ outstanding: 0, status: 'EXERCISED' });
    expect((await expirations(id)).rows).toEqual([]);
  });

  it('refuses bad tranches naming the field, and writes nothing', async () => {
    const p = await givenPlan();
    const holder = await givenShareholder(api);
    const terms = await created('/api/vesting-terms/', {
      name: unique('4y/1y'),
      total_months: 48,
      cliff_months: 12,
      frequency_months: 1,
      allocation_type: 'CUMULATIVE_ROUNDING',
    });
    const cases: Array<[object, string]> = [
      [{ vesting: [{ date: '2024-06-01', quantity: 99 }] }, 'vesting'],
      [
        {
          vesting: [
            { date: '2023-12-31', quantity: 50 },
            { date: '2024-06-01', quantity: 50 },
          ],
        },
        'vesting.0.date',
      ],
      [
        {
          vesting: [
            { date: '2024-06-01', quantity: 50 },
            { date: '2024-06-01', quantity: 50 },
          ],
        },
        'vesting.1.date',
      ],
      [{ vesting: [{ date: '2024-06-01', quantity: 0 }] }, 'vesting.0.quantity'],
      [{ vesting: [{ date: '2024-06-01', quantity: '100' }] }, 'vesting.0.quantity'],
      [{ vesting: [{ date: '1 June 2024', quantity: 100 }] }, 'vesting.0.date'],
      [{ vesting: [] }, 'vesting'],
      [
        {
          vesting: [{ date: '2024-06-01', quantity: 100 }],
          vesting_terms_id: terms.id,
          vesting_start_date: '2024-01-01',
        },
        'vesting',
      ],
    ];
    for (const [change, field] of cases) {
      const response = await api.post('/api/grants/', {
        shareholder_id: holder.id,
        stock_plan_id: p.id,
        compensation_type: 'OPTION_ISO',
        quantity: 100,
        exercise_price: '1',
        grant_date: '2024-01-01',
        ...change,
      });
      expect([JSON.stringify(change), response.status, response.body.code]).toEqual([
        JSON.stringify(change),
        400,
        'VALIDATION_FAILED',
      ]);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.errors[0].field).toBe(field);
    }
    expect(await plan(p.id)).toMatchObject({ granted: 0, available: 10_000 });
    expect(await count('SELECT 1 FROM equity_grant WHERE stock_plan_id = $1', [p.id])).toBe(0);
  });

  it.each([
    ['RETURN_TO_POOL', 1000],
    ['RETIRE', 0],
  ])(
    'records an expired option once (%s): not exercisable, its rest returned or retired, audited',
    async (behavior, back) => {
      const p = await givenPlan(behavior);
      const holder = await givenShareholder(api);
      const grant = await expiredOption(p.id, holder.id);
      const id = grant.id as string;
      // Before anything recorded it, the figures already count it as expired from 1 January 2025.
      const before = await plan(p.id);
      expect(before).toMatchObject({ granted: 1000, outstanding: 0, returned: back });
      expect(before.available).toBe(9000 + back);
      expect(await plan(p.id, '2024-12-31')).toMatchObject({ outstanding: 1000, returned: 0 });
      expect((await expirations(id)).rows).toEqual([]);

      const late = await api.post(`/api/grants/${id}/exercises`, {
        date: '2024-06-01',
        quantity: 10,
      });
      expect([late.status, late.body.code]).toEqual([409, 'GRANT_NOT_EXERCISABLE']);
      expect(late.headers['content-type']).toMatch(/^application\/problem\+json/);
      const cancel = await api.post(`/api/grants/${id}/cancellations`, {
        date: '2024-06-01',
        reason: 'too late',
      });
      expect(cancel.status).toBe(409);

      expect((await expirations(id)).rows).toEqual([
        {
          date: '2025-01-01',
          quantity: '1000',
          returned_to_pool: String(back),
          created_by: 'grant expiry',
        },
      ]);
      expect((await api.get(`/api/grants/${id}`)).body).toMatchObject({
        status: 'EXPIRED',
        expired_on: '2025-01-01',
        cancelled: 1000,
        outstanding: 0,
        exercised: 0,
      });
      expect(await plan(p.id)).toEqual(before);
      expect(await count('SELECT 1 FROM issuance WHERE shareholder_id = $1', [holder.id])).toBe(0);
      const { rows } = await db().query<{ committed: string }>(
        'SELECT committed_shares::text AS committed FROM stock_plan WHERE id = $1',
        [p.id],
      );
      expect(rows[0]?.committed).toBe(String(1000 - back));

      const entries = await eventually(async () => {
        const found = await auditOf(id);
        return found.length === 1 ? found : undefined;
      });
      expect(entries[0]).toMatchObject({
        actor: { name: 'grant expiry', sub: 'system:grant-expiry' },
        after: { status: 'EXPIRED' },
      });
      await sweep();
      expect((await expirations(id)).rows).toHaveLength(1);
    },
  );

  it('expires the vested rest when a termination’s window has passed', async () => {
    const p = await givenPlan();
    const holder = await givenShareholder(api);
    const grant = await created('/api/grants/', {
      shareholder_id: holder.id,
      stock_plan_id: p.id,
      compensation_type: 'OPTION_ISO',
      quantity: 1000,
      exercise_price: '1',
      grant_date: '2024-01-01',
      vesting: [
        { date: '2024-01-01', quantity: 400 },
        { date: '2026-01-01', quantity: 600 },
      ],
      termination_exercise_days: 30,
    });
    const id = grant.id as string;
    const termination = await created(`/api/grants/${id}/terminations`, { date: '2025-06-30' });
    expect(termination.transaction).toMatchObject({
      kind: 'TERMINATION',
      quantity: 600,
      returned_to_pool: 600,
    });
    expect(termination.grant).toMatchObject({
      status: 'EXPIRED',
      expired_on: '2025-07-31',
      cancelled: 1000,
      outstanding: 0,
    });
    expect((await expirations(id)).rows).toEqual([
      { date: '2025-07-31', quantity: '400', returned_to_pool: '400', created_by: 'grant expiry' },
    ]);
    expect(await plan(p.id, '2025-07-30')).toMatchObject({ outstanding: 400, returned: 600 });
    expect(await plan(p.id)).toMatchObject({ outstanding: 0, returned: 1000, available: 10_000 });
    const vesting = (await api.get(`/api/grants/${id}/vesting?as_of=2025-07-30`)).body;
    expect(vesting).toMatchObject({ vested: 400, exercisable: 400, expires_on: '2025-07-30' });
    expect((await api.get(`/api/grants/${id}/vesting`)).body.exercisable).toBe(0);
  });

  it('records each expiration exactly once under concurrent sweeps and reads', async () => {
    const p = await givenPlan();
    const holders = await Promise.all([1, 2, 3].map(() => givenShareholder(api)));
    const grants = await Promise.all(holders.map((h) => expiredOption(p.id, h.id, 500)));
    const ids = grants.map((g) => g.id as string);
    const before = await plan(p.id);
    expect(before).toMatchObject({ granted: 1500, returned: 1500, available: 10_000 });
    const scheduler = testApp.app.get(GrantExpiryScheduler);
    const expiry = testApp.app.get(GrantExpiryService);

    const reads = ids.flatMap((id) => [
      api.get(`/api/grants/${id}`),
      api.get(`/api/grants/${id}/vesting`),
      api.get(`/api/grants/${id}`, 'auditor'),
    ]);
    const answers = await Promise.all([
      ...reads,
      api.get(`/api/grants/?stock_plan_id=${p.id}`),
      // Recorders that answer their errors (the sweep logs a company's and goes on).
      ...[1, 2, 3, 4].map(() =>
        testApp.inDefaultCompany(() => expiry.settleDue({ stockPlanId: p.id })),
      ),
      sweep(),
      scheduler.round(), // its first round ran at boot and only waited: this one sweeps
      api.post(`/api/grants/${ids[0]}/exercises`, { date: '2024-01-01', quantity: 1 }),
    ]);
    for (const answer of answers.slice(0, reads.length + 1))
      expect((answer as { status: number }).status).toBe(200);
    for (const id of ids) expect((await expirations(id)).rows).toHaveLength(1);
    expect(
      await count(
        `SELECT 1 FROM equity_grant_transaction t JOIN equity_grant g ON g.id = t.grant_id
          WHERE g.stock_plan_id = $1 AND t.kind = 'EXPIRATION'`,
        [p.id],
      ),
    ).toBe(3);
    expect(await plan(p.id)).toEqual(before);
    // The backstop, were the locks ever bypassed: a second expiration of a grant cannot be stored.
    await expect(
      db().query(
        `INSERT INTO equity_grant_transaction (company_id, id, grant_id, kind, date, quantity, created_by_sub, created_by)
         SELECT company_id, gen_random_uuid(), id, 'EXPIRATION', expired_on, 0, 'test', 'test'
           FROM equity_grant WHERE id = $1`,
        [ids[0]],
      ),
    ).rejects.toMatchObject({ code: '23505' });
    const listed = (await api.get(`/api/grants/?stock_plan_id=${p.id}`)).body as Array<{
      status: string;
    }>;
    expect(listed.map((g) => g.status)).toEqual(['EXPIRED', 'EXPIRED', 'EXPIRED']);
    for (const id of ids)
      await eventually(async () => ((await auditOf(id)).length === 1 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const id of ids) expect(await auditOf(id)).toHaveLength(1);
  });

  it('gives the fully diluted pool row the same figures before and after the sweep', async () => {
    const { at, post } = await ledgerHelpers(api).inNewCompany(unique('Expiring Ltd'));
    const common = await post('/share-classes/', {
      name: 'Common',
      type: 'COMMON',
      authorized_shares: 100_000,
      par_value: '0.01',
      votes_per_share: 1,
      certificate_prefix: 'EX',
    });
    const holder = await post('/shareholders/', {
      name: 'Holder',
      email: `${unique('x').toLowerCase()}@example.com`,
    });
    const plans = await Promise.all(
      ['RETURN_TO_POOL', 'RETIRE'].map((behavior) =>
        post('/stock-plans/', {
          name: behavior,
          share_class_id: common.id,
          initial_shares_reserved: 2000,
          default_cancellation_behavior: behavior,
        }),
      ),
    );
    for (const p of plans)
      await post('/grants/', {
        shareholder_id: holder.id,
        stock_plan_id: p.id,
        compensation_type: 'OPTION_NSO',
        quantity: 300,
        exercise_price: '1',
        grant_date: '2020-01-01',
        expiration_date: '2024-12-31',
      });
    const table = async (asOf: string) => {
      const { known_at: _knownAt, ...body } = (
        await api.get(at(`/cap-table?basis=fully_diluted&as_of=${asOf}`))
      ).body as Record<string, unknown> & { totals: object; pool: object };
      return body;
    };
    const figures = async () => [await table('2024-12-31'), await table('2025-01-01')];
    const [lastDay, expired] = await figures();
    expect(lastDay.totals).toMatchObject({ options_and_rsus: 600 });
    expect(lastDay.pool).toMatchObject({ available_shares: 1700 + 1700 });
    expect(expired.totals).toMatchObject({ options_and_rsus: 0 });
    // The returning plan has its 300 back; the retiring plan's 300 are gone for good.
    expect(expired.pool).toMatchObject({ available_shares: 2000 + 1700 });

    expect(await sweep()).toBeGreaterThanOrEqual(2);
    expect(await figures()).toEqual([lastDay, expired]);
  });
});
