import { randomUUID } from 'node:crypto';
import { KEYCLOAK_URL, REALM } from './env';
import { keycloakAdminToken } from './keycloak';

/** Puts the API in the access token's audience, as the realm's own clients do. */
const API_AUDIENCE_MAPPER = {
  name: 'api-audience',
  protocol: 'openid-connect',
  protocolMapper: 'oidc-audience-mapper',
  config: {
    'included.client.audience': 'corporate-os-api',
    'access.token.claim': 'true',
    'id.token.claim': 'false',
  },
};

/** An access token from the realm's token endpoint for this grant. */
async function tokenFor(grant: Record<string, string>): Promise<string> {
  const response = await fetch(`${KEYCLOAK_URL}/realms/${REALM}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(grant),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`token refused: ${body.error}`);
  return body.access_token;
}

export interface TemporaryClient {
  clientId: string;
  /** Password grant for a realm user through this client. */
  token(username: string, password: string): Promise<string>;
  remove(): Promise<void>;
}

/**
 * Creates a short-lived public client in the realm through Keycloak's admin API, so a test can
 * obtain real Keycloak-signed tokens with properties the normal clients never have (no audience,
 * a lifetime of seconds).
 */
export async function createTemporaryClient(options: {
  audience: boolean;
  accessTokenLifespanSeconds?: number;
}): Promise<TemporaryClient> {
  const adminToken = await keycloakAdminToken();
  const clientId = `e2e-${randomUUID().slice(0, 8)}`;
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const base = `${KEYCLOAK_URL}/admin/realms/${REALM}/clients`;
  const created = await fetch(base, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      clientId,
      publicClient: true,
      directAccessGrantsEnabled: true,
      standardFlowEnabled: false,
      attributes: options.accessTokenLifespanSeconds
        ? { 'access.token.lifespan': String(options.accessTokenLifespanSeconds) }
        : {},
      protocolMappers: options.audience ? [API_AUDIENCE_MAPPER] : [],
    }),
  });
  if (created.status !== 201) throw new Error(`could not create client: ${created.status}`);
  const location = created.headers.get('location') ?? '';
  return {
    clientId,
    async token(username, password) {
      return tokenFor({
        grant_type: 'password',
        client_id: clientId,
        username,
        password,
      });
    },
    async remove() {
      await fetch(location, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${adminToken}` },
      });
    },
  };
}

export interface TemporaryUser {
  username: string;
  email: string;
  /** Password grant through the CLI client. */
  token(): Promise<string>;
  remove(): Promise<void>;
}

/** A throwaway realm user with a verified email and the given realm role. */
export async function createTemporaryUser(
  role: 'shareholder' | 'auditor' | 'admin',
  emailVerified = true,
): Promise<TemporaryUser> {
  const adminToken = await keycloakAdminToken();
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const username = `e2e-${randomUUID().slice(0, 8)}`;
  const email = `${username}@example.com`;
  const password = randomUUID();
  const base = `${KEYCLOAK_URL}/admin/realms/${REALM}`;
  const created = await fetch(`${base}/users`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      username,
      email,
      emailVerified,
      enabled: true,
      firstName: 'E2E',
      lastName: username,
      credentials: [{ type: 'password', value: password, temporary: false }],
    }),
  });
  if (created.status !== 201) throw new Error(`could not create user: ${created.status}`);
  const location = created.headers.get('location') ?? '';
  const roleRep = await (await fetch(`${base}/roles/${role}`, { headers })).json();
  await fetch(`${location}/role-mappings/realm`, {
    method: 'POST',
    headers,
    body: JSON.stringify([roleRep]),
  });
  return {
    username,
    email,
    async token() {
      return tokenFor({
        grant_type: 'password',
        client_id: 'corporate-os-cli',
        username,
        password,
      });
    },
    async remove() {
      await fetch(location, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${adminToken}` },
      });
    },
  };
}

/**
 * Adds a new RS256 signing key to the realm with a higher priority than the current one, so new
 * tokens carry a new `kid` (a key rotation). Returns a function that removes it again.
 */
export async function rotateRealmSigningKey(): Promise<() => Promise<void>> {
  const adminToken = await keycloakAdminToken();
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const realm = (await (
    await fetch(`${KEYCLOAK_URL}/admin/realms/${REALM}`, { headers })
  ).json()) as { id: string };
  const created = await fetch(`${KEYCLOAK_URL}/admin/realms/${REALM}/components`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: `e2e-rotated-${randomUUID().slice(0, 8)}`,
      providerId: 'rsa-generated',
      providerType: 'org.keycloak.keys.KeyProvider',
      parentId: realm.id,
      config: {
        priority: ['1000'],
        keySize: ['2048'],
        active: ['true'],
        enabled: ['true'],
        algorithm: ['RS256'],
      },
    }),
  });
  if (created.status !== 201) throw new Error(`could not add a signing key: ${created.status}`);
  const location = created.headers.get('location') ?? '';
  return async () => {
    await fetch(location, { method: 'DELETE', headers: { authorization: `Bearer ${adminToken}` } });
  };
}

export interface TemporaryServiceAccount {
  clientId: string;
  /** A client-credentials token, as an internal tool gets one. */
  token(): Promise<string>;
  remove(): Promise<void>;
}

/**
 * A throwaway confidential client with a service account and no realm role: a tool that may act
 * only where a membership names its client id.
 */
export async function createServiceAccount(): Promise<TemporaryServiceAccount> {
  const adminToken = await keycloakAdminToken();
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const clientId = `e2e-tool-${randomUUID().slice(0, 8)}`;
  const secret = randomUUID();
  const base = `${KEYCLOAK_URL}/admin/realms/${REALM}/clients`;
  const created = await fetch(base, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      clientId,
      publicClient: false,
      secret,
      serviceAccountsEnabled: true,
      standardFlowEnabled: false,
      directAccessGrantsEnabled: false,
      protocolMappers: [API_AUDIENCE_MAPPER],
    }),
  });
  if (created.status !== 201) throw new Error(`could not create client: ${created.status}`);
  const location = created.headers.get('location') ?? '';
  return {
    clientId,
    async token() {
      return tokenFor({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: secret,
      });
    },
    async remove() {
      await fetch(location, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${adminToken}` },
      });
    },
  };
}
