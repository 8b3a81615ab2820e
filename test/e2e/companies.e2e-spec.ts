import { randomUUID } from 'node:crypto';
import { DefaultCompany } from '../../src/core/tenancy/default-company';
import { createOpenApiDocument } from '../../src/openapi-document';
import { Api, givenCompany, unique } from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, count, db } from '../support/db';
import {
  createServiceAccount,
  createTemporaryUser,
  TemporaryServiceAccount,
  TemporaryUser,
} from '../support/keycloak-admin';

const COMPANY_DETAILS = {
  legal_name: 'Second Holdings AG',
  country: 'CH',
  formation_date: '2020-02-02',
  default_currency: 'CHF',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Many companies through the API, with real Keycloak tokens: the company routes, memberships and
 * their roles, the unscoped-route rule, the investor's view across companies, and the 404 that
 * keeps one company's ids from being probed by another's members.
 */
describe('companies and their members', () => {
  let testApp: TestApp;
  let api: Api;
  let companyA: string;
  let companyB: string;
  let adminOfA: TemporaryUser;
  let investor: TemporaryUser;
  let auditor: TemporaryUser;
  let tool: TemporaryServiceAccount;
  const as = async (who: { token(): Promise<string> }) => ({ token: await who.token() });
  const className = `Ordinary ${randomUUID().slice(0, 6)}`;
  const prefix = 'ORD';
  const holdingOf = { a: { holder: '', shares: 300 }, b: { holder: '', shares: 45 } };

  /** Sets up a company's class and the investor's holding in it, as its platform admin. */
  async function holdIn(company: string, shares: number): Promise<string> {
    const base = `/api/companies/${company}`;
    const shareClass = await api.post(`${base}/share-classes`, {
      name: className,
      type: 'COMMON',
      authorized_shares: 1_000_000,
      par_value: '0.01',
      votes_per_share: 1,
      certificate_prefix: prefix,
    });
    expect(shareClass.status).toBe(201);
    const holder = await api.post(`${base}/shareholders/`, {
      name: 'Ada Investor',
      email: investor.email,
    });
    expect(holder.status).toBe(201);
    const issued = await api.post(`${base}/issuances/`, {
      shareholder_id: holder.body.id,
      share_class_id: shareClass.body.id,
      number_of_shares: shares,
      price: '1',
    });
    expect(issued.status).toBe(201);
    // Someone else holds the rest, so the investor's percentage is theirs alone.
    const other = await api.post(`${base}/shareholders/`, {
      name: unique('Other'),
      email: `${unique('other')}@example.com`,
    });
    await api.post(`${base}/issuances/`, {
      shareholder_id: other.body.id,
      share_class_id: shareClass.body.id,
      number_of_shares: shares * 3,
      price: '1',
    });
    return holder.body.id as string;
  }

  async function addMember(company: string, body: object, by: object | 'admin' = 'admin') {
    const response = await api.post(`/api/companies/${company}/members`, body, by as never);
    expect(response.status).toBe(201);
    return response.body as { id: string; role: string; status: string };
  }

  beforeAll(async () => {
    testApp = await startApp({ OUTBOX_POLL_INTERVAL_MS: 50 });
    api = new Api(testApp);
    await givenCompany(api);
    companyA = await testApp.app.get(DefaultCompany).id();
    const created = await api.post('/api/companies/', COMPANY_DETAILS);
    expect(created.status).toBe(201);
    companyB = created.body.id;

    [adminOfA, investor, auditor] = await Promise.all([
      createTemporaryUser('shareholder'),
      createTemporaryUser('shareholder'),
      createTemporaryUser('shareholder'),
    ]);
    tool = await createServiceAccount();
    await addMember(companyA, { role: 'admin', email: adminOfA.email });
    await addMember(companyA, { role: 'shareholder', email: investor.email });
    await addMember(companyB, { role: 'shareholder', email: investor.email });
    await addMember(companyB, { role: 'admin', client_id: tool.clientId });
    holdingOf.a.holder = await holdIn(companyA, holdingOf.a.shares);
    holdingOf.b.holder = await holdIn(companyB, holdingOf.b.shares);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([adminOfA, investor, auditor, tool].map((who) => who?.remove()));
    await testApp.close();
    await closeDb();
  });

  it('creates companies for platform administrators only, and lists each caller’s own', async () => {
    expect(companyB).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await api.post('/api/companies/', COMPANY_DETAILS, await as(adminOfA));
    expect(refused.status).toBe(403);
    expect((await api.get(`/api/companies/${companyB}`)).body).toMatchObject({
      id: companyB,
      ...COMPANY_DETAILS,
      version: 1,
    });

    const mine = await api.get('/api/companies/', await as(investor));
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual(
      expect.arrayContaining([
        { id: companyA, legal_name: 'Acme Robotics Ltd', roles: ['shareholder'] },
        { id: companyB, legal_name: COMPANY_DETAILS.legal_name, roles: ['shareholder'] },
      ]),
    );
    expect(mine.body).toHaveLength(2);
    const admins = await api.get('/api/companies/', await as(adminOfA));
    expect(admins.body).toEqual([
      { id: companyA, legal_name: 'Acme Robotics Ltd', roles: ['admin'] },
    ]);
    const platform = (await api.get('/api/companies/')).body as Array<{
      id: string;
      roles: string[];
    }>;
    expect(platform.map((c) => c.id)).toEqual(expect.arrayContaining([companyA, companyB]));
    expect(new Set(platform.flatMap((c) => c.roles))).toEqual(new Set(['admin']));
  });

  it('asks a member of several companies to name one on an unscoped route (409)', async () => {
    const response = await api.get('/api/cap-table', await as(investor));
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({
      code: 'COMPANY_REQUIRED',
      errors: [{ field: 'company_id' }],
    });
    expect([...response.body.company_ids].sort()).toEqual([companyA, companyB].sort());
    // One company: the unscoped routes are that company's, unchanged.
    const own = await api.get('/api/shareholders/', await as(adminOfA));
    expect(own.status).toBe(200);
  });

  it('shows an investor in two companies both holdings, and only their own rows in each', async () => {
    const response = await api.get('/api/me/holdings', await as(investor));
    expect(response.status).toBe(200);
    const byCompany = Object.fromEntries(
      (response.body as Array<{ company_id: string }>).map((entry) => [entry.company_id, entry]),
    );
    expect(Object.keys(byCompany).sort()).toEqual([companyA, companyB].sort());
    expect(byCompany[companyA]).toMatchObject({
      shareholder_id: holdingOf.a.holder,
      total_shares: holdingOf.a.shares,
      holdings: [{ share_class_name: className, shares: holdingOf.a.shares }],
      certificates_url: `/api/companies/${companyA}/certificates?shareholder_id=${holdingOf.a.holder}`,
    });
    expect(byCompany[companyB]).toMatchObject({
      shareholder_id: holdingOf.b.holder,
      total_shares: holdingOf.b.shares,
      ownership_pct: '25.0000',
    });
    for (const company of [companyA, companyB]) {
      const table = await api.get(`/api/companies/${company}/cap-table`, await as(investor));
      expect(table.status).toBe(200);
      expect(
        (table.body.holders as Array<{ shareholder_id: string }>).map((h) => h.shareholder_id),
      ).toEqual([company === companyA ? holdingOf.a.holder : holdingOf.b.holder]);
    }
    const someoneElse = await api.get('/api/me/holdings', await as(adminOfA));
    expect(someoneElse.body).toEqual([]);
  });

  it('answers 404 to an admin of A on every route of B, and records the attempt in A only', async () => {
    const document = await createOpenApiDocument();
    const scoped = Object.entries(document.paths).filter(([path]) =>
      path.startsWith('/api/companies/{company_id}'),
    );
    expect(scoped.length).toBeGreaterThan(20);
    const token = await adminOfA.token();
    const requestId = `probe-${randomUUID()}`;
    const answers: string[] = [];
    for (const [template, item] of scoped) {
      const path = template
        .replace('{company_id}', companyB)
        .replace(/\{[a-z_]+\}/g, () => randomUUID());
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        if (!(item as Record<string, unknown>)[method]) continue;
        const response = await fetch(`${await serverUrl(testApp)}${path}`, {
          method: method.toUpperCase(),
          headers: {
            authorization: `Bearer ${token}`,
            'x-request-id': requestId,
            ...(method === 'get' || method === 'delete'
              ? {}
              : { 'content-type': 'application/json' }),
          },
          body: method === 'get' || method === 'delete' ? undefined : '{}',
        });
        answers.push(`${method.toUpperCase()} ${template} ${response.status}`);
      }
    }
    expect(answers.filter((answer) => !answer.endsWith(' 404'))).toEqual([]);
    // The same routes of their own company answer them (not everything is 404).
    expect((await api.get(`/api/companies/${companyA}/shareholders/`, { token })).status).toBe(200);
    // Denied attempts land in the caller's own company's log, none in B's.
    await expectEventually(async () => {
      const denied = await db().query<{ company_id: string }>(
        `SELECT DISTINCT company_id FROM audit_entry WHERE action = 'access.denied' AND request_id = $1`,
        [requestId],
      );
      expect(denied.rows).toEqual([{ company_id: companyA }]);
    });
  });

  it('lets a service account act for company B only', async () => {
    const token = { token: await tool.token() };
    const unscoped = await api.get('/api/shareholders/', token);
    expect(unscoped.status).toBe(200);
    const ids = (unscoped.body as Array<{ id: string }>).map((h) => h.id);
    expect(ids).toContain(holdingOf.b.holder);
    expect(ids).not.toContain(holdingOf.a.holder);
    expect((await api.get(`/api/companies/${companyA}/shareholders/`, token)).status).toBe(404);
    expect((await api.get(`/api/companies/${companyB}/audit/`, token)).status).toBe(200);
  });

  it('keeps the companies apart in lists, exports and their audit chains', async () => {
    const listA = await api.get(
      `/api/companies/${companyA}/shareholders/?email=${encodeURIComponent(investor.email)}`,
    );
    expect((listA.body as Array<{ id: string }>).map((h) => h.id)).toEqual([holdingOf.a.holder]);
    const classesB = await api.get(`/api/companies/${companyB}/share-classes`);
    expect((classesB.body as Array<{ name: string }>).map((c) => c.name)).toEqual([className]);
    const exportB = await api.get(`/api/companies/${companyB}/audit/export?format=csv`, 'auditor');
    // The realm auditor is no member of B: B's log is not theirs to read.
    expect(exportB.status).toBe(404);
    const exported = await api.get(`/api/companies/${companyB}/audit/export?format=json`);
    expect(exported.status).toBe(200);
    const text = JSON.stringify(exported.body);
    expect(text).toContain(holdingOf.b.holder);
    expect(text).not.toContain(holdingOf.a.holder);
    expect(text).not.toContain(companyA);
    for (const company of [companyA, companyB]) {
      const verified = await api.get(`/api/companies/${company}/audit/verify`);
      expect(verified.body).toMatchObject({ ok: true });
    }
    // B's chain starts with its own creation.
    const first = await db().query<{ action: string }>(
      'SELECT action FROM audit_entry WHERE company_id = $1 AND seq = 1',
      [companyB],
    );
    expect(first.rows).toEqual([{ action: 'company.created' }]);
  });

  it('signs checkpoints per company: one company’s checkpoint does not vouch for another’s chain', async () => {
    const made = await api.post(`/api/companies/${companyB}/audit/checkpoints`, {});
    expect([200, 201]).toContain(made.status);
    const checkpoint = made.body.checkpoint as { company_id: string; payload: string };
    expect(checkpoint.company_id).toBe(companyB);
    expect(JSON.parse(checkpoint.payload)).toMatchObject({ company_id: companyB });
    const saved = Buffer.from(JSON.stringify(checkpoint)).toString('base64url');
    const own = await api.get(`/api/companies/${companyB}/audit/verify?checkpoint=${saved}`);
    expect(own.body).toMatchObject({ ok: true });
    const elsewhere = await api.get(`/api/companies/${companyA}/audit/verify?checkpoint=${saved}`);
    expect(elsewhere.body).toMatchObject({
      ok: false,
      reason_code: 'CHECKPOINT_SIGNATURE_INVALID',
    });
  });

  it('ends an auditor’s access when their engagement ends (403)', async () => {
    const ends = new Date(Date.now() + 4_000).toISOString();
    const member = await addMember(companyA, {
      role: 'auditor',
      email: auditor.email,
      expires_at: ends,
    });
    expect(member.status).toBe('invited');
    const token = { token: await auditor.token() };
    expect((await api.get(`/api/companies/${companyA}/audit/`, token)).status).toBe(200);
    expect((await api.get(`/api/companies/${companyA}/cap-table`, token)).status).toBe(200);
    await sleep(Math.max(0, Date.parse(ends) - Date.now() + 200));
    const after = await api.get(`/api/companies/${companyA}/audit/`, token);
    expect(after.status).toBe(403);
    expect(after.body.code).toBe('FORBIDDEN');
    const listed = (await api.get(`/api/companies/${companyA}/members`)).body as Array<{
      id: string;
      status: string;
    }>;
    expect(listed.find((m) => m.id === member.id)?.status).toBe('ended');
  });

  it('refuses to remove or demote the last admin, also when two admins are removed at once', async () => {
    const members = (await api.get(`/api/companies/${companyB}/members`)).body as Array<{
      id: string;
      role: string;
    }>;
    const onlyAdmin = members.filter((m) => m.role === 'admin');
    expect(onlyAdmin).toHaveLength(1);
    const demote = await api.patch(`/api/companies/${companyB}/members/${onlyAdmin[0]?.id}`, {
      role: 'auditor',
    });
    expect(demote.status).toBe(409);
    expect(demote.body.code).toBe('LAST_ADMIN');
    const remove = await api.delete(`/api/companies/${companyB}/members/${onlyAdmin[0]?.id}`);
    expect(remove.status).toBe(409);

    // Two admins, both removed at the same moment: one removal wins, the other is refused.
    const second = await addMember(companyB, {
      role: 'admin',
      email: `${unique('admin')}@example.com`,
    });
    const outcomes = await Promise.all(
      [onlyAdmin[0]?.id, second.id].map((id) =>
        api.delete(`/api/companies/${companyB}/members/${id}`),
      ),
    );
    expect(outcomes.map((r) => r.status).sort()).toEqual([204, 409]);
    expect(
      await count(`SELECT 1 FROM company_member WHERE company_id = $1 AND role = 'admin'`, [
        companyB,
      ]),
    ).toBe(1);
  });

  it('validates a member: exactly one of sub, client_id, email; a known role', async () => {
    const both = await api.post(`/api/companies/${companyA}/members`, {
      role: 'auditor',
      email: 'x@example.com',
      client_id: 'tool',
    });
    expect(both.status).toBe(400);
    expect(both.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['sub', 'client_id', 'email']),
    );
    const role = await api.post(`/api/companies/${companyA}/members`, {
      role: 'owner',
      email: 'y@example.com',
    });
    expect(role.status).toBe(400);
    expect(role.body.errors.map((e: { field: string }) => e.field)).toContain('role');
    const malformed = await api.get('/api/companies/not-a-uuid/shareholders/');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'company_id' })]);
    const twice = await api.post(`/api/companies/${companyA}/members`, {
      role: 'auditor',
      email: investor.email.toUpperCase(),
    });
    // The investor's invitation was bound at their first login: a new invitation is fine, but
    // the same one twice is not.
    const again = await api.post(`/api/companies/${companyA}/members`, {
      role: 'auditor',
      email: investor.email.toUpperCase(),
    });
    expect([twice.status, again.status]).toEqual([201, 409]);
  });
});

async function serverUrl(testApp: TestApp): Promise<string> {
  const server = testApp.app.getHttpServer();
  if (!server.listening)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

async function expectEventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}
