import request from 'supertest';
import { Api, givenCompany, givenShareClass, givenShareholder, unique } from '../support/api';
import { startApp, TestApp } from '../support/app';
import { startChildApp } from '../support/child-app';
import { closeDb, count } from '../support/db';
import { tokenFor } from '../support/keycloak';
import { eventually } from '../support/wait';

describe('operations', () => {
  afterAll(() => closeDb());

  describe('/metrics', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await startApp({ OUTBOX_POLL_INTERVAL_MS: 50 });
    });
    afterAll(() => testApp.close());

    it('exposes request, error, issuance, outbox and JWKS series after traffic', async () => {
      const api = new Api(testApp);
      await givenCompany(api);
      const holder = await givenShareholder(api);
      const shareClass = await givenShareClass(api);
      await api.post('/api/issuances/', {
        shareholder_id: holder.id,
        share_class_id: shareClass.id,
        number_of_shares: 5,
        price: '1',
      });
      await api.get('/api/shareholders/', 'auditor');
      await eventually(async () =>
        (await count(
          'SELECT 1 FROM outbox_event WHERE delivered_at IS NULL AND aggregate_id = $1',
          [holder.id],
        )) === 0
          ? true
          : undefined,
      );
      const response = await request(api.server).get('/metrics');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      const text = response.text;
      expect(text).toMatch(
        /http_request_duration_seconds_bucket\{[^}]*method="POST",route="\/api\/issuances",status_code="201"/,
      );
      expect(text).toMatch(
        /http_request_errors_total\{method="GET",route="\/api\/shareholders",status_code="403"\} 1/,
      );
      expect(text).toMatch(/cap_table_issuances_created_total [1-9]/);
      expect(text).toMatch(/outbox_pending_events \d+/);
      expect(text).toMatch(/outbox_delivery_lag_seconds_count [1-9]/);
      expect(text).toMatch(/# TYPE jwks_fetch_failures_total counter/);
      expect(text).toMatch(/# TYPE certificate_render_duration_seconds histogram/);
      expect(text).toMatch(/process_resident_memory_bytes/);
      expect(text).not.toMatch(/route="\/api\/shareholders\/[0-9a-f-]{36}"/);
    });
  });

  it('requires the metrics token when one is configured', async () => {
    const app = await startApp({ METRICS_TOKEN: 'a-long-metrics-token-for-tests' });
    try {
      const server = app.app.getHttpServer();
      expect((await request(server).get('/metrics')).status).toBe(403);
      expect(
        (
          await request(server)
            .get('/metrics')
            .set('authorization', 'Bearer wrong-token-of-some-length')
        ).status,
      ).toBe(403);
      const ok = await request(server)
        .get('/metrics')
        .set('authorization', 'Bearer a-long-metrics-token-for-tests');
      expect(ok.status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('answers 429 problem+json with Retry-After past the per-principal limit, and limits logins per IP harder', async () => {
    const app = await startApp({ THROTTLE_LIMIT: 3, THROTTLE_LOGIN_LIMIT: 2 });
    try {
      const server = app.app.getHttpServer();
      const admin = `Bearer ${await tokenFor('admin')}`;
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await request(server).get('/api/me').set('authorization', admin)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await request(server).get('/api/me').set('authorization', admin);
      expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(limited.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Another principal has its own budget.
      expect(
        (
          await request(server)
            .get('/api/me')
            .set('authorization', `Bearer ${await tokenFor('auditor')}`)
        ).status,
      ).toBe(200);

      const login = () =>
        request(server).post('/api/token/').send({ username: 'auditor', password: 'auditorpass' });
      expect((await login()).status).toBe(200);
      expect((await login()).status).toBe(200);
      const third = await login();
      expect(third.status).toBe(429);
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('refuses a 5 MB body with 413 problem+json and stores nothing', async () => {
    const app = await startApp();
    try {
      const before = await count('SELECT 1 FROM shareholder');
      const response = await request(app.app.getHttpServer())
        .post('/api/shareholders/')
        .set('authorization', `Bearer ${await tokenFor('admin')}`)
        .send({ name: 'x'.repeat(5 * 1024 * 1024), email: 'big@example.com' });
      expect(response.status).toBe(413);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await count('SELECT 1 FROM shareholder')).toBe(before);
    } finally {
      await app.close();
    }
  });

  it('sets security headers', async () => {
    const app = await startApp();
    try {
      const response = await request(app.app.getHttpServer()).get('/health/live');
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': expect.stringMatching(/max-age=\d+/),
        'referrer-policy': 'no-referrer',
      });
      expect(response.headers['content-security-policy']).toMatch(/default-src 'self'/);
    } finally {
      await app.close();
    }
  });

  it('loses no accepted request on SIGTERM under load and leaves no acknowledged event undelivered', async () => {
    const child = await startChildApp({ OUTBOX_POLL_INTERVAL_MS: '60000' });
    try {
      const admin = `Bearer ${await tokenFor('admin')}`;
      const tag = unique('term').toLowerCase();
      let answered = 0;
      let firstAnswers: () => void = () => undefined;
      const someAnswered = new Promise<void>((resolve) => (firstAnswers = resolve));
      const attempts = Array.from({ length: 60 }, (_, i) =>
        fetch(`${child.url}/api/shareholders/`, {
          method: 'POST',
          headers: { authorization: admin, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `${tag} ${i}`, email: `${tag}-${i}@example.com` }),
        }).then(
          async (r) => {
            if (++answered === 5) firstAnswers();
            return {
              status: r.status,
              id: r.status === 201 ? ((await r.json()) as { id: string }).id : undefined,
            };
          },
          () => ({ status: 0, id: undefined }),
        ),
      );
      // Terminate while most requests are still in flight.
      await someAnswered;
      child.process.kill('SIGTERM');
      const results = await Promise.all(attempts);
      const [code] = (await child.exited) as [number | null];
      expect(code).toBe(0);

      const accepted = results.filter((r) => r.status === 201).map((r) => r.id as string);
      expect(accepted.length).toBeGreaterThan(0);
      expect(results.every((r) => [201, 503, 0].includes(r.status))).toBe(true);
      expect(await count('SELECT 1 FROM shareholder WHERE id = ANY($1)', [accepted])).toBe(
        accepted.length,
      );
      expect(
        await count(
          'SELECT 1 FROM outbox_event WHERE aggregate_id = ANY($1) AND delivered_at IS NULL',
          [accepted],
        ),
      ).toBe(0);
      expect(await count('SELECT 1 FROM audit_entry WHERE entity_id = ANY($1)', [accepted])).toBe(
        accepted.length,
      );
    } finally {
      child.process.kill('SIGKILL');
    }
  });
});
