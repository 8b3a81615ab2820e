import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { provisionDatabase } from '../../src/core/db/provision';
import { buildDataSourceOptions } from '../../src/core/db/typeorm-options';
import { Api, givenIssuance, givenShareholder } from '../support/api';
import { startApp, TestApp } from '../support/app';
import { download } from '../support/pdf';
import {
  TEST_DATABASE_ADMIN_URL,
  TEST_DATABASE_NAME,
  testAppDatabaseUrl,
  testDatabaseUrl,
} from '../support/env';
import { eventually } from '../support/wait';

/**
 * An existing single-company deployment upgrades in place: a backup of the last release before
 * companies (test/fixtures/README.md) is restored with db-restore.sh, brought to the current
 * schema with the deployment's own provisioning, and served by the current app with the same cap
 * table, company and holders, an audit chain (and signed checkpoints) that still verify, and a
 * next write that continues that chain. Then the company migration goes back down, but only while
 * there is a single company.
 */

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'single-company-release.dump');

interface Expected {
  migrations: string[];
  company: { id: string } & Record<string, unknown>;
  cap_table_as_of: string;
  cap_table: Record<string, unknown>;
  shareholders: Array<{ id: string } & Record<string, unknown>>;
  audit: {
    entries: number;
    head_seq: number;
    head_hash: string;
    checkpoints: Array<{ seq: number; hash: string; key_id: string }>;
    saved_checkpoint: { seq: number; hash: string; key_id: string };
  };
  checkpoint_public_key: string;
  test_only_encryption_keys: string;
  row_counts: Record<string, number>;
}

const expected = JSON.parse(
  readFileSync(join(ROOT, 'test', 'fixtures', 'single-company-release.expected.json'), 'utf8'),
) as Expected;

const COMPANY_ISOLATION = 'CompanyIsolation1795300000000';
/** The migrations since the release: companies isolated, then their members. */
const SINCE_RELEASE = [
  COMPANY_ISOLATION,
  'CompanyMembers1795310000000',
  'StockLedger1795320000000',
  'StockConversions1795330000000',
  'StockSplits1795340000000',
  'AuthorizedSharesAdjustments1795350000000',
  'LedgerReversals1795360000000',
  'AuthorizedSharesOnEveryDate1795370000000',
  'EquityPlans1795380000000',
  'OcfIds1795390000000',
  'GrantExpiryAndTranches1795400000000',
  'SarSettlement1795410000000',
  'CertificateCustomNumbers1795420000000',
  'PlanLessGrants1795430000000',
  'ReadCacheNotificationsAfterCommit1795440000000',
];
/** Every table of the release but `company` and the migrations' own: each is company-owned now. */
const OWNED_TABLES = Object.keys(expected.row_counts)
  .filter((table) => table !== 'company')
  .sort();
/**
 * And the members of each company and the stock ledger's transactions and certificate
 * cancellations, which the release did not have (none after the upgrade).
 */
const OWNED_AFTER = [
  ...OWNED_TABLES,
  'company_member',
  'stock_transaction',
  'certificate_cancellation',
  'conversion_ratio_adjustment',
  'stock_class_split',
  'authorized_shares_adjustment',
  'company_authorized_shares_adjustment',
  'stock_plan',
  'stock_plan_pool_adjustment',
  'vesting_terms',
  'equity_grant',
  'equity_grant_transaction',
  'ocf_retained_object',
].sort();

/** Beside the suite's own database, so suites run side by side never share it. */
const UPGRADE_DB = `${TEST_DATABASE_NAME}_upgrade`;
const target = testDatabaseUrl(TEST_DATABASE_ADMIN_URL, UPGRADE_DB);

describe('upgrade of a single-company release to companies', () => {
  /** The upgraded database as its owner (who is not subject to row-level security). */
  let owner: Pool;
  let app: TestApp | undefined;
  let api: Api;

  const rows = async <Row extends object>(text: string, values: unknown[] = []) =>
    (await owner.query<Row>(text, values)).rows;

  const rowCounts = async (): Promise<Record<string, number>> => {
    const counts: Record<string, number> = {};
    for (const table of Object.keys(expected.row_counts)) {
      const [row] = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`);
      counts[table] = row?.n ?? -1;
    }
    return counts;
  };

  const tablesWithCompanyId = async () =>
    (
      await rows<{ table_name: string }>(
        `SELECT table_name FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'company_id' ORDER BY table_name`,
      )
    ).map((row) => row.table_name);

  const appliedMigrations = async () =>
    (await rows<{ name: string }>(`SELECT name FROM schema_migrations ORDER BY id`)).map(
      (row) => row.name,
    );

  /** The owner's data source, for the steps down. */
  const undoLastMigration = async () => {
    const dataSource = new DataSource(buildDataSourceOptions(target, 2));
    await dataSource.initialize();
    try {
      await dataSource.undoLastMigration({ transaction: 'each' });
    } finally {
      await dataSource.destroy();
    }
  };

  beforeAll(async () => {
    const admin = new Client({ connectionString: TEST_DATABASE_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${UPGRADE_DB}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${UPGRADE_DB}"`);
    } finally {
      await admin.end();
    }
    owner = new Pool({ connectionString: target, max: 2 });
  });

  afterAll(async () => {
    await app?.close();
    await owner?.end();
    const admin = new Client({ connectionString: TEST_DATABASE_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${UPGRADE_DB}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  });

  it('restores the old backup as it was made', async () => {
    // As an operator would: into an empty database, as the role that will own the schema.
    await run('bash', ['scripts/db-restore.sh', FIXTURE, target], { cwd: ROOT });

    expect(await appliedMigrations()).toEqual(expected.migrations);
    expect(await rowCounts()).toEqual(expected.row_counts);
    expect(await tablesWithCompanyId()).toEqual([]);
    expect(await rows(`SELECT id FROM company`)).toEqual([{ id: expected.company.id }]);
  });

  it('migrates in place: the company keeps its id and owns every row', async () => {
    const result = await provisionDatabase({
      ownerUrl: target,
      appUrl: testAppDatabaseUrl(target),
    });
    expect(result.migrations).toEqual(SINCE_RELEASE);

    // No company was made up: the existing one is the first (and only) company.
    expect(await rows(`SELECT id, legal_name FROM company`)).toEqual([
      { id: expected.company.id, legal_name: expected.company.legal_name },
    ]);
    expect(await rowCounts()).toEqual(expected.row_counts);
    expect(await tablesWithCompanyId()).toEqual(OWNED_AFTER);
    // Memberships are created from nothing: platform administrators act in the company at once,
    // everyone else once an admin has made them members.
    expect(await rows('SELECT id FROM company_member')).toEqual([]);
    for (const table of OWNED_TABLES) {
      const [counts] = await rows<{ others: number }>(
        `SELECT count(*) FILTER (WHERE company_id IS DISTINCT FROM $1)::int AS others FROM "${table}"`,
        [expected.company.id],
      );
      expect({ table, ...counts }).toEqual({ table, others: 0 });
    }
    const unprotected = await rows<{ relname: string }>(
      `SELECT relname FROM pg_class
        WHERE relname = ANY($1) AND relkind = 'r' AND NOT relrowsecurity ORDER BY relname`,
      [[...OWNED_AFTER, 'company']],
    );
    expect(unprotected).toEqual([]);
  });

  it('serves the same company, cap table, holders and certificates', async () => {
    app = await startApp({
      DATABASE_URL: testAppDatabaseUrl(target),
      OUTBOX_POLL_INTERVAL_MS: 50,
      // Checkpoints only where the test asks: the old ones are what it holds the chain against.
      AUDIT_CHECKPOINT_INTERVAL_MS: 0,
      AUDIT_CHECKPOINT_PUBLIC_KEYS: expected.checkpoint_public_key,
      // This run's key first (new values), the fixture's kept to read the restored holders.
      ENCRYPTION_KEYS: `${process.env.ENCRYPTION_KEYS},${expected.test_only_encryption_keys}`,
    });
    api = new Api(app);

    const company = await api.get('/api/company', 'admin');
    expect(company.status).toBe(200);
    // The release knew no company-wide authorized shares: none after the upgrade.
    expect(company.body).toEqual({ ...expected.company, authorized_shares: null });

    const capTable = await api.get(`/api/cap-table?as_of=${expected.cap_table_as_of}`, 'admin');
    expect(capTable.status).toBe(200);
    // The same table; `known_at` (when it was computed) is new since the release.
    const { known_at: knownAt, ...table } = capTable.body as { known_at: string };
    expect(Number.isNaN(Date.parse(knownAt))).toBe(false);
    expect(table).toEqual(expected.cap_table);

    for (const holder of expected.shareholders) {
      const response = await api.get(`/api/shareholders/${holder.id}`, 'admin');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject(holder);
    }

    const certificates = await rows<{ id: string; verification_code: string; sha256: string }>(
      `SELECT id, verification_code, sha256 FROM certificate ORDER BY certificate_number, version`,
    );
    expect(certificates).toHaveLength(expected.row_counts.certificate ?? -1);
    const listed = await api.get('/api/certificates', 'admin');
    expect(listed.status).toBe(200);
    expect((listed.body as Array<{ id: string }>).map((c) => c.id).sort()).toEqual(
      certificates.map((c) => c.id).sort(),
    );
    for (const certificate of certificates) {
      // The public check of a printed code finds the company that issued it.
      const check = await api.get(
        `/api/certificates/verify/${certificate.verification_code}`,
        'anonymous',
      );
      expect(check.status).toBe(200);
      const content = await download(
        api.server,
        `/api/certificates/${certificate.id}/content`,
        'admin',
      );
      expect(content.status).toBe(200);
      expect(
        createHash('sha256')
          .update(content.body as Buffer)
          .digest('hex'),
      ).toBe(certificate.sha256);
    }
  });

  it('verifies the old chain, its latest checkpoint and a checkpoint an auditor saved', async () => {
    const head = { seq: expected.audit.head_seq, hash: expected.audit.head_hash };
    const latest = expected.audit.checkpoints.at(-1);
    expect(latest).toMatchObject(head);

    const chain = await api.get('/api/audit/verify', 'admin');
    expect(chain.status).toBe(200);
    expect(chain.body).toMatchObject({
      ok: true,
      checked: expected.audit.entries,
      first_broken_seq: null,
      head_seq: head.seq,
      head_hash: head.hash,
      latest_checkpoint: { ...latest, signature_valid: true, in_chain: true },
    });

    for (const checkpoint of expected.audit.checkpoints) {
      const bySeq = await api.get(`/api/audit/verify?checkpoint=${checkpoint.seq}`, 'admin');
      expect(bySeq.body).toMatchObject({
        ok: true,
        checkpoint: { ...checkpoint, signature_valid: true, in_chain: true },
      });
    }

    const saved = expected.audit.saved_checkpoint;
    const encoded = Buffer.from(JSON.stringify(saved)).toString('base64url');
    const bySaved = await api.get(`/api/audit/verify?checkpoint=${encoded}`, 'admin');
    expect(bySaved.status).toBe(200);
    expect(bySaved.body).toMatchObject({
      ok: true,
      checkpoint: {
        seq: saved.seq,
        hash: saved.hash,
        key_id: saved.key_id,
        signature_valid: true,
        in_chain: true,
      },
    });
  });

  it('continues the old chain with the next write', async () => {
    const holder = await givenShareholder(api, { tax_id: 'GB-UPGRADE-1' });
    const nextSeq = expected.audit.entries + 1;
    const entry = await eventually(
      async () =>
        (
          await rows<{ seq: string; prev_hash: string; company_id: string; entity_id: string }>(
            `SELECT seq::text, prev_hash, company_id, entity_id FROM audit_entry WHERE seq = $1`,
            [nextSeq],
          )
        )[0],
      10_000,
      `audit entry ${nextSeq}`,
    );
    expect(entry).toEqual({
      seq: String(nextSeq),
      prev_hash: expected.audit.head_hash,
      company_id: expected.company.id,
      entity_id: holder.id,
    });
    expect(await rows(`SELECT company_id FROM shareholder WHERE id = $1`, [holder.id])).toEqual([
      { company_id: expected.company.id },
    ]);

    const chain = await api.get('/api/audit/verify', 'admin');
    expect(chain.body).toMatchObject({
      ok: true,
      checked: nextSeq,
      head_seq: nextSeq,
      latest_checkpoint: { seq: expected.audit.head_seq, signature_valid: true, in_chain: true },
    });
    const oldHead = await api.get(
      `/api/audit/verify?checkpoint=${expected.audit.head_seq}`,
      'admin',
    );
    expect(oldHead.body).toMatchObject({
      ok: true,
      checkpoint: { seq: expected.audit.head_seq, hash: expected.audit.head_hash, in_chain: true },
    });

    // A checkpoint made now signs the continued chain.
    const checkpoint = await api.post('/api/audit/checkpoints', {}, 'admin');
    expect(checkpoint.status).toBe(201);
    expect(checkpoint.body).toMatchObject({ created: true, checkpoint: { seq: nextSeq } });
    const after = await api.get('/api/audit/verify', 'admin');
    expect(after.body).toMatchObject({
      ok: true,
      checked: nextSeq,
      latest_checkpoint: { seq: nextSeq, signature_valid: true, in_chain: true },
    });
  });

  it('gives the next issuance the next certificate number of the old sequence', async () => {
    const common = (
      expected.cap_table.classes as Array<{ share_class_id: string; name: string }>
    ).find((shareClass) => shareClass.name === 'Common');
    if (!common) throw new Error('the fixture has no Common class');
    const [counter] = await rows<{ last: number }>(
      `SELECT last_sequence::int AS last FROM certificate_counter WHERE share_class_id = $1`,
      [common.share_class_id],
    );
    const issuance = await givenIssuance(api, {
      shareholder_id: expected.shareholders[0]?.id,
      share_class_id: common.share_class_id,
      number_of_shares: 1000,
      price: '1',
      date: '2024-01-02',
    });
    const certificate = await eventually(
      async () =>
        (
          await rows<{ certificate_number: string; company_id: string }>(
            `SELECT certificate_number, company_id FROM certificate
              WHERE issuance_id = $1 AND status = 'active'`,
            [issuance.id],
          )
        )[0],
      30_000,
      'the new certificate',
      200,
    );
    const next = `CS-${String((counter?.last ?? 0) + 1).padStart(6, '0')}`;
    expect(certificate).toEqual({ certificate_number: next, company_id: expected.company.id });
    await eventually(async () =>
      (await rows(`SELECT 1 FROM outbox_event WHERE delivered_at IS NULL`)).length === 0
        ? true
        : undefined,
    );
    const chain = await api.get('/api/audit/verify', 'admin');
    expect(chain.body).toMatchObject({ ok: true, first_broken_seq: null });
    expect(chain.body.checked).toBeGreaterThan(expected.audit.entries + 1);
  });

  it('lets the release’s auditor in once an admin has made them a member', async () => {
    // Memberships start from nothing: the platform administrator acted above without one; the
    // auditor, who acted by realm role in the release, is refused until invited.
    expect((await api.get('/api/audit/verify', 'auditor')).status).toBe(403);
    const invited = await api.post(`/api/companies/${expected.company.id}/members`, {
      role: 'auditor',
      email: 'auditor@example.com',
    });
    expect(invited.status).toBe(201);
    const chain = await api.get('/api/audit/verify', 'auditor');
    expect(chain.status).toBe(200);
    expect(chain.body).toMatchObject({ ok: true });
  });

  it('goes back down one step only while there is a single company', async () => {
    await app?.close();
    app = undefined;
    const counts = await rowCounts();

    const other = '00000000-0000-4000-8000-000000000002';
    await owner.query(`INSERT INTO company (id, version) VALUES ($1, 0)`, [other]);
    // Every migration after the members' (the stock ledger and all that came after it), last
    // first: none holds a row yet.
    for (let step = 2; step < SINCE_RELEASE.length; step += 1) await undoLastMigration();
    await undoLastMigration(); // then the members (the auditor's membership with them)
    expect(await tablesWithCompanyId()).toEqual(OWNED_TABLES);
    await expect(undoLastMigration()).rejects.toThrow(
      /2 companies cannot go back to a single-company schema/,
    );
    // Refused as a whole: still the company schema.
    expect((await appliedMigrations()).at(-1)).toBe(COMPANY_ISOLATION);
    expect(await tablesWithCompanyId()).toEqual(OWNED_TABLES);

    await owner.query(`DELETE FROM company WHERE id = $1`, [other]);
    await undoLastMigration();
    expect(await appliedMigrations()).toEqual(expected.migrations);
    expect(await tablesWithCompanyId()).toEqual([]);
    expect(await rows(`SELECT id, singleton FROM company`)).toEqual([
      { id: expected.company.id, singleton: true },
    ]);
    expect(await rowCounts()).toEqual(counts);

    // And up again, as the next deployment would.
    const again = await provisionDatabase({ ownerUrl: target, appUrl: testAppDatabaseUrl(target) });
    expect(again.migrations).toEqual(SINCE_RELEASE);
    expect(await rows(`SELECT id FROM company`)).toEqual([{ id: expected.company.id }]);
    expect(await rowCounts()).toEqual(counts);
  });
});
