import { Client } from 'pg';
import { DemoMembersSeeder } from '../../src/companies';
import { provisionDatabase } from '../../src/core/db/provision';
import { DemoDataSeeder } from '../../src/issuances/demo-data.seeder';
import { Api } from '../support/api';
import { startApp, TestApp } from '../support/app';
import { TEST_DATABASE_ADMIN_URL, testAppDatabaseUrl, testDatabaseUrl } from '../support/env';

const DEMO_DB = 'corporate_os_demo_test';

describe('demo data (SEED_DEMO_DATA)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    const admin = new Client({ connectionString: TEST_DATABASE_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DEMO_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DEMO_DB}`);
    await admin.end();
    const url = testDatabaseUrl(TEST_DATABASE_ADMIN_URL, DEMO_DB);
    const appUrl = testAppDatabaseUrl(url);
    await provisionDatabase({ ownerUrl: url, appUrl });
    testApp = await startApp({ DATABASE_URL: appUrl });
  });
  afterAll(() => testApp.close());

  it('loads once on an empty database and shows shareholder1 their holdings after login', async () => {
    const seeder = testApp.app.get(DemoDataSeeder);
    // As start-up runs them: for the deployment's default company.
    await expect(testApp.inDefaultCompany(() => seeder.seedIfEmpty())).resolves.toBe(true);
    await expect(testApp.inDefaultCompany(() => seeder.seedIfEmpty())).resolves.toBe(false);
    const members = testApp.app.get(DemoMembersSeeder);
    await expect(testApp.inDefaultCompany(() => members.seedIfNone())).resolves.toBe(true);
    await expect(testApp.inDefaultCompany(() => members.seedIfNone())).resolves.toBe(false);
    const api = new Api(testApp);
    const table = await api.get('/api/cap-table', 'admin');
    expect(table.body.totals).toEqual({ issued_shares: 8_750_000, votes: 8_750_000, holders: 3 });
    const own = await api.get('/api/cap-table', 'shareholder1');
    expect(own.body.holders).toEqual([
      expect.objectContaining({
        name: 'Grace Hopper',
        total_shares: 4_000_000,
        ownership_pct: '45.7143',
      }),
    ]);
    const issuances = await api.get('/api/issuances/', 'shareholder2');
    expect(
      issuances.body.map((i: { number_of_shares: number }) => i.number_of_shares).sort(),
    ).toEqual([250_000, 3_000_000]);
  });
});
