import {
  Api,
  givenCompany,
  givenIssuance,
  givenShareClass,
  givenShareholder,
  givenShareholderOneRecord,
  unique,
} from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, count, db } from '../support/db';

describe('issuances', () => {
  let testApp: TestApp;
  let api: Api;
  let holder: { id: string };

  beforeAll(async () => {
    testApp = await startApp();
    api = new Api(testApp);
    await givenCompany(api);
    holder = await givenShareholder(api);
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  it('issues shares with an exact total where floating point fails', async () => {
    const shareClass = await givenShareClass(api, { authorized_shares: 1e15 });
    const cases: Array<[number, string | number, string]> = [
      [3, 0.1, '0.3'],
      [3, '0.1', '0.3'],
      [10, '0.07', '0.7'],
      [1_000_000_000_000, '0.0000000001', '100'],
      [7, '19.99', '139.93'],
      [5, 0, '0'],
    ];
    for (const [shares, price, total] of cases) {
      const response = await api.post('/api/issuances/', {
        shareholder_id: holder.id,
        share_class_id: shareClass.id,
        number_of_shares: shares,
        price,
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        number_of_shares: shares,
        total_amount: total,
        currency: 'EUR',
        certificate_number: null,
      });
      const { rows } = await db().query('SELECT total_amount::text FROM issuance WHERE id = $1', [
        response.body.id,
      ]);
      expect(rows[0].total_amount.replace(/\.?0+$/, '')).toBe(total);
    }
  });

  it('defaults the date to today, the class to the COMMON class and the currency to the company currency', async () => {
    const { body: classes } = await api.get('/api/share-classes/');
    const common =
      (classes as Array<{ id: string; type: string }>).find((c) => c.type === 'COMMON') ??
      (await givenShareClass(api, { type: 'COMMON' }));
    const response = await api.post('/api/issuances', {
      shareholder_id: holder.id,
      number_of_shares: 10,
      price: '2.5',
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      share_class_id: common.id,
      currency: 'EUR',
      date: new Date().toISOString().slice(0, 10),
      total_amount: '25',
    });
  });

  it("takes the company's default currency as it is now, also right after it changed", async () => {
    const shareClass = await givenShareClass(api);
    const issue = () =>
      api.post('/api/issuances/', {
        shareholder_id: holder.id,
        share_class_id: shareClass.id,
        number_of_shares: 1,
        price: '1',
      });
    expect((await issue()).body.currency).toBe('EUR');
    expect((await issue()).body.currency).toBe('EUR');
    const changed = await api.put('/api/company', {
      legal_name: 'Acme Robotics Ltd',
      country: 'GB',
      formation_date: '2019-05-01',
      default_currency: 'CHF',
    });
    expect(changed.status).toBe(200);
    try {
      const afterChange = await issue();
      expect(afterChange.status).toBe(201);
      expect(afterChange.body.currency).toBe('CHF');
      const { rows } = await db().query('SELECT currency FROM issuance WHERE id = $1', [
        afterChange.body.id,
      ]);
      expect(rows[0].currency).toBe('CHF');
    } finally {
      await givenCompany(api);
    }
    expect((await issue()).body.currency).toBe('EUR');
  });

  it('lets the internal-tool service account issue, recorded under its client id', async () => {
    const response = await api.post(
      '/api/issuances/',
      { shareholder_id: holder.id, number_of_shares: 1, price: '1', currency: 'USD' },
      'internal-tool',
    );
    expect(response.status).toBe(201);
    const { rows } = await db().query('SELECT created_by FROM issuance WHERE id = $1', [
      response.body.id,
    ]);
    expect(rows[0].created_by).toBe('internal-tool');
    const { rows: events } = await db().query(
      "SELECT actor FROM outbox_event WHERE aggregate_id = $1 AND type = 'issuance.created'",
      [response.body.id],
    );
    expect(events[0].actor).toMatchObject({ name: 'internal-tool', client_id: 'internal-tool' });
  });

  it('refuses issuing to auditors and shareholders', async () => {
    for (const caller of ['auditor', 'shareholder1'] as const) {
      const response = await api.post(
        '/api/issuances/',
        { shareholder_id: holder.id, number_of_shares: 1, price: 1 },
        caller,
      );
      expect(response.status).toBe(403);
    }
  });

  describe('refuses bad input with 400 naming the field, and stores nothing', () => {
    it.each([
      ['number_of_shares', 0],
      ['number_of_shares', -5],
      ['number_of_shares', 1.5],
      ['number_of_shares', 1e16],
      ['number_of_shares', '100'],
      ['price', -1],
      ['price', '0.00000000001'],
      ['price', '12abc'],
      ['price', 1e21],
      ['date', '2024-02-30'],
      ['date', '30/01/2024'],
      ['currency', 'EURO'],
      ['shareholder_id', 'nope'],
      ['share_class_id', 42],
    ])('%s = %p', async (field, value) => {
      const before = await count('SELECT 1 FROM issuance');
      const response = await api.post('/api/issuances/', {
        shareholder_id: holder.id,
        number_of_shares: 10,
        price: '1',
        [field]: value,
      });
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
      expect(await count('SELECT 1 FROM issuance')).toBe(before);
    });

    it('an unknown field', async () => {
      const response = await api.post('/api/issuances/', {
        shareholder_id: holder.id,
        number_of_shares: 10,
        price: '1',
        discount: 5,
      });
      expect(response.status).toBe(400);
      expect(response.body.errors[0].field).toBe('discount');
    });

    it('a missing field', async () => {
      const response = await api.post('/api/issuances/', { shareholder_id: holder.id, price: '1' });
      expect(response.status).toBe(400);
      expect(response.body.errors[0].field).toBe('number_of_shares');
    });
  });

  it('answers 404 naming an unknown shareholder or share class', async () => {
    const ghost = '00000000-0000-4000-8000-00000000abcd';
    const noHolder = await api.post('/api/issuances/', {
      shareholder_id: ghost,
      number_of_shares: 1,
      price: 1,
    });
    expect(noHolder.status).toBe(404);
    expect(noHolder.body).toMatchObject({ code: 'SHAREHOLDER_NOT_FOUND' });
    expect(noHolder.body.detail).toContain(ghost);
    const noClass = await api.post('/api/issuances/', {
      shareholder_id: holder.id,
      share_class_id: ghost,
      number_of_shares: 1,
      price: 1,
    });
    expect(noClass.status).toBe(404);
    expect(noClass.body.code).toBe('SHARE_CLASS_NOT_FOUND');
    expect(noClass.body.detail).toContain(ghost);
  });

  it('never exceeds authorized shares under 20 concurrent issuances', async () => {
    const shareClass = await givenShareClass(api, { authorized_shares: 1000 });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.post('/api/issuances/', {
          shareholder_id: holder.id,
          share_class_id: shareClass.id,
          number_of_shares: 100,
          price: '1',
        }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(10);
    for (const refused of responses.filter((r) => r.status === 409)) {
      expect(refused.body.code).toBe('AUTHORIZED_SHARES_EXCEEDED');
    }
    const { rows } = await db().query(
      'SELECT COALESCE(SUM(number_of_shares), 0)::int AS total FROM issuance WHERE share_class_id = $1',
      [shareClass.id],
    );
    expect(rows[0].total).toBe(1000);
    const after = await api.get(`/api/share-classes/${shareClass.id}`);
    expect(after.body).toMatchObject({
      authorized_shares: 1000,
      issued_shares: 1000,
      unissued_shares: 0,
    });
  });

  it('changes nothing when refused for exceeding authorized shares', async () => {
    const shareClass = await givenShareClass(api, { authorized_shares: 50 });
    const issuances = await count('SELECT 1 FROM issuance');
    // Only issuance events: certificates of earlier tests may still be rendered meanwhile.
    const issuanceEvents = "SELECT 1 FROM outbox_event WHERE type = 'issuance.created'";
    const events = await count(issuanceEvents);
    const response = await api.post('/api/issuances/', {
      shareholder_id: holder.id,
      share_class_id: shareClass.id,
      number_of_shares: 51,
      price: 1,
    });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({
      code: 'AUTHORIZED_SHARES_EXCEEDED',
      available_shares: 50,
      requested_shares: 51,
    });
    expect(await count('SELECT 1 FROM issuance')).toBe(issuances);
    expect(await count(issuanceEvents)).toBe(events);
  });

  it('lets authorized shares rise but not fall below what is issued', async () => {
    const shareClass = await givenShareClass(api, { authorized_shares: 100 });
    await givenIssuance(api, {
      shareholder_id: holder.id,
      share_class_id: shareClass.id,
      number_of_shares: 80,
    });
    const lowered = await api.patch(`/api/share-classes/${shareClass.id}`, {
      authorized_shares: 79,
    });
    expect(lowered.status).toBe(409);
    expect(lowered.body).toMatchObject({ code: 'AUTHORIZED_BELOW_ISSUED', issued_shares: 80 });
    expect(
      (await api.patch(`/api/share-classes/${shareClass.id}`, { authorized_shares: 80 })).status,
    ).toBe(200);
    const raised = await api.patch(`/api/share-classes/${shareClass.id}`, {
      authorized_shares: 500,
    });
    expect(raised.body).toMatchObject({ authorized_shares: 500, issued_shares: 80, version: 3 });
  });

  describe('Idempotency-Key', () => {
    it('creates one issuance for ten concurrent requests with one key and replays it to all', async () => {
      const key = unique('key');
      const body = { shareholder_id: holder.id, number_of_shares: 7, price: '3.5' };
      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          api.post('/api/issuances/', body, 'admin', { 'idempotency-key': key }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
      const ids = new Set(responses.map((r) => r.body.id));
      expect(ids.size).toBe(1);
      expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
      expect(await count('SELECT 1 FROM issuance WHERE id = $1', [[...ids][0]])).toBe(1);
      expect(
        await count(
          "SELECT 1 FROM outbox_event WHERE type = 'issuance.created' AND aggregate_id = $1",
          [[...ids][0]],
        ),
      ).toBe(1);
    });

    it('treats the same price as a number or a string as the same body', async () => {
      const key = unique('key');
      const first = await api.post(
        '/api/issuances/',
        { shareholder_id: holder.id, number_of_shares: 2, price: 0.5 },
        'admin',
        { 'idempotency-key': key },
      );
      const second = await api.post(
        '/api/issuances/',
        { shareholder_id: holder.id, number_of_shares: 2, price: '0.50' },
        'admin',
        { 'idempotency-key': key },
      );
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
    });

    it('answers 422 for the same key with another body, and scopes keys per caller', async () => {
      const key = unique('key');
      const first = await api.post(
        '/api/issuances/',
        { shareholder_id: holder.id, number_of_shares: 1, price: 1 },
        'admin',
        { 'idempotency-key': key },
      );
      const reused = await api.post(
        '/api/issuances/',
        { shareholder_id: holder.id, number_of_shares: 2, price: 1 },
        'admin',
        { 'idempotency-key': key },
      );
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const otherCaller = await api.post(
        '/api/issuances/',
        { shareholder_id: holder.id, number_of_shares: 1, price: 1 },
        'internal-tool',
        { 'idempotency-key': key },
      );
      expect(otherCaller.status).toBe(201);
      expect(otherCaller.body.id).not.toBe(first.body.id);
      const { rows } = await db().query(
        "SELECT expires_at - created_at >= interval '24 hours' AS kept FROM idempotency_key WHERE key = $1",
        [key],
      );
      expect(rows.map((r) => r.kept)).toEqual([true, true]);
    });

    it('refuses a malformed key', async () => {
      const response = await api.post(
        '/api/issuances/',
        { shareholder_id: holder.id, number_of_shares: 1, price: 1 },
        'admin',
        { 'idempotency-key': 'has spaces' },
      );
      expect(response.status).toBe(400);
    });
  });

  describe('who sees which issuance', () => {
    let own: { id: string };
    let mine: { id: string };
    let theirs: { id: string };

    beforeAll(async () => {
      own = await givenShareholderOneRecord(api);
      mine = await givenIssuance(api, { shareholder_id: own.id, number_of_shares: 5 });
      theirs = await givenIssuance(api, { shareholder_id: holder.id, number_of_shares: 6 });
    });

    it('shows admins and auditors every issuance, filterable', async () => {
      for (const caller of ['admin', 'auditor'] as const) {
        const response = await api.get(
          `/api/issuances/?shareholder_id=${holder.id}&limit=500`,
          caller,
        );
        expect(response.status).toBe(200);
        expect(
          response.body.every((i: { shareholder_id: string }) => i.shareholder_id === holder.id),
        ).toBe(true);
        expect(response.body.some((i: { id: string }) => i.id === theirs.id)).toBe(true);
      }
    });

    it('shows a shareholder only their own issuances, even when asking for another holder', async () => {
      const list = await api.get('/api/issuances/?limit=500', 'shareholder1');
      expect(list.status).toBe(200);
      expect(list.body.length).toBeGreaterThan(0);
      expect(list.body.every((i: { shareholder_id: string }) => i.shareholder_id === own.id)).toBe(
        true,
      );
      const sneaky = await api.get(`/api/issuances/?shareholder_id=${holder.id}`, 'shareholder1');
      expect(sneaky.body).toEqual([]);
      expect((await api.get(`/api/issuances/${mine.id}`, 'shareholder1')).status).toBe(200);
      const forbidden = await api.get(`/api/issuances/${theirs.id}`, 'shareholder1');
      expect(forbidden.status).toBe(403);
      expect(JSON.stringify(forbidden.body)).not.toContain(holder.id);
    });

    it('gives a shareholder without a record an empty list and 403 on any issuance', async () => {
      const list = await api.get('/api/issuances/', 'shareholder2');
      expect(list.status).toBe(200);
      expect(list.body).toEqual([]);
      expect(list.headers['x-total-count']).toBe('0');
      expect((await api.get(`/api/issuances/${mine.id}`, 'shareholder2')).status).toBe(403);
    });

    it('answers 404 for an unknown issuance', async () => {
      const response = await api.get('/api/issuances/00000000-0000-4000-8000-000000000001');
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('ISSUANCE_NOT_FOUND');
    });

    it('filters by date window and pages with a total', async () => {
      const tagged = await givenShareholder(api);
      for (const date of ['2020-01-15', '2021-01-15', '2022-01-15']) {
        await givenIssuance(api, { shareholder_id: tagged.id, number_of_shares: 1, date });
      }
      const window = await api.get(
        `/api/issuances?shareholder_id=${tagged.id}&from=2020-06-01&to=2022-01-15&limit=1`,
      );
      expect(window.headers['x-total-count']).toBe('2');
      expect(window.body.map((i: { date: string }) => i.date)).toEqual(['2022-01-15']);
      expect((await api.get('/api/issuances?from=2020-13-01')).status).toBe(400);
    });
  });
});
