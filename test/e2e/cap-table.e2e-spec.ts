import { parse } from 'csv-parse/sync';
import {
  Api,
  givenCompany,
  givenIssuance,
  givenShareClass,
  givenShareholder,
  givenShareholderOneRecord,
} from '../support/api';
import { startApp, TestApp } from '../support/app';
import { asCsvText } from '../support/csv';
import { closeDb } from '../support/db';

interface Row {
  shareholder_id: string;
  name: string;
  total_shares: number;
  votes: number;
  ownership_pct: string;
  voting_pct: string;
  holdings: Array<{ share_class_id: string; shares: number }>;
}

const sumPct = (values: string[]) =>
  values.reduce((total, value) => total + Math.round(Number(value) * 10_000), 0);

describe('cap table', () => {
  let testApp: TestApp;
  let api: Api;
  let alice: { id: string };
  let bob: { id: string };
  let preferred: { id: string };
  let common: { id: string };

  beforeAll(async () => {
    testApp = await startApp();
    api = new Api(testApp);
    await givenCompany(api);
    alice = await givenShareholder(api, { name: 'Alice Cap' });
    bob = await givenShareholder(api, { name: 'Bob Cap' });
    common = await givenShareClass(api, { type: 'COMMON', votes_per_share: 1 });
    preferred = await givenShareClass(api, {
      type: 'PREFERRED',
      votes_per_share: 10,
      seniority: 1,
    });
    await givenIssuance(api, {
      shareholder_id: alice.id,
      share_class_id: common.id,
      number_of_shares: 1000,
      date: '2020-01-01',
    });
    await givenIssuance(api, {
      shareholder_id: bob.id,
      share_class_id: preferred.id,
      number_of_shares: 50,
      date: '2021-06-01',
    });
    await givenIssuance(api, {
      shareholder_id: alice.id,
      share_class_id: common.id,
      number_of_shares: 250,
      date: '2023-03-01',
    });
    await givenIssuance(api, {
      shareholder_id: bob.id,
      share_class_id: common.id,
      number_of_shares: 10,
      date: '2023-03-02',
    });
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  const row = (table: { holders: Row[] }, id: string) =>
    table.holders.find((h) => h.shareholder_id === id);

  it('differs between a past date and today by exactly the later issuances', async () => {
    const past = await api.get('/api/cap-table?as_of=2021-12-31', 'auditor');
    const today = await api.get('/api/cap-table', 'auditor');
    expect(past.status).toBe(200);
    expect(past.body.as_of).toBe('2021-12-31');
    expect(row(past.body, alice.id)).toMatchObject({ total_shares: 1000, votes: 1000 });
    expect(row(past.body, bob.id)).toMatchObject({ total_shares: 50, votes: 500 });
    expect(row(today.body, alice.id)).toMatchObject({ total_shares: 1250, votes: 1250 });
    expect(row(today.body, bob.id)).toMatchObject({ total_shares: 60, votes: 510 });
    const pastClass = past.body.classes.find(
      (c: { share_class_id: string }) => c.share_class_id === common.id,
    );
    const todayClass = today.body.classes.find(
      (c: { share_class_id: string }) => c.share_class_id === common.id,
    );
    expect(todayClass.issued_shares - pastClass.issued_shares).toBe(260);
    expect(pastClass.unissued_shares).toBe(pastClass.authorized_shares - pastClass.issued_shares);
  });

  it('shows nothing before the first issuance', async () => {
    const response = await api.get('/api/cap-table?as_of=1999-12-31');
    expect(row(response.body, alice.id)).toBeUndefined();
  });

  it('displays percentages that add up to exactly 100', async () => {
    const { body } = await api.get('/api/cap-table');
    expect(sumPct(body.holders.map((h: Row) => h.ownership_pct))).toBe(1_000_000);
    expect(sumPct(body.holders.map((h: Row) => h.voting_pct))).toBe(1_000_000);
    expect(sumPct(body.classes.map((c: { ownership_pct: string }) => c.ownership_pct))).toBe(
      1_000_000,
    );
    expect(body.totals.issued_shares).toBe(
      body.holders.reduce((t: number, h: Row) => t + h.total_shares, 0),
    );
    expect(body.rounding).toMatch(/largest-remainder/);
  });

  it('exports CSV that parses back to the JSON figures', async () => {
    const json = await api.get('/api/cap-table?as_of=2023-12-31');
    const csv = await api.get('/api/cap-table?as_of=2023-12-31&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const records = parse<Record<string, string>>(csv.text, { columns: true });
    expect(records).toHaveLength(json.body.holders.length);
    for (const [index, record] of records.entries()) {
      const holder = json.body.holders[index] as Row & {
        holdings: Array<{ share_class_name: string; shares: number }>;
      };
      expect(record).toMatchObject({
        shareholder_id: holder.shareholder_id,
        name: asCsvText(holder.name),
        total_shares: String(holder.total_shares),
        votes: String(holder.votes),
        ownership_pct: holder.ownership_pct,
        voting_pct: holder.voting_pct,
      });
      for (const holding of holder.holdings)
        expect(record[`shares:${holding.share_class_name}`]).toBe(String(holding.shares));
    }
  });

  it('gives a shareholder only their own row', async () => {
    const own = await givenShareholderOneRecord(api);
    await givenIssuance(api, {
      shareholder_id: own.id,
      share_class_id: common.id,
      number_of_shares: 3,
    });
    const response = await api.get('/api/cap-table', 'shareholder1');
    expect(response.status).toBe(200);
    expect(response.body.holders.map((h: Row) => h.shareholder_id)).toEqual([own.id]);
    expect(response.body.classes).toBeUndefined();
    expect(response.body.totals).toBeUndefined();
    const nobody = await api.get('/api/cap-table?format=csv', 'shareholder2');
    expect(parse(nobody.text, { columns: true })).toEqual([]);
  });

  it('refuses a malformed date', async () => {
    for (const asOf of ['2021-02-29', 'yesterday', '2021-1-1']) {
      const response = await api.get(`/api/cap-table?as_of=${asOf}`);
      expect(response.status).toBe(400);
      expect(response.body.errors[0].field).toBe('as_of');
    }
  });
});

describe('company and share classes', () => {
  let testApp: TestApp;
  let api: Api;

  beforeAll(async () => {
    testApp = await startApp();
    api = new Api(testApp);
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  it('creates and replaces the company, validating ISO codes', async () => {
    const put = await api.put('/api/company', {
      legal_name: 'Acme Robotics Ltd',
      country: 'GB',
      formation_date: '2019-05-01',
      default_currency: 'EUR',
    });
    expect(put.status).toBe(200);
    const bad = await api.put('/api/company', {
      legal_name: 'Acme',
      country: 'XX',
      formation_date: '2019-02-30',
      default_currency: 'EURO',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'country',
      'default_currency',
      'formation_date',
    ]);
    const read = await api.get('/api/company', 'auditor');
    expect(read.body).toMatchObject({
      legal_name: 'Acme Robotics Ltd',
      country: 'GB',
      default_currency: 'EUR',
    });
    expect((await api.put('/api/company', { ...read.body }, 'auditor')).status).toBe(403);
  });

  it('refuses duplicate class names and certificate prefixes', async () => {
    const first = await givenShareClass(api);
    const sameName = await api.post('/api/share-classes/', {
      name: first.name,
      type: 'COMMON',
      authorized_shares: 10,
      par_value: 0,
      votes_per_share: 1,
      certificate_prefix: 'QQQQQQ',
    });
    expect(sameName.status).toBe(409);
    expect(sameName.body.code).toBe('SHARE_CLASS_NAME_TAKEN');
    const samePrefix = await api.post('/api/share-classes/', {
      name: 'Other',
      type: 'COMMON',
      authorized_shares: 10,
      par_value: 0,
      votes_per_share: 1,
      certificate_prefix: first.certificate_prefix,
    });
    expect(samePrefix.status).toBe(409);
    expect(samePrefix.body.code).toBe('SHARE_CLASS_PREFIX_TAKEN');
  });

  it('lets auditors read classes but not change them, and keeps shareholders out', async () => {
    const shareClass = await givenShareClass(api);
    expect((await api.get('/api/share-classes', 'auditor')).status).toBe(200);
    expect(
      (await api.patch(`/api/share-classes/${shareClass.id}`, { votes_per_share: 2 }, 'auditor'))
        .status,
    ).toBe(403);
    expect((await api.get('/api/share-classes/', 'shareholder1')).status).toBe(403);
  });

  it('refuses bad class terms, naming them', async () => {
    const response = await api.post('/api/share-classes/', {
      name: 'Bad',
      type: 'GOLDEN',
      authorized_shares: 0,
      par_value: '-1',
      votes_per_share: 1.5,
      certificate_prefix: 'cs',
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'authorized_shares',
      'certificate_prefix',
      'par_value',
      'type',
      'votes_per_share',
    ]);
  });
});
