import { KEYCLOAK_URL, REALM } from './env';

export interface TokenSet {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  expires_in: number;
}

export const USERS = {
  admin: { username: 'admin', password: 'adminpass' },
  auditor: { username: 'auditor', password: 'auditorpass' },
  shareholder1: { username: 'shareholder1', password: 'shpass' },
  shareholder2: { username: 'shareholder2', password: 'shpass2' },
} as const;

export type TestUser = keyof typeof USERS;

async function tokenRequest(realm: string, form: Record<string, string>): Promise<TokenSet> {
  const response = await fetch(`${KEYCLOAK_URL}/realms/${realm}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as TokenSet & { error?: string };
  if (!response.ok)
    throw new Error(`Keycloak refused the token request: ${response.status} ${body.error}`);
  return body;
}

/** Password grant through the public CLI client, as a person would log in from a tool. */
export function passwordGrant(user: TestUser, realm = REALM, scope?: string): Promise<TokenSet> {
  return tokenRequest(realm, {
    grant_type: 'password',
    client_id: 'corporate-os-cli',
    ...USERS[user],
    ...(scope ? { scope } : {}),
  });
}

interface CachedToken {
  token: Promise<string>;
  /** When the token stops being worth handing out (a minute before Keycloak expires it). */
  renewAt: number;
}

const cache = new Map<string, CachedToken>();
const RENEW_BEFORE_EXPIRY_MS = 60_000;

/**
 * A cached access token for a realm user. Tokens live 300 s; a suite that runs longer (the fuzz
 * suite in a loaded run) gets a fresh one once the cached one has less than a minute left.
 */
export function tokenFor(user: TestUser): Promise<string> {
  const cached = cache.get(user);
  if (cached && Date.now() < cached.renewAt) return cached.token;
  const entry: CachedToken = { token: Promise.resolve(''), renewAt: Number.POSITIVE_INFINITY };
  entry.token = passwordGrant(user).then((set) => {
    entry.renewAt = Date.now() + set.expires_in * 1000 - RENEW_BEFORE_EXPIRY_MS;
    return set.access_token;
  });
  entry.token.catch(() => cache.delete(user));
  cache.set(user, entry);
  return entry.token;
}

/** Client credentials of the confidential `internal-tool` client (an admin service account). */
export async function serviceAccountToken(): Promise<string> {
  const set = await tokenRequest(REALM, {
    grant_type: 'client_credentials',
    client_id: 'internal-tool',
    client_secret: 'internal-tool-secret',
  });
  return set.access_token;
}

export function decodeJwtPart(token: string, index: 0 | 1): Record<string, unknown> {
  const part = token.split('.')[index] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Master-realm admin access for tests that must change Keycloak itself (never the API). */
export async function keycloakAdminToken(): Promise<string> {
  const set = await tokenRequest('master', {
    grant_type: 'password',
    client_id: 'admin-cli',
    username: process.env.KC_BOOTSTRAP_ADMIN_USERNAME ?? 'kcadmin',
    password: process.env.KC_BOOTSTRAP_ADMIN_PASSWORD ?? 'kcadmin',
  });
  return set.access_token;
}
