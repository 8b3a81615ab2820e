import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { provisionDatabase } from '../../src/core/db/provision';
import {
  ISSUER,
  TEST_DATABASE_ADMIN_URL,
  TEST_DATABASE_NAME,
  testAppDatabaseUrl,
  testDatabaseUrl,
} from './env';
import { giveDevUsersMemberships } from './memberships';

/**
 * Creates a fresh test database and provisions it once for the whole e2e run, as a deployment
 * does: migrations as the owner, then the API's login role. The apps under test connect as that
 * role (DATABASE_URL); tests that inspect or tamper with the database directly use the owner
 * (TEST_DATABASE_OWNER_URL, see db.ts).
 */
export default async function globalSetup(): Promise<void> {
  if (!TEST_DATABASE_NAME.includes('test')) {
    throw new Error(
      `Refusing to run e2e tests against database "${TEST_DATABASE_NAME}": its name lacks "test"`,
    );
  }
  const admin = new Client({ connectionString: TEST_DATABASE_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${TEST_DATABASE_NAME}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEST_DATABASE_NAME}"`);
  } finally {
    await admin.end();
  }
  const url = testDatabaseUrl(TEST_DATABASE_ADMIN_URL);
  // Before provisioning: its logger (and every app's) writes at this level.
  process.env.LOG_LEVEL ??= 'silent';
  const appUrl = testAppDatabaseUrl(url);
  await provisionDatabase({ ownerUrl: url, appUrl });
  await giveDevUsersMemberships(url);

  process.env.NODE_ENV = 'test';
  process.env.DATABASE_URL = appUrl;
  process.env.TEST_DATABASE_OWNER_URL = url;
  process.env.OIDC_ISSUER_URL ??= ISSUER;
  process.env.DB_MIGRATE_ON_START = 'false';
  process.env.ENCRYPTION_KEYS ??= `test:${randomBytes(32).toString('base64')}`;
  // One signing key for the whole run: every app of it verifies the checkpoints of the others.
  process.env.AUDIT_CHECKPOINT_SIGNING_KEY ??= generateKeyPairSync('ed25519')
    .privateKey.export({ format: 'der', type: 'pkcs8' })
    .toString('base64');
}
