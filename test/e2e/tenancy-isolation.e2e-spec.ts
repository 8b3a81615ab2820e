import { randomUUID } from 'node:crypto';
import { AuditWriter } from '../../src/audit/audit-writer.service';
import { principalFromClaims } from '../../src/core/auth/principal';
import { Database, raw as rawSql, sql } from '../../src/core/db/database.service';
import type { ActionContext } from '../../src/core/http/action-context';
import { CompanyContext, MissingCompanyContextError } from '../../src/core/tenancy/company-context';
import { DefaultCompany } from '../../src/core/tenancy/default-company';
import { IdempotencyService } from '../../src/issuances/idempotency.service';
import { CompanyService } from '../../src/issuances/company.service';
import { IssuancesService } from '../../src/issuances/issuances.service';
import { ShareClassesService } from '../../src/issuances/share-classes.service';
import { ShareholdersService } from '../../src/shareholders/shareholders.service';
import {
  Api,
  givenCompany,
  givenIssuance,
  givenShareClass,
  givenShareholder,
} from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, count, db } from '../support/db';
import { decodeJwtPart, tokenFor } from '../support/keycloak';
import { eventually } from '../support/wait';

/** Every table that holds one company's rows (all but `company` itself). */
const COMPANY_OWNED = [
  'shareholder',
  'shareholder_version',
  'share_class',
  'issuance',
  'idempotency_key',
  'certificate',
  'certificate_counter',
  'certificate_assignment',
  'certificate_request',
  'certificate_cancellation',
  'stock_transaction',
  'conversion_ratio_adjustment',
  'stock_class_split',
  'authorized_shares_adjustment',
  'company_authorized_shares_adjustment',
  'stock_plan',
  'stock_plan_pool_adjustment',
  'vesting_terms',
  'equity_grant',
  'equity_grant_transaction',
  'ocf_retained_object',
  'audit_entry',
  'audit_checkpoint',
  'outbox_event',
  'processed_event',
  'company_member',
];

const AUDIT_CHAIN_LOCK = 7_241_101;

/**
 * Two companies in one deployment, with the same holder email, the same class name and the same
 * certificate prefix. Company B's data is written through the service's own code (services,
 * outbox, relay, audit and certificate listeners), for B, as a request for B will be; the unscoped
 * routes address the default company A. Nothing of one may be seen or touched from the other,
 * including by a statement that forgets its company filter.
 */
describe('companies kept apart by the database', () => {
  let testApp: TestApp;
  let api: Api;
  let companyA: string;
  const companyB = randomUUID();
  let context: ActionContext;
  const email = `same-${randomUUID().slice(0, 8)}@example.com`;
  const className = `Common ${randomUUID().slice(0, 6)}`;
  const prefix = 'SAME';
  const a = { holder: '', shareClass: '', issuance: '' };
  const b = { holder: '', shareClass: '', issuance: '' };

  const inB = <T>(work: () => Promise<T>) => CompanyContext.run(companyB, work);

  beforeAll(async () => {
    testApp = await startApp({ OUTBOX_POLL_INTERVAL_MS: 50 });
    api = new Api(testApp);
    companyA = await testApp.app.get(DefaultCompany).id();
    await givenCompany(api);
    a.holder = (await givenShareholder(api, { email })).id;
    a.shareClass = (await givenShareClass(api, { name: className, certificate_prefix: prefix })).id;
    a.issuance = (
      await givenIssuance(api, {
        shareholder_id: a.holder,
        share_class_id: a.shareClass,
        number_of_shares: 1000,
      })
    ).id;

    // Company B: created (not set up) as the platform will create it, then set up and filled
    // through the services, acting for B.
    await db().query('INSERT INTO company (id, version) VALUES ($1, 0)', [companyB]);
    const claims = decodeJwtPart(await tokenFor('admin'), 1);
    context = {
      principal: principalFromClaims(claims),
      meta: { requestId: `tenancy-${randomUUID()}`, ip: '127.0.0.1', userAgent: 'e2e' },
    };
    const app = testApp.app;
    await inB(async () => {
      await app.get(CompanyService).put(
        {
          legal_name: 'Second Company Ltd',
          country: 'GB',
          formation_date: '2021-03-01',
          default_currency: 'GBP',
        },
        context,
      );
      b.holder = (
        await app.get(ShareholdersService).create({ name: 'Same Person', email }, context)
      ).id;
      b.shareClass = (
        await app.get(ShareClassesService).create(
          {
            name: className,
            type: 'COMMON' as never,
            authorized_shares: 1_000_000,
            par_value: '0.01',
            votes_per_share: 1,
            certificate_prefix: prefix,
          },
          context,
        )
      ).id;
      const issued = await app.get(IssuancesService).issue(
        {
          shareholder_id: b.holder,
          share_class_id: b.shareClass,
          number_of_shares: 7,
          price: '2',
        },
        context,
      );
      b.issuance = issued.issuance.id;
    });
    // Both certificates rendered, each company's audit chain caught up.
    await eventually(
      async () => {
        const rendered = await count(
          'SELECT 1 FROM certificate WHERE issuance_id = ANY($1::uuid[])',
          [[a.issuance, b.issuance]],
        );
        const undelivered = await count(
          'SELECT 1 FROM outbox_event WHERE delivered_at IS NULL AND company_id = $1',
          [companyB],
        );
        return rendered === 2 && undelivered === 0 ? true : undefined;
      },
      30_000,
      'both certificates and the delivery of every event of B',
    );
  }, 120_000);

  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  it('stores each company’s rows under its own id, each with its own keys', async () => {
    const { rows } = await db().query<{ company_id: string; email: string }>(
      'SELECT company_id, email FROM shareholder WHERE email = $1 ORDER BY company_id',
      [email],
    );
    expect(rows.map((row) => row.company_id).sort()).toEqual([companyA, companyB].sort());
    // Same class name and prefix in both, and each company numbers its certificates from 1.
    const numbers = await db().query<{ company_id: string; certificate_number: string }>(
      'SELECT company_id, certificate_number FROM certificate WHERE issuance_id = ANY($1::uuid[])',
      [[a.issuance, b.issuance]],
    );
    const numberOf = (company: string) =>
      numbers.rows.find((row) => row.company_id === company)?.certificate_number;
    expect(numberOf(companyB)).toBe(`${prefix}-000001`);
    expect(numberOf(companyA)).toMatch(new RegExp(`^${prefix}-\\d{6}$`));
    // Every event B caused is B's, and so is every audit entry recording it.
    expect(
      await count(
        `SELECT 1 FROM outbox_event o JOIN audit_entry e ON e.source_event_id = o.id
          WHERE o.request_id = $1 AND (o.company_id <> $2 OR e.company_id <> $2)`,
        [context.meta.requestId, companyB],
      ),
    ).toBe(0);
    expect(
      await count('SELECT 1 FROM outbox_event WHERE request_id = $1 AND company_id = $2', [
        context.meta.requestId,
        companyB,
      ]),
    ).toBeGreaterThanOrEqual(4);
  });

  it('returns nothing of another company to a query that forgets its company filter', async () => {
    const database = testApp.app.get(Database);
    for (const table of COMPANY_OWNED) {
      // The owner sees both companies' rows, where there are any...
      const owned = await db().query<{ company_id: string }>(
        `SELECT DISTINCT company_id FROM ${table}`,
      );
      // ...the service's own connection path, with no filter at all, only the current company's.
      for (const company of [companyA, companyB]) {
        const seen = await CompanyContext.run(company, () =>
          database.rows<{ company_id: string }>(
            sql`SELECT DISTINCT company_id FROM ${sqlIdentifier(table)}`,
          ),
        );
        const expected = owned.rows.filter((row) => row.company_id === company);
        expect({ table, company, seen: seen.map((row) => row.company_id) }).toEqual({
          table,
          company,
          seen: expected.map((row) => row.company_id),
        });
      }
    }
    // B really has rows in the tables that matter, so the loop above proves something.
    for (const table of ['shareholder', 'share_class', 'issuance', 'certificate', 'audit_entry']) {
      expect(
        await count(`SELECT 1 FROM ${table} WHERE company_id = $1`, [companyB]),
      ).toBeGreaterThan(0);
    }
    // A company row is visible only to itself.
    const companies = await CompanyContext.run(companyA, () =>
      database.rows<{ id: string }>(sql`SELECT id FROM company`),
    );
    expect(companies).toEqual([{ id: companyA }]);
  });

  it('refuses a statement without a company, and shows nothing to one run without', async () => {
    const database = testApp.app.get(Database);
    await expect(database.rows(sql`SELECT id FROM shareholder`)).rejects.toBeInstanceOf(
      MissingCompanyContextError,
    );
    expect(await database.rows(sql`SELECT id FROM shareholder`, { unscoped: true })).toEqual([]);
    expect(await database.rows(sql`SELECT id FROM company`, { unscoped: true })).toEqual([]);
  });

  it('refuses to write into, or point at, another company’s rows', async () => {
    const database = testApp.app.get(Database);
    const inA = <T>(work: () => Promise<T>) => CompanyContext.run(companyA, work);
    // An insert naming the other company is refused by the policy.
    await expect(
      inA(() =>
        database.run(
          sql`INSERT INTO shareholder (company_id, id, name, email) VALUES (${companyB}, ${randomUUID()}, 'Intruder', ${`intruder-${randomUUID()}@example.com`})`,
        ),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    // An update or a lock of the other company's row finds nothing.
    const updated = await inA(() =>
      database.run(sql`UPDATE shareholder SET name = 'Taken over' WHERE id = ${b.holder}`),
    );
    expect(updated.count).toBe(0);
    // A row of A cannot reference B's holder: the foreign key includes the company.
    await expect(
      inA(() =>
        database.run(
          sql`INSERT INTO issuance (id, shareholder_id, share_class_id, number_of_shares, price, total_amount, currency, date, created_by_sub, created_by)
              VALUES (${randomUUID()}, ${b.holder}, ${a.shareClass}, 1, 1, 1, 'EUR', CURRENT_DATE, 'e2e', 'e2e')`,
        ),
      ),
    ).rejects.toMatchObject({ code: '23503' });
    // Nor can the API's role switch row security off for itself.
    await expect(
      inA(() =>
        database.transaction(async (tx) => {
          await tx.query('SET LOCAL row_security = off');
          return tx.query('SELECT id FROM shareholder');
        }),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    expect(
      await count(`SELECT 1 FROM shareholder WHERE company_id = $1 AND name = 'Same Person'`, [
        companyB,
      ]),
    ).toBe(1);
  });

  it('answers 404 on the unscoped routes for the other company’s ids, and lists only its own', async () => {
    expect((await api.get(`/api/shareholders/${b.holder}`)).status).toBe(404);
    expect((await api.get(`/api/issuances/${b.issuance}`)).status).toBe(404);
    expect((await api.get(`/api/share-classes/${b.shareClass}`)).status).toBe(404);
    expect((await api.get(`/api/issuances/${b.issuance}/certificate`)).status).toBe(404);
    const byEmail = await api.get(`/api/shareholders/?email=${encodeURIComponent(email)}`);
    expect((byEmail.body as Array<{ id: string }>).map((holder) => holder.id)).toEqual([a.holder]);
    const capTable = await api.get('/api/cap-table');
    expect(JSON.stringify(capTable.body)).not.toContain(b.holder);
    expect(JSON.stringify(capTable.body)).not.toContain(b.shareClass);
    const company = await api.get('/api/company');
    expect(company.body.id).toBe(companyA);
    const audit = await api.get(`/api/audit/?entity_id=${b.holder}`, 'auditor');
    expect(audit.body.items).toEqual([]);
    const search = await api.get('/api/audit/?q=Second%20Company', 'auditor');
    expect(search.body.items).toEqual([]);
  });

  it('keeps one audit chain per company, each gap-free and verifying', async () => {
    const chains = await db().query<{ company_id: string; first: string; last: string; n: string }>(
      `SELECT company_id, min(seq)::text AS first, max(seq)::text AS last, count(*)::text AS n
         FROM audit_entry WHERE company_id = ANY($1::uuid[]) GROUP BY company_id`,
      [[companyA, companyB]],
    );
    expect(chains.rows).toHaveLength(2);
    for (const chain of chains.rows) {
      expect(chain.first).toBe('1');
      expect(chain.last).toBe(chain.n);
    }
    expect((await api.get('/api/audit/verify', 'auditor')).body).toMatchObject({ ok: true });
    const verifiedB = await inB(async () => {
      const { AuditService } = await import('../../src/audit/audit.service');
      return testApp.app.get(AuditService).verify();
    });
    expect(verifiedB).toMatchObject({ ok: true, checked: Number(chainOf(chains.rows, companyB)) });
  });

  it('appends to one company’s chain while another company’s chain is locked', async () => {
    const writer = testApp.app.get(AuditWriter);
    const database = testApp.app.get(Database);
    const input = (label: string) => ({
      occurredAt: new Date(),
      actor: { sub: 's', name: label, client_id: 'test', roles: [] },
      action: 'company.updated' as const,
      entityType: 'company',
      entityId: null,
      before: null,
      after: { label },
      requestId: null,
      outcome: 'success' as const,
      sourceEventId: null,
    });
    const holder = await db().connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
        AUDIT_CHAIN_LOCK,
        companyA,
      ]);
      let aDone = false;
      const appendA = CompanyContext.run(companyA, () =>
        database.transaction((tx) => writer.appendAll(tx, [input('waits')])),
      ).then(() => (aDone = true));
      // B's appends go through while A's chain is held, and come out in order.
      const appendsB = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          inB(() => database.transaction((tx) => writer.appendAll(tx, [input(`b-${i}`)]))),
        ),
      );
      expect(appendsB.flat()).toHaveLength(5);
      expect(aDone).toBe(false);
      await holder.query('COMMIT');
      await appendA;
      expect(aDone).toBe(true);
    } finally {
      holder.release();
    }
    const gaps = await db().query<{ company_id: string; gap: string }>(
      `SELECT company_id, (max(seq) - count(*))::text AS gap FROM audit_entry
        WHERE company_id = ANY($1::uuid[]) GROUP BY company_id`,
      [[companyA, companyB]],
    );
    expect(gaps.rows.map((row) => row.gap)).toEqual(['0', '0']);
  });

  it('keeps idempotency keys per company', async () => {
    const idempotency = testApp.app.get(IdempotencyService);
    const database = testApp.app.get(Database);
    const key = `same-key-${randomUUID()}`;
    // The same scope and key, each with its own request: each company sees a new key.
    const claim = (company: string) =>
      CompanyContext.run(company, () =>
        database.transaction(async (tx) => {
          const claimed = await idempotency.claim(
            tx,
            'scope',
            key,
            company.replace(/-/g, '').padEnd(64, '0'),
          );
          await idempotency.complete(tx, 'scope', key, { company });
          return claimed;
        }),
      );
    expect(await claim(companyA)).toEqual({ kind: 'new' });
    expect(await claim(companyB)).toEqual({ kind: 'new' });
    expect(await count('SELECT 1 FROM idempotency_key WHERE key = $1', [key])).toBe(2);
  });

  it('declares the isolation in the schema: row security, keys that lead with company_id, definer functions that are locked down', async () => {
    const unprotected = await db().query<{ table: string }>(
      `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'company_id')
          AND (NOT c.relrowsecurity OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))`,
    );
    expect(unprotected.rows).toEqual([]);
    const owned = await db().query<{ table: string }>(
      `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'company_id')
        ORDER BY 1`,
    );
    expect(owned.rows.map((row) => row.table)).toEqual([...COMPANY_OWNED].sort());
    // Every primary key and unique index of those tables starts with company_id.
    const keys = await db().query<{ index: string }>(
      `SELECT i.indexrelid::regclass::text AS index FROM pg_index i
        WHERE i.indrelid = ANY($1::regclass[]) AND (i.indisunique OR i.indisprimary)
          AND (SELECT attname FROM pg_attribute WHERE attrelid = i.indrelid AND attnum = i.indkey[0])
              IS DISTINCT FROM 'company_id'`,
      [COMPANY_OWNED],
    );
    expect(keys.rows).toEqual([]);
    // Every foreign key between them includes company_id.
    const references = await db().query<{ name: string }>(
      `SELECT conname AS name FROM pg_constraint
        WHERE contype = 'f' AND conrelid = ANY($1::regclass[]) AND confrelid = ANY($1::regclass[])
          AND NOT EXISTS (SELECT 1 FROM unnest(conkey) k
                           JOIN pg_attribute a ON a.attrelid = conrelid AND a.attnum = k
                          WHERE a.attname = 'company_id')`,
      [COMPANY_OWNED],
    );
    expect(references.rows).toEqual([]);
    // SECURITY DEFINER functions pin their search_path and are not executable by PUBLIC.
    const definers = await db().query<{ name: string; config: string[] | null; public: boolean }>(
      `SELECT p.proname AS name, p.proconfig AS config,
              has_function_privilege('public', p.oid, 'EXECUTE') AS public
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.prosecdef`,
    );
    expect(definers.rows.length).toBeGreaterThan(10);
    for (const fn of definers.rows) {
      expect({ fn: fn.name, public: fn.public }).toEqual({ fn: fn.name, public: false });
      expect(fn.config).toContain('search_path=pg_catalog, public');
    }
  });
});

function chainOf(rows: Array<{ company_id: string; n: string }>, company: string): string {
  return rows.find((row) => row.company_id === company)?.n ?? '0';
}

/** A table name from the fixed list above, as SQL. */
function sqlIdentifier(table: string) {
  if (!COMPANY_OWNED.includes(table)) throw new Error(`unexpected table ${table}`);
  return rawSql(`"${table}"`);
}
