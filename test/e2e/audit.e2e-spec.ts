import { randomUUID } from 'node:crypto';
import { Database } from '../../src/core/db/database.service';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import {
  Api,
  givenCompany,
  givenIssuance,
  givenShareClass,
  givenShareholder,
  unique,
} from '../support/api';
import { tokenFor } from '../support/keycloak';
import { startApp, TestApp } from '../support/app';
import { closeDb, count, db } from '../support/db';
import { eventually } from '../support/wait';

interface Entry {
  seq: number;
  action: string;
  actor: { name: string; sub: string; client_id: string; roles: string[] };
  entity_type: string;
  entity_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  outcome: string;
  occurred_at: string;
  request_id: string | null;
}

describe('audit log', () => {
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

  const entriesFor = async (query: string): Promise<Entry[]> => {
    const response = await api.get(
      `/api/audit/?${query.includes('limit=') ? query : `limit=500&${query}`}`,
      'auditor',
    );
    expect(response.status).toBe(200);
    return response.body.items as Entry[];
  };

  /** Waits until the relay has written the expected number of entries for the query. */
  const awaitEntries = (query: string, expected: number) =>
    eventually(
      async () => {
        const items = await entriesFor(query);
        return items.length >= expected ? items : undefined;
      },
      10_000,
      `audit entries for ${query}`,
    );

  it('records a new shareholder once, with actor, before and after', async () => {
    const holder = await givenShareholder(api, { name: 'Audited Holder', tax_id: 'ZZ99887766' });
    const [entry, ...rest] = await awaitEntries(
      `entity_type=shareholder&entity_id=${holder.id}`,
      1,
    );
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      action: 'shareholder.created',
      actor: { name: 'admin', client_id: 'corporate-os-cli', roles: ['admin'] },
      entity_id: holder.id,
      before: null,
      after: { name: 'Audited Holder', tax_id: '******7766' },
      outcome: 'success',
    });
    expect(JSON.stringify(entry)).not.toContain('ZZ99887766');
  });

  it('records an issuance once, with the exact amounts', async () => {
    const holder = await givenShareholder(api);
    const shareClass = await givenShareClass(api);
    const issuance = await givenIssuance(api, {
      shareholder_id: holder.id,
      share_class_id: shareClass.id,
      number_of_shares: 3,
      price: '0.1',
    });
    const entries = await awaitEntries(`action=issuance.created&entity_id=${issuance.id}`, 1);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      before: null,
      after: { number_of_shares: 3, price: '0.1', total_amount: '0.3' },
    });
  });

  it('records a successful and a failed login once each, without the password', async () => {
    const user = unique('nobody');
    await request(api.server)
      .post('/api/token/')
      .send({ username: user, password: 'wrong-password' })
      .expect(401);
    await request(api.server)
      .post('/api/token/')
      .send({ username: 'auditor', password: 'auditorpass' })
      .expect(200);
    const failed = await awaitEntries(`action=auth.login_failed&entity_id=${user}`, 1);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      outcome: 'failure',
      actor: { name: user, sub: '' },
      after: { username: user, outcome: 'failure' },
    });
    const succeeded = await awaitEntries('action=auth.login_succeeded&actor=auditor', 1);
    expect(succeeded[0]).toMatchObject({
      outcome: 'success',
      actor: { name: 'auditor', roles: ['auditor'] },
    });
    expect(JSON.stringify([...failed, ...succeeded])).not.toMatch(/wrong-password|auditorpass/);
  });

  it('records a 403 once as access.denied', async () => {
    const requestId = unique('req');
    const denied = await request(api.server)
      .get('/api/shareholders/')
      .set('authorization', `Bearer ${await tokenFor('shareholder1')}`)
      .set('x-request-id', requestId);
    expect(denied.status).toBe(403);
    const entries = await eventually(async () => {
      const items = (await entriesFor('action=access.denied&actor=shareholder1')).filter(
        (e) => e.request_id === requestId,
      );
      return items.length > 0 ? items : undefined;
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      outcome: 'denied',
      entity_type: 'route',
      after: { method: 'GET', required_roles: ['admin'], roles: ['shareholder'] },
    });
  });

  it('filters by actor, action, entity and time window, exactly', async () => {
    const from = new Date().toISOString();
    const first = await givenShareholder(api);
    await api.patch(`/api/shareholders/${first.id}`, { name: 'Patched By Tool' }, 'internal-tool');
    const second = await givenShareholder(api);
    await awaitEntries(`entity_id=${second.id}`, 1);
    await awaitEntries(`entity_id=${first.id}`, 2);
    const to = new Date(Date.now() + 1).toISOString();
    const window = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

    const byTool = await entriesFor(`${window}&actor=internal-tool&action=shareholder.updated`);
    expect(byTool.map((e) => e.entity_id)).toEqual([first.id]);
    const created = await entriesFor(
      `${window}&action=shareholder.created&entity_type=shareholder&order=asc`,
    );
    expect(created.map((e) => e.entity_id)).toEqual([first.id, second.id]);
    const both = await entriesFor(
      `${window}&action=shareholder.created,shareholder.updated&entity_id=${first.id}`,
    );
    expect(both.map((e) => e.action)).toEqual(['shareholder.updated', 'shareholder.created']);
    const text = await entriesFor(`${window}&q=${encodeURIComponent('patched by tool')}`);
    expect(text.map((e) => e.entity_id)).toEqual([first.id]);
  });

  it('pages with a cursor without gaps or repeats', async () => {
    // Every earlier event audited first: an entry appended while paging would shift the pages.
    await eventually(async () =>
      (await count(
        'SELECT 1 FROM outbox_event WHERE delivered_at IS NULL AND dead_lettered_at IS NULL',
      )) === 0
        ? true
        : undefined,
    );
    const all = await entriesFor('limit=500');
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Entry[]; next_cursor: string | null } } =
        await api.get(`/api/audit/?limit=3${cursor ? `&cursor=${cursor}` : ''}`, 'admin');
      seen.push(...page.body.items.map((e) => e.seq));
      cursor = page.body.next_cursor;
    } while (cursor && seen.length < all.length + 3);
    expect(seen.slice(0, all.length)).toEqual(all.map((e) => e.seq));
    expect((await api.get('/api/audit/?cursor=bm9wZQ', 'auditor')).status).toBe(400);
  });

  it('exports CSV and JSON that parse back to the same entries', async () => {
    const query = 'action=shareholder.created&order=asc';
    const listed = await entriesFor(query);
    const json = await api.get(`/api/audit/export?format=json&${query}`, 'auditor');
    expect(json.status).toBe(200);
    expect(JSON.parse(json.text)).toEqual(listed);
    const csv = await api.get(`/api/audit/export?format=csv&${query}`, 'auditor');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const records = parse<Record<string, string>>(csv.text, { columns: true });
    expect(records.map((r) => Number(r.seq))).toEqual(listed.map((e) => e.seq));
    expect(records.map((r) => JSON.parse(r.after ?? 'null'))).toEqual(listed.map((e) => e.after));
    expect(records.map((r) => r.actor_name)).toEqual(listed.map((e) => e.actor.name));
  });

  it('is for admins and auditors only', async () => {
    expect((await api.get('/api/audit/', 'shareholder1')).status).toBe(403);
    expect((await api.get('/api/audit/export', 'shareholder1')).status).toBe(403);
    expect((await api.get('/api/audit/verify', 'shareholder1')).status).toBe(403);
    expect((await api.get('/api/audit/', 'anonymous')).status).toBe(401);
  });

  it('refuses UPDATE, DELETE and TRUNCATE in SQL, even from the table owner the app connects as', async () => {
    await awaitEntries('limit=1', 1);
    for (const sql of [
      "UPDATE audit_entry SET actor_name = 'mallory'",
      'DELETE FROM audit_entry',
      'TRUNCATE audit_entry',
    ]) {
      await expect(db().query(sql)).rejects.toThrow(/append-only/);
    }
  });

  it('verifies the chain, and names the first entry edited behind its back', async () => {
    const ok = await api.get('/api/audit/verify', 'auditor');
    expect(ok.body).toMatchObject({ ok: true, first_broken_seq: null });
    expect(ok.body.head_hash).toMatch(/^[0-9a-f]{64}$/);
    const target = (await entriesFor('action=shareholder.created&order=asc'))[1];
    if (!target) throw new Error('no entry to tamper with');
    const { rows } = await db().query(
      'SELECT after FROM audit_entry WHERE company_id = app_first_company_id() AND seq = $1',
      [target.seq],
    );
    const tamper = async (after: unknown) => {
      await db().query('ALTER TABLE audit_entry DISABLE TRIGGER trg_audit_entry_append_only');
      try {
        await db().query(
          'UPDATE audit_entry SET after = $2 WHERE company_id = app_first_company_id() AND seq = $1',
          [target.seq, JSON.stringify(after)],
        );
      } finally {
        await db().query('ALTER TABLE audit_entry ENABLE TRIGGER trg_audit_entry_append_only');
      }
    };
    await tamper({ ...rows[0].after, name: 'Someone Else' });
    try {
      const broken = await api.get('/api/audit/verify', 'admin');
      expect(broken.body).toMatchObject({
        ok: false,
        first_broken_seq: target.seq,
        reason: expect.stringMatching(/content/),
      });
    } finally {
      await tamper(rows[0].after);
    }
    expect((await api.get('/api/audit/verify', 'admin')).body.ok).toBe(true);
  });
});

describe('audit chain appends', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startApp({ OUTBOX_RELAY_ENABLED: false });
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  it('keeps a gap-free sequence and an intact chain across 9→10, 99→100 and concurrent appends of groups', async () => {
    const { AuditWriter } = await import('../../src/audit/audit-writer.service');
    const writer = testApp.app.get(AuditWriter);
    const database = testApp.app.get(Database);
    const actor = { sub: 's', name: 'chain-test', client_id: 'test', roles: [] };
    const input = (n: number) => ({
      occurredAt: new Date(),
      actor,
      action: 'company.updated' as const,
      entityType: 'company',
      entityId: null,
      before: null,
      after: { n },
      requestId: null,
      outcome: 'success' as const,
      sourceEventId: null,
    });
    // Groups of 1 to 4 entries, appended concurrently.
    const append = (_: unknown, i: number) =>
      testApp.inDefaultCompany(() =>
        database.transaction((tx) =>
          writer.appendAll(
            tx,
            Array.from({ length: (i % 4) + 1 }, (__, j) => input(i * 10 + j)),
          ),
        ),
      );
    await Promise.all(Array.from({ length: 60 }, append));
    const { rows } = await db().query<{ max: string; n: string }>(
      // The default company's chain (another suite may have made a second company).
      'SELECT max(seq)::text AS max, count(*)::text AS n FROM audit_entry WHERE company_id = app_first_company_id()',
    );
    expect(rows[0]?.max).toBe(rows[0]?.n);
    const api = new Api(testApp);
    expect((await api.get('/api/audit/verify', 'auditor')).body).toMatchObject({
      ok: true,
      checked: Number(rows[0]?.n),
    });
  });

  it('records a source event once, however often and in whichever group it is delivered', async () => {
    const { AuditWriter } = await import('../../src/audit/audit-writer.service');
    const writer = testApp.app.get(AuditWriter);
    const database = testApp.app.get(Database);
    const appendAll = (inputs: Parameters<typeof writer.appendAll>[1]) =>
      testApp.inDefaultCompany(() => database.transaction((tx) => writer.appendAll(tx, inputs)));
    const eventId = randomUUID();
    const input = {
      occurredAt: new Date(),
      actor: { sub: 's', name: 'redelivery-test', client_id: 'test', roles: [] },
      action: 'company.updated' as const,
      entityType: 'company',
      entityId: null,
      before: null,
      after: { redelivered: true },
      requestId: null,
      outcome: 'success' as const,
      sourceEventId: eventId,
    };
    const first = await appendAll([input, input]);
    const again = await appendAll([{ ...input, sourceEventId: randomUUID() }, input]);
    expect(first).toHaveLength(1);
    expect(again).toHaveLength(1);
    expect(await count('SELECT 1 FROM audit_entry WHERE source_event_id = $1', [eventId])).toBe(1);
    const api = new Api(testApp);
    expect((await api.get('/api/audit/verify', 'auditor')).body).toMatchObject({ ok: true });
  });
});
