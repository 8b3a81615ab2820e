import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import {
  Api,
  givenCompany,
  givenIssuance,
  givenShareClass,
  givenShareholder,
} from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, count } from '../support/db';
import {
  TEST_DATABASE_ADMIN_URL,
  TEST_DATABASE_NAME,
  testAppDatabaseUrl,
  testDatabaseUrl,
} from '../support/env';
import { eventually } from '../support/wait';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
/** Beside the suite's own database, so suites run side by side (own TEST_DATABASE_NAME) never share it. */
const RESTORE_DB = `${TEST_DATABASE_NAME}_restore`;

describe('backup and restore', () => {
  let source: TestApp;
  let restored: TestApp | undefined;

  beforeAll(async () => {
    // No certificate rendering: its events would keep growing the audit chain while we compare.
    source = await startApp({
      OUTBOX_POLL_INTERVAL_MS: 50,
      CERTIFICATE_RENDER_WORKER_ENABLED: false,
    });
    const admin = new Client({ connectionString: TEST_DATABASE_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${RESTORE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${RESTORE_DB}`);
    await admin.end();
  });
  afterAll(async () => {
    await source.close();
    await restored?.close();
    await closeDb();
  });

  it('restores a backup into a fresh database with the same cap table and an intact audit chain', async () => {
    const api = new Api(source);
    await givenCompany(api);
    const shareClass = await givenShareClass(api);
    const holder = await givenShareholder(api, { tax_id: 'RS12345678' });
    await givenIssuance(api, {
      shareholder_id: holder.id,
      share_class_id: shareClass.id,
      number_of_shares: 123,
      price: '0.7',
    });
    await eventually(async () =>
      (await count(
        'SELECT 1 FROM outbox_event WHERE delivered_at IS NULL AND dead_lettered_at IS NULL',
      )) === 0
        ? true
        : undefined,
    );
    const tableBefore = await api.get('/api/cap-table?as_of=2999-12-31', 'auditor');
    const chainBefore = await api.get('/api/audit/verify', 'auditor');
    expect(chainBefore.body.ok).toBe(true);

    const file = join(mkdtempSync(join(tmpdir(), 'cap-backup-')), 'backup.dump');
    // As the schema owner, as an operator would; the API's own role could not restore anything.
    await run('bash', ['scripts/db-backup.sh', file], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_MIGRATION_URL: process.env.TEST_DATABASE_OWNER_URL },
    });
    const target = testDatabaseUrl(TEST_DATABASE_ADMIN_URL, RESTORE_DB);
    await run('bash', ['scripts/db-restore.sh', file, target], { cwd: ROOT });
    await expect(
      run('bash', ['scripts/db-restore.sh', file, target], { cwd: ROOT }),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/refusing to restore/),
    });

    // The grants came back with the backup: the API's least-privileged role serves the copy. No
    // checkpoint of its own at start either, so that both verification answers compare whole.
    restored = await startApp({
      DATABASE_URL: testAppDatabaseUrl(target),
      OUTBOX_RELAY_ENABLED: false,
      AUDIT_CHECKPOINT_INTERVAL_MS: 0,
    });
    const restoredApi = new Api(restored);
    const tableAfter = await restoredApi.get('/api/cap-table?as_of=2999-12-31', 'auditor');
    // The same table; only the time it was computed (known_at) differs.
    const withoutTime = (body: { known_at?: string }) => ({ ...body, known_at: undefined });
    expect(withoutTime(tableAfter.body)).toEqual(withoutTime(tableBefore.body));
    const chainAfter = await restoredApi.get('/api/audit/verify', 'auditor');
    expect(chainAfter.body).toEqual(chainBefore.body);
    const holderAfter = await restoredApi.get(`/api/shareholders/${holder.id}`, 'admin');
    expect(holderAfter.body.tax_id).toBe('RS12345678');
  });
});
