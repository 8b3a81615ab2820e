import { Client } from 'pg';
import { provisionDatabase } from '../../src/core/db/provision';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { closeDb, db } from '../support/db';
import { TEST_APP_ROLE } from '../support/env';

/**
 * What the API's role may do to each table, stated independently of the migrations that grant it.
 * Append-only tables get SELECT and INSERT only; no table grants TRUNCATE, REFERENCES or TRIGGER.
 * The ledger's securities may be spent (UPDATE of status, spent_by_transaction_id and spent_on,
 * granted per column, which this table of table-wide grants does not list) and nothing else.
 */
const EXPECTED_GRANTS: Record<string, string[]> = {
  audit_checkpoint: ['INSERT', 'SELECT'],
  audit_entry: ['INSERT', 'SELECT'],
  authorized_shares_adjustment: ['INSERT', 'SELECT'],
  certificate: ['INSERT', 'SELECT', 'UPDATE'],
  certificate_assignment: ['INSERT', 'SELECT'],
  // A reinstated security's cancellation marker is removed (its certificates keep the history).
  certificate_cancellation: ['DELETE', 'INSERT', 'SELECT'],
  certificate_counter: ['INSERT', 'SELECT', 'UPDATE'],
  certificate_request: ['DELETE', 'INSERT', 'SELECT', 'UPDATE'],
  company: ['INSERT', 'SELECT', 'UPDATE'],
  company_authorized_shares_adjustment: ['INSERT', 'SELECT'],
  stock_plan: ['INSERT', 'SELECT'],
  stock_plan_pool_adjustment: ['INSERT', 'SELECT'],
  vesting_terms: ['INSERT', 'SELECT'],
  equity_grant: ['INSERT', 'SELECT'],
  equity_grant_transaction: ['INSERT', 'SELECT'],
  company_member: ['DELETE', 'INSERT', 'SELECT', 'UPDATE'],
  conversion_ratio_adjustment: ['INSERT', 'SELECT'],
  idempotency_key: ['DELETE', 'INSERT', 'SELECT', 'UPDATE'],
  issuance: ['INSERT', 'SELECT'],
  ocf_retained_object: ['INSERT', 'SELECT'],
  outbox_event: ['INSERT', 'SELECT', 'UPDATE'],
  processed_event: ['INSERT', 'SELECT'],
  share_class: ['INSERT', 'SELECT', 'UPDATE'],
  shareholder: ['INSERT', 'SELECT', 'UPDATE'],
  shareholder_version: ['INSERT', 'SELECT'],
  stock_class_split: ['INSERT', 'SELECT'],
  stock_transaction: ['INSERT', 'SELECT'],
};

/** The API's own connection: the login role the suite's apps use. */
async function asApi<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs one statement as the API's role and gives the SQLSTATE it failed with (or 'ok'). */
function outcomeAsApi(statement: string): Promise<string> {
  return asApi(async (client) => {
    try {
      await client.query('BEGIN');
      await client.query(statement);
      return 'ok';
    } catch (error) {
      return (error as { code: string }).code;
    } finally {
      await client.query('ROLLBACK');
    }
  });
}

describe('database roles: the API connects with least privilege', () => {
  afterAll(() => closeDb());

  it('connects as a plain login role that owns nothing and bypasses nothing', async () => {
    const [me] = await asApi(async (c) => (await c.query('SELECT current_user AS me')).rows);
    expect(me.me).toBe(TEST_APP_ROLE);
    const { rows } = await db().query(
      `SELECT r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb, r.rolreplication,
              (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owned,
              has_schema_privilege(r.oid, 'public', 'CREATE') AS may_create,
              pg_has_role(r.oid, 'corporate_os_app', 'MEMBER') AS member
         FROM pg_roles r WHERE rolname = $1`,
      [TEST_APP_ROLE],
    );
    expect(rows[0]).toEqual({
      rolsuper: false,
      rolbypassrls: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      owned: 0,
      may_create: false,
      member: true,
    });
  });

  it('holds exactly the expected privileges on every table of the schema', async () => {
    const { rows } = await db().query<{ table: string; privileges: string[] }>(
      `SELECT c.relname AS table,
              coalesce(array_agg(p.privilege_type::text ORDER BY p.privilege_type)
                         FILTER (WHERE p.privilege_type IS NOT NULL), '{}'::text[]) AS privileges
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN information_schema.role_table_grants p
                ON p.table_schema = 'public' AND p.table_name = c.relname
               AND p.grantee = 'corporate_os_app'
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v')
          AND c.relname <> 'schema_migrations'
        GROUP BY c.relname ORDER BY c.relname`,
    );
    expect(Object.fromEntries(rows.map((row) => [row.table, row.privileges]))).toEqual(
      EXPECTED_GRANTS,
    );
  });

  it.each([
    [
      'disable the audit trigger',
      'ALTER TABLE audit_entry DISABLE TRIGGER trg_audit_entry_append_only',
    ],
    ['disable every trigger', 'ALTER TABLE audit_entry DISABLE TRIGGER ALL'],
    ['drop the audit trigger', 'DROP TRIGGER trg_audit_entry_append_only ON audit_entry'],
    [
      'replace the trigger function',
      'CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$',
    ],
    ['skip triggers by replication role', 'SET session_replication_role = replica'],
    ['rewrite an audit entry', 'UPDATE audit_entry SET actor_name = actor_name'],
    ['delete audit entries', 'DELETE FROM audit_entry'],
    ['delete holder history', 'DELETE FROM shareholder_version'],
    ['truncate the audit log', 'TRUNCATE audit_entry'],
    ['truncate the ledger', 'TRUNCATE issuance CASCADE'],
    ["rewrite a security's quantity", 'UPDATE issuance SET number_of_shares = number_of_shares'],
    ['move a security to another holder', 'UPDATE issuance SET shareholder_id = shareholder_id'],
    ['rewrite a ledger transaction', 'UPDATE stock_transaction SET quantity = quantity'],
    ['delete a ledger transaction', 'DELETE FROM stock_transaction'],
    ['alter a table', 'ALTER TABLE issuance ADD COLUMN note text'],
    ['drop a table', 'DROP TABLE outbox_event'],
    ['create a table', 'CREATE TABLE intruder (id int)'],
    // GRANT without the grant option only warns; what matters is that nothing was granted.
    [
      'grant itself more',
      'GRANT UPDATE ON audit_entry TO CURRENT_USER; UPDATE audit_entry SET seq = seq',
    ],
    ['turn row security off', 'ALTER TABLE shareholder DISABLE ROW LEVEL SECURITY'],
  ])('may not %s', async (_what, statement) => {
    // 42501 insufficient_privilege; 42883 would mean the function was missing (never here).
    await expect(outcomeAsApi(statement)).resolves.toBe('42501');
  });

  it('may do what the service does: read and append the audit log', async () => {
    await expect(outcomeAsApi('SELECT count(*) FROM audit_entry')).resolves.toBe('ok');
    await expect(
      outcomeAsApi(`SELECT pg_notify('read_cache', 'probe'), pg_advisory_xact_lock(1)`),
    ).resolves.toBe('ok');
  });

  it('provisioning refuses to hand the API a privileged role', async () => {
    const owner = process.env.TEST_DATABASE_OWNER_URL as string;
    await expect(provisionDatabase({ ownerUrl: owner, appUrl: owner })).rejects.toThrow(
      /owner of the schema/,
    );
    const superuser = new URL(owner);
    superuser.username = 'corporate_os_test_superuser';
    await db().query(
      `DO $$ BEGIN CREATE ROLE corporate_os_test_superuser SUPERUSER;
       EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
    );
    await expect(
      provisionDatabase({ ownerUrl: owner, appUrl: superuser.toString() }),
    ).rejects.toThrow(/is a superuser/);
  });

  it('in production the API refuses to start as the owner of the tables', async () => {
    const main = promisify(execFile)(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join('src', 'main.ts')],
      {
        cwd: join(__dirname, '..', '..'),
        env: {
          ...process.env,
          NODE_ENV: 'production',
          DATABASE_URL: process.env.TEST_DATABASE_OWNER_URL,
          DB_MIGRATE_ON_START: 'false',
          PORT: '0',
        },
        timeout: 60_000,
      },
    );
    await expect(main).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/is a superuser.*Refusing to start/),
    });
  });
});
