import { Api, givenCompany, unique } from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, count } from '../support/db';
import { ledgerHelpers } from '../support/ledger';
import { eventually } from '../support/wait';

/**
 * Authorized shares on every date: the company's own (over all classes) and each class's, held
 * against backdated writes by the schema itself.
 */
describe('authorized shares on every date', () => {
  let testApp: TestApp;
  let api: Api;
  let helpers: ReturnType<typeof ledgerHelpers>;

  beforeAll(async () => {
    testApp = await startApp();
    api = new Api(testApp);
    helpers = ledgerHelpers(api);
    await givenCompany(api);
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  /** A company of its own with two classes and one holder. */
  async function company(name: string, classAuthorized = 100_000) {
    const { at, post } = await helpers.inNewCompany(name);
    const shareClass = (prefix: string) =>
      post('/share-classes/', {
        name: unique(prefix),
        type: 'COMMON',
        authorized_shares: classAuthorized,
        par_value: '0.01',
        votes_per_share: 1,
        certificate_prefix: prefix,
      });
    const [a, b] = [await shareClass('A'), await shareClass('B')];
    const holder = await post('/shareholders/', {
      name: 'Holder',
      email: `${unique('h').toLowerCase()}@example.com`,
    });
    const issue = (shareClassId: string, shares: number, date: string) =>
      api.post(at('/issuances/'), {
        shareholder_id: holder.id,
        share_class_id: shareClassId,
        number_of_shares: shares,
        price: '1',
        date,
      });
    const adjust = (date: string, authorized: number) =>
      api.post(at('/authorized-shares-adjustments'), { date, authorized_shares: authorized });
    return { at, post, a, b, holder, issue, adjust };
  }

  it("keeps the company's outstanding shares within its own authorized shares, dated", async () => {
    const { at, a, b, issue, adjust } = await company('Limited Ltd');
    expect((await api.get(at(''))).body.authorized_shares).toBeNull();
    const first = await adjust('2024-01-01', 1500);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      date: '2024-01-01',
      authorized_shares: 1500,
      previous_authorized_shares: null,
    });
    expect((await api.get(at(''))).body.authorized_shares).toBe(1500);

    expect((await issue(a.id, 1000, '2024-02-01')).status).toBe(201);
    const over = await issue(b.id, 600, '2024-02-01');
    expect([over.status, over.body.code]).toEqual([409, 'AUTHORIZED_SHARES_EXCEEDED']);
    expect(over.body.detail).toContain('1600');
    expect((await issue(b.id, 500, '2024-02-01')).status).toBe(201);

    const below = await adjust('2024-06-01', 1400);
    expect([below.status, below.body.code, below.body.outstanding_shares]).toEqual([
      409,
      'AUTHORIZED_BELOW_ISSUED',
      1500,
    ]);
    const early = await adjust('2023-12-31', 5000);
    expect([early.status, early.body.code]).toEqual([422, 'TRANSACTION_DATE_INVALID']);
    expect((await adjust('2024-06-01', 5000)).status).toBe(201);
    // Today 1,600 of 5,000, but in March only 1,500 were authorized.
    const backdated = await issue(a.id, 100, '2024-03-01');
    expect([backdated.status, backdated.body.code]).toEqual([409, 'AUTHORIZED_SHARES_EXCEEDED']);
    expect((await issue(a.id, 100, '2024-07-01')).status).toBe(201);

    // Once the new securities' certificates are rendered, nothing disagrees.
    const reconciled = await eventually(async () => {
      const body = (await api.get(at('/ledger/reconciliation'))).body;
      return body.checked.pending_certificates === 0 && body.ok ? body : undefined;
    }, 30_000);
    expect(reconciled.mismatches).toEqual([]);
  });

  it('lets exactly as many concurrent issuances into two classes through as the company authorizes', async () => {
    const { a, b, issue, adjust } = await company('Crowded Ltd');
    expect((await adjust('2024-01-01', 1000)).status).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => issue(i % 2 ? a.id : b.id, 100, '2024-02-01')),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array<number>(10).fill(201), ...Array<number>(10).fill(409)]);
    for (const answer of answers.filter((x) => x.status === 409))
      expect(answer.body.code).toBe('AUTHORIZED_SHARES_EXCEEDED');
  });

  it("refuses a backdated issuance that would exceed a class's authorized shares on its date", async () => {
    const { post, a, holder, issue } = await company('Backdated Ltd', 1000);
    const security = await post('/issuances/', {
      shareholder_id: holder.id,
      share_class_id: a.id,
      number_of_shares: 1000,
      price: '1',
      date: '2024-01-01',
    });
    await post(`/issuances/${security.id}/cancellations`, {
      date: '2024-02-01',
      quantity: 200,
      reason: 'Forfeited',
    });
    await post(`/share-classes/${a.id}/authorized-shares-adjustments`, {
      date: '2024-06-01',
      authorized_shares: 2000,
    });
    const securities = await count('SELECT 1 FROM issuance');
    const over = await issue(a.id, 300, '2024-03-01');
    expect([over.status, over.body.code]).toEqual([409, 'AUTHORIZED_SHARES_EXCEEDED']);
    expect(over.body.detail).toContain('2024-03-01');
    expect(await count('SELECT 1 FROM issuance')).toBe(securities);
    expect((await issue(a.id, 200, '2024-03-01')).status).toBe(201);
    expect((await issue(a.id, 900, '2024-07-01')).status).toBe(201);
  });

  it('checks the body and the role, scoped and unscoped', async () => {
    const { at } = await company('Checked Ltd');
    const cases: Array<[string, object, 'admin' | 'auditor', number, string]> = [
      [
        at('/authorized-shares-adjustments'),
        { date: '2024-01-01' },
        'admin',
        400,
        'authorized_shares',
      ],
      [
        at('/authorized-shares-adjustments'),
        { date: '2024-13-01', authorized_shares: 5 },
        'admin',
        400,
        'date',
      ],
      [
        at('/authorized-shares-adjustments'),
        { date: '2024-01-01', authorized_shares: 0 },
        'admin',
        400,
        'authorized_shares',
      ],
      [
        '/api/company/authorized-shares-adjustments',
        { date: '2024-01-01', authorized_shares: 5 },
        'auditor',
        403,
        '',
      ],
    ];
    for (const [path, body, as, status, field] of cases) {
      const response = await api.post(path, body, as);
      expect([path, response.status]).toEqual([path, status]);
      if (field) expect(response.body.errors[0].field).toBe(field);
    }
    expect((await api.get(at(''))).body.authorized_shares).toBeNull();
  });
});
