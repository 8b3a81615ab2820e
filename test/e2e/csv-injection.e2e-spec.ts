import request from 'supertest';
import {
  Api,
  givenCompany,
  givenIssuance,
  givenShareClass,
  givenShareholder,
  unique,
} from '../support/api';
import { startApp, TestApp } from '../support/app';
import { csvRecords, FORMULA } from '../support/csv';
import { closeDb } from '../support/db';
import { eventually } from '../support/wait';

/**
 * Text a user typed that a spreadsheet would evaluate (`=`, `+`, `-`, `@`, …) leaves every CSV
 * export with a leading `'`, and every JSON form of the same data exactly as typed.
 */
describe('CSV exports and formula injection', () => {
  let testApp: TestApp;
  let api: Api;
  let holder: { id: string; name: string; email: string };

  beforeAll(async () => {
    testApp = await startApp();
    api = new Api(testApp);
    await givenCompany(api);
    holder = await givenShareholder(api, {
      name: FORMULA,
      email: `${unique('formula')}@example.com`,
      phone: '+44 20 7946 0958',
      address: '@SUM(1+1)',
    });
    const shareClass = await givenShareClass(api);
    await givenIssuance(api, {
      shareholder_id: holder.id,
      share_class_id: shareClass.id,
      number_of_shares: 25,
    });
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  it('the shareholder export quotes the formula in CSV and keeps it as typed in JSON', async () => {
    const csv = await api.get('/api/shareholders/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const record = csvRecords(csv.text).find((r) => r.id === holder.id);
    expect(record?.name.startsWith("'=")).toBe(true);
    expect(record).toMatchObject({
      name: `'${FORMULA}`,
      email: holder.email,
      phone: "'+44 20 7946 0958",
      address: "'@SUM(1+1)",
      total_shares: '25',
    });

    const json = await api.get('/api/shareholders/export?format=json');
    expect(json.body.find((h: { id: string }) => h.id === holder.id)).toMatchObject({
      name: FORMULA,
      phone: '+44 20 7946 0958',
      address: '@SUM(1+1)',
      total_shares: 25,
    });
    expect((await api.get(`/api/shareholders/${holder.id}`)).body.name).toBe(FORMULA);
  });

  it('the cap table quotes the formula in CSV and keeps it as typed in JSON', async () => {
    const csv = await api.get('/api/cap-table?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const record = csvRecords(csv.text).find((r) => r.shareholder_id === holder.id);
    expect(record?.name.startsWith("'=")).toBe(true);
    expect(record).toMatchObject({ name: `'${FORMULA}`, total_shares: '25' });

    const json = await api.get('/api/cap-table');
    const row = json.body.holders.find(
      (h: { shareholder_id: string }) => h.shareholder_id === holder.id,
    );
    expect(row).toMatchObject({ name: FORMULA, total_shares: 25 });
  });

  it('the audit export quotes a formula typed as the username of a failed login', async () => {
    const requestId = unique('csv-injection');
    await request(api.server)
      .post('/api/token/')
      .set('x-request-id', requestId)
      .set('user-agent', '-2+3')
      .send({ username: FORMULA, password: 'wrong-password' })
      .expect(401);
    const ours = (records: Array<Record<string, string>>) =>
      records.find((r) => r.request_id === requestId);
    const path = '/api/audit/export?action=auth.login_failed&format=';
    const record = await eventually(
      async () => ours(csvRecords((await api.get(`${path}csv`, 'auditor')).text)),
      10_000,
      'the failed login in the audit CSV export',
    );
    expect(record.actor_name.startsWith("'=")).toBe(true);
    expect(record).toMatchObject({
      actor_name: `'${FORMULA}`,
      entity_id: `'${FORMULA}`,
      user_agent: "'-2+3",
      outcome: 'failure',
    });
    expect(JSON.parse(record.after ?? 'null')).toMatchObject({ username: FORMULA });

    const json = await api.get(`${path}json`, 'auditor');
    const entry = (json.body as Array<{ request_id: string }>).find(
      (e) => e.request_id === requestId,
    );
    expect(entry).toMatchObject({
      actor: { name: FORMULA },
      entity_id: FORMULA,
      user_agent: '-2+3',
      after: { username: FORMULA },
    });
    expect(JSON.stringify(entry)).not.toContain('wrong-password');
  });
});
