import request from 'supertest';
import { startApp, TestApp } from '../support/app';

describe('HTTP edge', () => {
  let testApp: TestApp;
  let server: Parameters<typeof request>[0];

  beforeAll(async () => {
    testApp = await startApp();
    server = testApp.app.getHttpServer();
  });
  afterAll(() => testApp.close());

  it('reports liveness and readiness (database and Keycloak keys) without a token', async () => {
    await request(server).get('/health/live').expect(200);
    const ready = await request(server).get('/health/ready').expect(200);
    expect(ready.body.info).toMatchObject({
      database: { status: 'up' },
      identity_provider_keys: { status: 'up' },
    });
  });

  it('returns the caller request id, or makes one', async () => {
    const given = await request(server)
      .get('/health/live')
      .set('x-request-id', 'abc-123')
      .expect(200);
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await request(server)
      .get('/health/live')
      .set('x-request-id', 'bad id with spaces');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const response = await request(server)
      .post('/api/token/')
      .set('content-type', 'application/json')
      .send('{"username": ');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({
      status: 400,
      code: 'MALFORMED_REQUEST',
      instance: '/api/token/',
    });
  });

  it('answers an unsupported content type with 415 problem+json', async () => {
    const response = await request(server)
      .post('/api/token/')
      .set('content-type', 'text/csv')
      .send('a,b');
    expect(response.status).toBe(415);
    expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const response = await request(server).get('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('answers a method a known path does not support with 405 problem+json and Allow, before authentication', async () => {
    for (const [method, path, allow] of [
      ['delete', '/api/shareholders/3f0e0d3c-0a4e-4c1b-9a5e-2d7f0c8b9e11', 'GET, HEAD, PATCH'],
      ['put', '/api/token/', 'POST'],
      ['delete', '/api/company', 'GET, HEAD, PUT'],
      ['post', '/health/live', 'GET, HEAD'],
    ] as const) {
      const response = await request(server)
        [method](path)
        .set('content-type', 'application/json')
        .send('{');
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe(allow);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.body).toMatchObject({
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        instance: path,
      });
    }
  });

  it('still answers a method on a path no route serves with 404', async () => {
    const response = await request(server).delete('/api/nothing-here/1');
    expect(response.status).toBe(404);
    expect(response.headers.allow).toBeUndefined();
    expect(response.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('serves the OpenAPI document with the Keycloak PKCE login', async () => {
    const response = await request(server).get('/docs-json').expect(200);
    const scheme = response.body.components.securitySchemes.keycloak;
    expect(scheme.flows.authorizationCode.authorizationUrl).toMatch(
      /\/realms\/corporate-os\/protocol\/openid-connect\/auth$/,
    );
    expect(response.body.paths['/api/me']).toBeDefined();
  });

  it('sets security headers', async () => {
    const response = await request(server).get('/health/live');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  });

  it('answers an over-long URL with problem+json, the request id and the security headers, without echoing it', async () => {
    const id = 'x'.repeat(150);
    const response = await request(server).get(`/api/issuances/${id}`);
    expect(response.status).toBe(414);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toMatchObject({ status: 414, code: 'URI_TOO_LONG' });
    expect(response.text).not.toContain(id);
  });

  it('answers a body over the size limit with 413 problem+json', async () => {
    const response = await request(server)
      .post('/api/token/')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ username: 'u'.repeat(2_000_000), password: 'p' }));
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.headers['x-request-id']).toBeDefined();
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
