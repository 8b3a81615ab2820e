import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { startApp } from '../support/app';
import { createTemporaryClient, rotateRealmSigningKey } from '../support/keycloak-admin';
import { decodeJwtPart, passwordGrant, tokenFor, USERS } from '../support/keycloak';
import { ISSUER } from '../support/env';
import { eventually } from '../support/wait';

/** Serves Keycloak's JWKS on a local port until closed: an identity provider that can go down. */
async function jwksProxy(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    void (async () => {
      try {
        const upstream = await fetch(`${ISSUER}/protocol/openid-connect/certs`);
        res.writeHead(upstream.status, { 'content-type': 'application/json' });
        res.end(await upstream.text());
      } catch {
        res.destroy();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/certs`, server };
}

// Each test boots its own app with a different configuration. Passport keeps strategies in a
// process-wide registry, so these apps must not share a file with a long-lived app.
describe('configurable authentication behaviour', () => {
  it('rejects an expired token (no clock tolerance)', async () => {
    // Long enough for the first request to land before `exp` on a loaded machine (a 1 s token
    // could expire before the app had fetched its keys), short enough to wait out.
    const client = await createTemporaryClient({ audience: true, accessTokenLifespanSeconds: 5 });
    const app = await startApp({ OIDC_CLOCK_TOLERANCE_SECONDS: 0 });
    try {
      const token = await client.token(USERS.admin.username, USERS.admin.password);
      const server = app.app.getHttpServer();
      const me = () => request(server).get('/api/me').set('authorization', `Bearer ${token}`);
      await me().expect(200);
      // Accepted until its `exp`, refused from then on: within a second of it, not 30 s later.
      const expiresAt = Number(decodeJwtPart(token, 1).exp) * 1000;
      const response = await eventually(
        async () => {
          const answer = await me();
          return answer.status === 200 ? undefined : answer;
        },
        Math.max(0, expiresAt - Date.now()) + 1_000,
        'the token to be refused once it expired',
      );
      expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.detail).toMatch(/expired/);
    } finally {
      await app.close();
      await client.remove();
    }
  });

  it('accepts tokens signed with a rotated key without a restart', async () => {
    const app = await startApp();
    try {
      const server = app.app.getHttpServer();
      const before = (await passwordGrant('admin')).access_token;
      await request(server).get('/api/me').set('authorization', `Bearer ${before}`).expect(200);
      const removeKey = await rotateRealmSigningKey();
      try {
        const after = (await passwordGrant('admin')).access_token;
        expect(decodeJwtPart(after, 0).kid).not.toBe(decodeJwtPart(before, 0).kid);
        await request(server).get('/api/me').set('authorization', `Bearer ${after}`).expect(200);
        await request(server).get('/api/me').set('authorization', `Bearer ${before}`).expect(200);
      } finally {
        await removeKey();
      }
    } finally {
      await app.close();
    }
  });

  describe('when Keycloak signing keys cannot be fetched', () => {
    it('answers 503 problem+json with Retry-After, not 401 or 500', async () => {
      const app = await startApp({ OIDC_JWKS_URL: 'http://127.0.0.1:9/certs' });
      try {
        const response = await request(app.app.getHttpServer())
          .get('/api/me')
          .set('authorization', `Bearer ${await tokenFor('admin')}`);
        expect(response.status).toBe(503);
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(response.headers['retry-after']).toBeDefined();
        expect(response.body.code).toBe('SIGNING_KEYS_UNAVAILABLE');
      } finally {
        await app.close();
      }
    });

    it('reports not ready, naming the component', async () => {
      const app = await startApp({ OIDC_JWKS_URL: 'http://127.0.0.1:9/certs' });
      try {
        const ready = await request(app.app.getHttpServer()).get('/health/ready');
        expect(ready.status).toBe(503);
        expect(ready.body.checks).toMatchObject({
          identity_provider_keys: {
            status: 'down',
            identity_provider: 'unreachable',
            keys: 'none',
          },
          database: { status: 'up' },
        });
      } finally {
        await app.close();
      }
    });
  });

  it('stays ready on cached signing keys while the identity provider is down, and says so', async () => {
    const proxy = await jwksProxy();
    const app = await startApp({ OIDC_JWKS_URL: proxy.url });
    try {
      const server = app.app.getHttpServer();
      const token = await tokenFor('admin');
      expect(
        (await request(server).get('/api/me').set('authorization', `Bearer ${token}`)).status,
      ).toBe(200);
      expect((await request(server).get('/health/ready')).body.info.identity_provider_keys).toEqual(
        {
          status: 'up',
          identity_provider: 'reachable',
          keys: 'fetched',
        },
      );
      await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
      proxy.server.closeAllConnections();
      // The probe caches its answer for 15 s; then it finds the issuer gone.
      const ready = await eventually(
        async () => {
          const response = await request(server).get('/health/ready');
          return response.body.info?.identity_provider_keys?.identity_provider === 'unreachable'
            ? response
            : undefined;
        },
        25_000,
        'readiness noticing the identity provider is down',
        500,
      );
      expect(ready.status).toBe(200);
      expect(ready.body.info.identity_provider_keys).toEqual({
        status: 'up',
        identity_provider: 'unreachable',
        keys: 'cached',
      });
      expect(
        (await request(server).get('/api/me').set('authorization', `Bearer ${token}`)).status,
      ).toBe(200);
    } finally {
      await app.close();
      proxy.server.closeAllConnections();
      proxy.server.close();
    }
  }, 45_000);

  it('has no password login route when it is switched off', async () => {
    const app = await startApp({ TOKEN_ENDPOINT_ENABLED: false });
    try {
      const response = await request(app.app.getHttpServer()).post('/api/token/').send(USERS.admin);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('NOT_FOUND');
    } finally {
      await app.close();
    }
  });
});
