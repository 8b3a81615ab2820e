import { parse } from 'csv-parse/sync';
import {
  Api,
  givenCompany,
  givenIssuance,
  givenShareClass,
  givenShareholder,
  givenShareholderOneRecord,
  unique,
} from '../support/api';
import { startApp, TestApp } from '../support/app';
import { asCsvText } from '../support/csv';
import { closeDb, count, db } from '../support/db';
import { decodeJwtPart } from '../support/keycloak';
import { createTemporaryUser } from '../support/keycloak-admin';

describe('shareholders', () => {
  let testApp: TestApp;
  let api: Api;

  beforeAll(async () => {
    testApp = await startApp();
    api = new Api(testApp);
    await givenCompany(api);
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  describe('POST /api/shareholders/', () => {
    it('creates a holder, stores sensitive fields only encrypted, and shows them to the admin', async () => {
      const email = `${unique('ada')}@example.com`;
      const response = await api.post('/api/shareholders/', {
        name: 'Ada Lovelace',
        email,
        type: 'INDIVIDUAL',
        phone: '+44 20 7946 0958',
        address: '12 St James Square, London',
        tax_id: 'GB123456789',
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        name: 'Ada Lovelace',
        email,
        tax_id: 'GB123456789',
        total_shares: 0,
        version: 1,
      });
      const { rows } = await db().query(
        'SELECT row_to_json(s)::text AS raw FROM shareholder s WHERE id = $1',
        [response.body.id],
      );
      expect(rows[0].raw).not.toMatch(/GB123456789|7946|St James/);
      expect(rows[0].raw).toMatch(/"tax_id_enc":"v1\./);
    });

    it('masks the tax id for auditors', async () => {
      const holder = await givenShareholder(api, { tax_id: 'DE987654321' });
      const response = await api.get(`/api/shareholders/${holder.id}`, 'auditor');
      expect(response.status).toBe(200);
      expect(response.body.tax_id).toBe('*******4321');
    });

    it('refuses a duplicate email regardless of case with 409 and stores nothing', async () => {
      const holder = await givenShareholder(api);
      const before = await count('SELECT 1 FROM shareholder');
      const response = await api.post('/api/shareholders/', {
        name: 'Twin',
        email: holder.email.toUpperCase(),
      });
      expect(response.status).toBe(409);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.code).toBe('SHAREHOLDER_EMAIL_TAKEN');
      expect(await count('SELECT 1 FROM shareholder')).toBe(before);
    });

    it('names every invalid, missing or unknown field', async () => {
      const response = await api.post('/api/shareholders/', {
        email: 'not-an-email',
        type: 'ROBOT',
        nickname: 'x',
      });
      expect(response.status).toBe(400);
      const fields = (response.body.errors as Array<{ field: string }>).map((e) => e.field).sort();
      expect(fields).toEqual(['email', 'name', 'nickname', 'type']);
    });

    it('is for admins only', async () => {
      for (const caller of ['auditor', 'shareholder1'] as const) {
        const response = await api.post(
          '/api/shareholders/',
          { name: 'X', email: `${unique('x')}@example.com` },
          caller,
        );
        expect(response.status).toBe(403);
        expect(response.body.code).toBe('FORBIDDEN');
      }
    });
  });

  describe('PATCH and history', () => {
    it('records every version with who changed what, before and after', async () => {
      const holder = await givenShareholder(api, { tax_id: 'AB12345678' });
      const patched = await api.patch(`/api/shareholders/${holder.id}`, {
        name: 'Renamed Holder',
        phone: '+1 555 0100',
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        name: 'Renamed Holder',
        phone: '+1 555 0100',
        version: 2,
      });
      await api.patch(`/api/shareholders/${holder.id}`, { name: 'Renamed Holder' }); // no change, no version
      const cleared = await api.patch(
        `/api/shareholders/${holder.id}`,
        { phone: null },
        'internal-tool',
      );
      expect(cleared.body).toMatchObject({ phone: null, version: 3 });

      const history = await api.get(`/api/shareholders/${holder.id}/history`, 'auditor');
      expect(history.status).toBe(200);
      expect(
        history.body.map(
          (v: {
            version: number;
            change: string;
            changed_by: string;
            changed_fields: string[];
          }) => [v.version, v.change, v.changed_by, v.changed_fields],
        ),
      ).toEqual([
        [1, 'CREATED', 'admin', ['email', 'name', 'tax_id', 'type']],
        [2, 'UPDATED', 'admin', ['name', 'phone']],
        [3, 'UPDATED', 'internal-tool', ['phone']],
      ]);
      expect(history.body[1].before).toMatchObject({
        name: holder.name,
        phone: null,
        tax_id: '******5678',
      });
      expect(history.body[1].after).toMatchObject({ name: 'Renamed Holder', phone: '[encrypted]' });
      expect(JSON.stringify(history.body)).not.toContain('AB12345678');
    });

    it('writes an outbox event in the same transaction as each change', async () => {
      const holder = await givenShareholder(api);
      await api.patch(`/api/shareholders/${holder.id}`, { type: 'INSTITUTION' });
      const { rows } = await db().query(
        'SELECT type, actor FROM outbox_event WHERE aggregate_id = $1 ORDER BY position',
        [holder.id],
      );
      expect(rows.map((r) => r.type)).toEqual(['shareholder.created', 'shareholder.updated']);
      expect(rows[1].actor).toMatchObject({ name: 'admin', roles: ['admin'] });
    });

    it('refuses to give a holder another holder email, leaving both unchanged', async () => {
      const first = await givenShareholder(api);
      const second = await givenShareholder(api);
      const response = await api.patch(`/api/shareholders/${second.id}`, { email: first.email });
      expect(response.status).toBe(409);
      const unchanged = await api.get(`/api/shareholders/${second.id}`);
      expect(unchanged.body).toMatchObject({ email: second.email, version: 1 });
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expect(
        (await api.patch('/api/shareholders/00000000-0000-4000-8000-000000000000', { name: 'x' }))
          .status,
      ).toBe(404);
      const malformed = await api.get('/api/shareholders/not-a-uuid');
      expect(malformed.status).toBe(400);
      expect(malformed.headers['content-type']).toMatch(/application\/problem\+json/);
    });
  });

  describe('GET /api/shareholders/ (list)', () => {
    it('pages with a total count, filters by substring and reports total shares', async () => {
      const tag = unique('Zeta').toLowerCase();
      const holders = [];
      for (let i = 0; i < 3; i++)
        holders.push(
          await givenShareholder(api, { name: `${tag} ${i}`, email: `${tag}-${i}@example.com` }),
        );
      const shareClass = await givenShareClass(api);
      await givenIssuance(api, {
        shareholder_id: holders[1]?.id,
        share_class_id: shareClass.id,
        number_of_shares: 250,
      });

      const page = await api.get(`/api/shareholders?q=${tag}&limit=2&offset=0`);
      expect(page.status).toBe(200);
      expect(page.headers['x-total-count']).toBe('3');
      expect(page.body).toHaveLength(2);
      const all = await api.get(`/api/shareholders/?email=${tag}`);
      expect(all.body.map((h: { total_shares: number }) => h.total_shares)).toEqual([0, 250, 0]);
    });

    it('treats LIKE wildcards in a filter literally', async () => {
      const response = await api.get('/api/shareholders/?q=%25');
      expect(response.status).toBe(200);
      expect(response.headers['x-total-count']).toBe('0');
    });

    it('refuses a limit out of range, naming it', async () => {
      for (const limit of ['0', '501', 'ten']) {
        const response = await api.get(`/api/shareholders/?limit=${limit}`);
        expect(response.status).toBe(400);
        expect(response.body.errors[0].field).toBe('limit');
      }
    });

    it('is for admins only', async () => {
      expect((await api.get('/api/shareholders/', 'auditor')).status).toBe(403);
      expect((await api.get('/api/shareholders/', 'shareholder2')).status).toBe(403);
      expect((await api.get('/api/shareholders/', 'anonymous')).status).toBe(401);
    });
  });

  describe('export', () => {
    it('exports CSV that parses back to the JSON export', async () => {
      await givenShareholder(api, { name: 'Comma, "Quoted" Holder', address: 'Line 1\nLine 2' });
      const json = await api.get('/api/shareholders/export?format=json');
      const csv = await api.get('/api/shareholders/export?format=csv');
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const records = parse<Record<string, string>>(csv.text, { columns: true });
      expect(records).toHaveLength(json.body.length);
      for (const [index, record] of records.entries()) {
        const row = json.body[index] as Record<string, string | number | null>;
        expect(record).toEqual(
          Object.fromEntries(Object.keys(record).map((key) => [key, asCsvText(row[key])])),
        );
      }
    });

    it('refuses an unknown format and non-admins', async () => {
      expect((await api.get('/api/shareholders/export?format=xml')).status).toBe(400);
      expect((await api.get('/api/shareholders/export', 'auditor')).status).toBe(403);
    });
  });

  describe('a shareholder and their own record', () => {
    it('links the record with the verified email on first access, then by sub', async () => {
      const user = await createTemporaryUser('shareholder');
      try {
        const own = await givenShareholder(api, {
          name: 'Linked Holder',
          email: user.email.toUpperCase(),
        });
        const caller = { token: await user.token() };
        const sub = decodeJwtPart(caller.token, 1).sub;
        const me = await api.get('/api/shareholders/me', caller);
        expect(me.status).toBe(200);
        expect(me.body).toMatchObject({ id: own.id, user_id: sub, version: 2 });
        const again = await api.get(`/api/shareholders/${own.id}`, caller);
        expect(again.body).toMatchObject({ id: own.id, version: 2 });
        const history = await api.get(`/api/shareholders/${own.id}/history`);
        expect(history.body[1]).toMatchObject({
          change: 'LINKED',
          changed_by: user.username,
          changed_fields: ['user_id'],
        });
      } finally {
        await user.remove();
      }
    });

    it('does not link by an email that is not verified', async () => {
      const user = await createTemporaryUser('shareholder', false);
      try {
        const record = await givenShareholder(api, { email: user.email });
        const me = await api.get('/api/shareholders/me', { token: await user.token() });
        expect(me.status).toBe(404);
        expect((await api.get(`/api/shareholders/${record.id}`)).body.user_id).toBeNull();
      } finally {
        await user.remove();
      }
    });

    it('lets shareholder1 read their own record', async () => {
      const own = await givenShareholderOneRecord(api);
      const me = await api.get('/api/shareholders/me', 'shareholder1');
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(own.id);
      expect(me.body.tax_id === null || me.body.tax_id.startsWith('*')).toBe(true);
    });

    it('never shows another holder record, and has no record of its own yet for shareholder2', async () => {
      const other = await givenShareholder(api);
      const response = await api.get(`/api/shareholders/${other.id}`, 'shareholder2');
      expect(response.status).toBe(403);
      expect(JSON.stringify(response.body)).not.toContain(other.email);
      const me = await api.get('/api/shareholders/me', 'shareholder2');
      expect(me.status).toBe(404);
      expect(me.body.code).toBe('SHAREHOLDER_NOT_FOUND');
    });

    it('refuses the history to shareholders', async () => {
      const other = await givenShareholder(api);
      expect((await api.get(`/api/shareholders/${other.id}/history`, 'shareholder1')).status).toBe(
        403,
      );
    });
  });
});
