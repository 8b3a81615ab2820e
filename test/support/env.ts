/** Where the e2e suite finds its real dependencies; scripts/test.sh sets these. */
export const KEYCLOAK_URL = process.env.KEYCLOAK_URL ?? 'http://localhost:8080';
export const REALM = 'corporate-os';
export const ISSUER = `${KEYCLOAK_URL}/realms/${REALM}`;
export const OTHER_REALM = 'corporate-os-other';

export const TEST_DATABASE_NAME = process.env.TEST_DATABASE_NAME ?? 'corporate_os_test';

export function testDatabaseUrl(adminUrl: string, database = TEST_DATABASE_NAME): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export const TEST_DATABASE_ADMIN_URL =
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The API's login role in tests, on every test database of the server (roles belong to the
 * cluster). The password only matters where the server asks for one (the embedded fallback).
 */
export const TEST_APP_ROLE = 'corporate_os_api_test';

export function testAppDatabaseUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  url.username = TEST_APP_ROLE;
  url.password = 'corporate-os-api-test';
  return url.toString();
}
