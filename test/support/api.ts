import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { TestApp } from './app';
import { serviceAccountToken, tokenFor, TestUser } from './keycloak';

/** A realm user, the admin service account, nobody, or a raw access token. */
export type Caller = TestUser | 'internal-tool' | 'anonymous' | { token: string };

/** A supertest client that calls the running app as a given Keycloak user. */
export class Api {
  constructor(private readonly testApp: TestApp) {}

  get server(): Parameters<typeof request>[0] {
    return this.testApp.app.getHttpServer();
  }

  private async auth(as: Caller): Promise<Record<string, string>> {
    if (as === 'anonymous') return {};
    if (typeof as === 'object') return { authorization: `Bearer ${as.token}` };
    const token = as === 'internal-tool' ? await serviceAccountToken() : await tokenFor(as);
    return { authorization: `Bearer ${token}` };
  }

  async get(path: string, as: Caller = 'admin') {
    return request(this.server)
      .get(path)
      .set(await this.auth(as));
  }

  async post(
    path: string,
    body: object,
    as: Caller = 'admin',
    headers: Record<string, string> = {},
  ) {
    return request(this.server)
      .post(path)
      .set(await this.auth(as))
      .set(headers)
      .send(body);
  }

  async patch(path: string, body: object, as: Caller = 'admin') {
    return request(this.server)
      .patch(path)
      .set(await this.auth(as))
      .send(body);
  }

  async delete(path: string, as: Caller = 'admin') {
    return request(this.server)
      .delete(path)
      .set(await this.auth(as));
  }

  async put(path: string, body: object, as: Caller = 'admin') {
    return request(this.server)
      .put(path)
      .set(await this.auth(as))
      .send(body);
  }
}

const letters = () =>
  Array.from({ length: 6 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join(
    '',
  );

export const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

/** Small factories with overrides: fresh rows per test, created through the API itself. */
export async function givenCompany(api: Api): Promise<void> {
  const response = await api.put('/api/company', {
    legal_name: 'Acme Robotics Ltd',
    country: 'GB',
    formation_date: '2019-05-01',
    default_currency: 'EUR',
  });
  if (response.status !== 200)
    throw new Error(`company setup failed: ${response.status} ${JSON.stringify(response.body)}`);
}

export async function givenShareholder(
  api: Api,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; name: string; email: string }> {
  const name = unique('Holder');
  const response = await api.post('/api/shareholders/', {
    name,
    email: `${name.toLowerCase()}@example.com`,
    ...overrides,
  });
  if (response.status !== 201)
    throw new Error(
      `shareholder setup failed: ${response.status} ${JSON.stringify(response.body)}`,
    );
  return response.body;
}

export async function givenShareClass(
  api: Api,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; name: string; certificate_prefix: string }> {
  const response = await api.post('/api/share-classes/', {
    name: unique('Class'),
    type: 'PREFERRED',
    authorized_shares: 1_000_000,
    par_value: '0.0001',
    votes_per_share: 1,
    certificate_prefix: letters(),
    ...overrides,
  });
  if (response.status !== 201)
    throw new Error(
      `share class setup failed: ${response.status} ${JSON.stringify(response.body)}`,
    );
  return response.body;
}

export async function givenIssuance(
  api: Api,
  body: Record<string, unknown>,
): Promise<{ id: string; total_amount: string }> {
  const response = await api.post('/api/issuances/', { price: '1', ...body });
  if (response.status !== 201)
    throw new Error(`issuance failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/**
 * The record of shareholder1, shared by every spec file: found by email if an earlier file made it,
 * created otherwise. shareholder2 deliberately never gets a record.
 */
export async function givenShareholderOneRecord(
  api: Api,
): Promise<{ id: string; name: string; email: string }> {
  const found = await api.get('/api/shareholders/?email=shareholder1@example.com');
  const existing = (found.body as Array<{ id: string; name: string; email: string }>).find(
    (h) => h.email.toLowerCase() === 'shareholder1@example.com',
  );
  return (
    existing ??
    givenShareholder(api, { name: 'Shareholder One', email: 'shareholder1@example.com' })
  );
}
