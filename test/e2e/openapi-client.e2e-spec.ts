import createClient, { type Client } from 'openapi-fetch';
import type { AddressInfo } from 'node:net';
import type { components, paths } from '../../generated/openapi-types';
import { unique } from '../support/api';
import { startApp, TestApp } from '../support/app';
import { count, closeDb } from '../support/db';
import { TestUser, tokenFor } from '../support/keycloak';

/** What a call may give back (written this way, lint also passes before the types are generated). */
type Maybe<T> = T | undefined;
type Problem = components['schemas']['Problem'];
type Shareholder = components['schemas']['ShareholderResponseDto'];
type CapTable = components['schemas']['CapTableDto'];
/** The media types this client reads: JSON answers and problems (not the CSV and PDF forms). */
type Json = 'application/json' | 'application/problem+json';

/**
 * The TypeScript client generated from the OpenAPI document (openapi-typescript types, called
 * through openapi-fetch) against the running app, with real Keycloak tokens: if the document and
 * the service disagree on a path, a field or an error body, this fails (or `tsc` does).
 */
describe('the client generated from the OpenAPI document', () => {
  let testApp: TestApp;
  let baseUrl: string;

  const clientFor = async (user: TestUser | 'anonymous'): Promise<Client<paths, Json>> =>
    createClient<paths, Json>({
      baseUrl,
      headers: user === 'anonymous' ? {} : { authorization: `Bearer ${await tokenFor(user)}` },
    });

  beforeAll(async () => {
    testApp = await startApp({}, undefined, 0);
    const { port } = testApp.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  it('creates a shareholder, reads it back and finds it in the list', async () => {
    const admin = await clientFor('admin');
    const name = unique('Client Holder');
    const email = `${name.toLowerCase().replace(/\s+/g, '.')}@example.com`;

    const created = await admin.POST('/api/shareholders', { body: { name, email } });
    expect(created.response.status).toBe(201);
    const holder: Maybe<Shareholder> = created.data;
    expect(holder).toMatchObject({ name, email, total_shares: 0 });

    const read = await admin.GET('/api/shareholders/{id}', {
      params: { path: { id: holder?.id ?? '' } },
    });
    expect(read.data).toEqual(holder);

    const listed = await admin.GET('/api/shareholders', { params: { query: { email } } });
    expect(listed.data?.map((h) => h.id)).toEqual([holder?.id]);
    expect(listed.response.headers.get('x-total-count')).toBe('1');
  });

  it('gets a refused write back as a typed Problem, and nothing is stored', async () => {
    const admin = await clientFor('admin');
    const email = `${unique('dup').toLowerCase()}@example.com`;
    await admin.POST('/api/shareholders', { body: { name: 'First', email } });

    const again = await admin.POST('/api/shareholders', {
      body: { name: 'Second', email: email.toUpperCase() },
    });
    const problem: Maybe<Problem> = again.error;
    expect(again.response.status).toBe(409);
    expect(again.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(problem).toMatchObject({
      status: 409,
      code: 'SHAREHOLDER_EMAIL_TAKEN',
      title: 'Conflict',
      instance: '/api/shareholders',
    });
    await expect(
      count('SELECT 1 FROM shareholder WHERE lower(email) = lower($1)', [email]),
    ).resolves.toBe(1);
  });

  it('types validation failures, missing tokens and denied roles as Problems', async () => {
    const admin = await clientFor('admin');
    const invalid = await admin.POST('/api/shareholders', {
      body: { name: '', email: 'not-an-email' },
    });
    expect(invalid.error?.code).toBe('VALIDATION_FAILED');
    expect(invalid.error?.errors?.map((e) => e.field).sort()).toEqual(['email', 'name']);

    const anonymous = await (await clientFor('anonymous')).GET('/api/shareholders');
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.error?.code).toBe('AUTHENTICATION_REQUIRED');

    const auditor = await (await clientFor('auditor')).GET('/api/shareholders');
    expect(auditor.response.status).toBe(403);
    expect(auditor.error?.code).toBe('FORBIDDEN');
  });

  it('reads the cap table as of a date', async () => {
    const admin = await clientFor('admin');
    await admin.PUT('/api/company', {
      body: {
        legal_name: 'Acme Robotics Ltd',
        country: 'GB',
        formation_date: '2019-05-01',
        default_currency: 'EUR',
      },
    });
    const { data, response } = await admin.GET('/api/cap-table', {
      params: { query: { as_of: '2030-01-01' } },
    });
    expect(response.status).toBe(200);
    const table: Maybe<CapTable> = data;
    expect(table?.as_of).toBe('2030-01-01');
    expect(Array.isArray(table?.holders)).toBe(true);
  });
});
