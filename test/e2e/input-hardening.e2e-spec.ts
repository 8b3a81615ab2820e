import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Api, givenCompany, givenShareClass, givenShareholder, unique } from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, count } from '../support/db';
import { tokenFor } from '../support/keycloak';
import { eventually } from '../support/wait';

/** What every refused request must leave unchanged: the rows of every table a write could touch. */
const TABLES = [
  'shareholder',
  'shareholder_version',
  'share_class',
  'issuance',
  'company',
  'certificate',
  'outbox_event',
];

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = await count(`SELECT 1 FROM ${table}`);
  return counts;
}

/** Events not yet delivered and certificates not yet rendered, of any suite that ran before. */
const BACKGROUND = `SELECT 1 FROM outbox_event WHERE delivered_at IS NULL AND dead_lettered_at IS NULL
                   UNION ALL SELECT 1 FROM certificate_request`;

/**
 * Waits until background work has settled: the relay of this suite's app also delivers what
 * earlier suites left behind (a certificate rendered then adds a certificate and its event), and
 * that must not be taken for a write by a refused request.
 */
async function backgroundSettled(): Promise<void> {
  await eventually(
    async () => ((await count(BACKGROUND)) === 0 ? true : undefined),
    30_000,
    'event delivery and certificate renders to settle',
  );
}

/**
 * Bad input is a clear 400 problem naming the field, everywhere, before authentication, and writes
 * nothing: control characters and unpaired surrogates in any text, bodies nested too deep, JSON
 * bodies that are not objects, codes in the wrong case.
 */
describe('input hardening', () => {
  let testApp: TestApp;
  let api: Api;
  let admin: string;
  let holderId: string;
  let classId: string;

  beforeAll(async () => {
    testApp = await startApp();
    api = new Api(testApp);
    await givenCompany(api);
    holderId = (await givenShareholder(api)).id;
    classId = (await givenShareClass(api)).id;
    admin = `Bearer ${await tokenFor('admin')}`;
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });
  // Before each test's "before" counts.
  beforeEach(backgroundSettled, 35_000);

  /** Sends raw JSON text (so unpaired surrogates reach the server as written). */
  function send(method: 'post' | 'patch' | 'put', path: string, json: string) {
    return request(api.server)
      [method](path)
      .set('authorization', admin)
      .set('content-type', 'application/json')
      .send(json);
  }

  function expectRefused(response: request.Response, field: string, message: RegExp): void {
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors).toEqual([{ field, messages: [expect.stringMatching(message)] }]);
  }

  const writes = (): Array<[string, 'post' | 'patch' | 'put', string, Record<string, unknown>]> => [
    ['create holder', 'post', '/api/shareholders/', { name: 'X', email: `${unique('a')}@e.com` }],
    ['create holder (user_id)', 'post', '/api/shareholders/', { name: 'X', user_id: 'u' }],
    ['create holder (address)', 'post', '/api/shareholders/', { name: 'X', address: 'Main St 1' }],
    ['update holder', 'patch', `/api/shareholders/${holderId}`, { name: 'X' }],
    ['company', 'put', '/api/company', { legal_name: 'X', country: 'GB' }],
    ['create class', 'post', '/api/share-classes/', { name: 'X', legend_text: 'L' }],
    ['update class', 'patch', `/api/share-classes/${classId}`, { legend_text: 'L' }],
    ['reissue', 'post', `/api/certificates/${randomUUID()}/reissue`, { reason: 'R' }],
    ['void', 'post', `/api/certificates/${randomUUID()}/void`, { reason: 'R' }],
  ];

  it('refuses a NUL or another control character in any text field, naming it, writing nothing', async () => {
    const before = await rowCounts();
    for (const [, method, path, body] of writes()) {
      for (const [field, value] of Object.entries(body)) {
        for (const bad of [`${String(value)}\u0000x`, `${String(value)}\u001bx`]) {
          const response = await send(method, path, JSON.stringify({ ...body, [field]: bad }));
          expectRefused(response, field, /control characters/);
        }
      }
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses an unpaired surrogate in any text field, naming it, writing nothing', async () => {
    const before = await rowCounts();
    for (const [, method, path, body] of writes()) {
      const [field] = Object.keys(body) as [string];
      const json = JSON.stringify({ ...body, [field]: 'a\ud800b' });
      expect(json).toContain('\\ud800');
      expectRefused(await send(method, path, json), field, /unpaired surrogate/);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses control characters in query strings', async () => {
    for (const path of [
      '/api/audit?actor=%00',
      '/api/audit?entity_id=%00',
      '/api/shareholders?q=%00',
      '/api/shareholders?q=a%1Fb',
    ]) {
      const response = await request(api.server).get(path).set('authorization', admin);
      const field = path.split('?')[1]?.split('=')[0] ?? '';
      expectRefused(response, field, /control characters/);
    }
  });

  it('refuses a login name with a NUL before asking the identity provider', async () => {
    const response = await request(api.server)
      .post('/api/token/')
      .type('form')
      .send({ username: 'adm\u0000in', password: 'x' });
    expectRefused(response, 'username', /control characters/);
  });

  it('accepts tabs, line breaks and any well-formed Unicode', async () => {
    const response = await api.post('/api/shareholders/', {
      name: 'Zoë 数字 😀',
      email: `${unique('ok')}@example.com`,
      address: 'Main St 1\r\nFlat 2\tBack',
    });
    expect(response.status).toBe(201);
  });

  it('refuses bodies nested too deep with 400 problem+json, before authentication', async () => {
    const deep = `${'['.repeat(3000)}${']'.repeat(3000)}`;
    for (const [path, json] of [
      ['/api/token/', deep],
      ['/api/shareholders/', `{"name": ${deep}}`],
    ] as const) {
      const response = await request(api.server)
        .post(path)
        .set('content-type', 'application/json')
        .send(json);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.errors[0].messages[0]).toMatch(/nest more than|JSON object/);
    }
  });

  it('refuses a PATCH body that is not an object, changing nothing', async () => {
    const before = await rowCounts();
    for (const path of [`/api/shareholders/${holderId}`, `/api/share-classes/${classId}`]) {
      for (const json of ['[]', '"s"', '123', 'null', 'true']) {
        expectRefused(await send('patch', path, json), 'body', /must be a JSON object/);
      }
    }
    expect(await rowCounts()).toEqual(before);
  });

  /** Each is two characters to the database (U+2764 U+FE0F), one to class-validator's MaxLength. */
  const hearts = (n: number) => '\u2764\ufe0f'.repeat(n);

  it('counts text lengths as the database does: too long is a 400 naming the field, not a 500', async () => {
    const before = await rowCounts();
    const email = () => `${unique('hearts')}@example.com`;
    const newClass = {
      type: 'PREFERRED',
      authorized_shares: 10,
      par_value: '1',
      votes_per_share: 1,
      certificate_prefix: 'HRT',
    };
    const cases: Array<['post' | 'patch' | 'put', string, Record<string, unknown>, string]> = [
      ['post', '/api/shareholders/', { name: hearts(200), email: email() }, 'name'],
      [
        'post',
        '/api/shareholders/',
        { name: 'X', email: email(), user_id: hearts(255) },
        'user_id',
      ],
      ['patch', `/api/shareholders/${holderId}`, { name: hearts(200) }, 'name'],
      ['post', '/api/share-classes/', { ...newClass, name: hearts(100) }, 'name'],
      ['patch', `/api/share-classes/${classId}`, { name: hearts(100) }, 'name'],
      [
        'put',
        '/api/company',
        {
          legal_name: hearts(300),
          country: 'GB',
          formation_date: '2020-01-01',
          default_currency: 'EUR',
        },
        'legal_name',
      ],
      ['post', '/api/token/', { username: hearts(255), password: 'x' }, 'username'],
    ];
    for (const [method, path, body, field] of cases) {
      expectRefused(
        await send(method, path, JSON.stringify(body)),
        field,
        /at most \d+ characters/,
      );
    }
    expect(await rowCounts()).toEqual(before);

    const stored = await api.post('/api/shareholders/', { name: hearts(100), email: email() });
    expect(stored.status).toBe(201);
    expect(stored.body.name).toBe(hearts(100));
  });

  it('records a failed login with the longest username allowed', async () => {
    const username = `${hearts(127)}x`; // 255 characters
    const response = await request(api.server)
      .post('/api/token/')
      .send({ username, password: 'x' });
    expect(response.status).toBe(401);
    const sql = "SELECT 1 FROM outbox_event WHERE type = 'auth.login_failed' AND aggregate_id = $1";
    await eventually(async () => ((await count(sql, [username])) === 1 ? true : undefined));
  });

  it('refuses lower-case currency and country codes with 400 naming the field', async () => {
    const before = await rowCounts();
    const issuance = await api.post('/api/issuances/', {
      shareholder_id: holderId,
      share_class_id: classId,
      number_of_shares: 1,
      price: '1',
      currency: 'eur',
    });
    expect(issuance.status).toBe(400);
    expect(issuance.body.errors).toEqual([
      { field: 'currency', messages: [expect.stringMatching(/upper case/)] },
    ]);
    for (const [field, value] of [
      ['default_currency', 'eur'],
      ['country', 'gb'],
    ] as const) {
      const company = await api.put('/api/company', {
        legal_name: 'Acme',
        country: 'GB',
        formation_date: '2020-01-01',
        default_currency: 'EUR',
        [field]: value,
      });
      expect(company.status).toBe(400);
      expect(company.body.errors).toEqual([
        { field, messages: [expect.stringMatching(/upper case/)] },
      ]);
    }
    expect(await rowCounts()).toEqual(before);
  });
});
