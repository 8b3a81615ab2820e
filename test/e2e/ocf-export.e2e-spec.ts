import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import request from 'supertest';
import { Api, givenCompany } from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, db } from '../support/db';
import { tokenFor } from '../support/keycloak';
import { ledgerHelpers } from '../support/ledger';
import { eventually } from '../support/wait';
import {
  download,
  exportPackage,
  givenLedgerCompany,
  OcfFile,
  packageFindings,
  parsed,
  settled,
} from '../support/ocf';

describe('OCF export', () => {
  let testApp: TestApp;
  let api: Api;
  let company: Awaited<ReturnType<typeof givenLedgerCompany>>;

  beforeAll(async () => {
    testApp = await startApp();
    api = new Api(testApp);
    await givenCompany(api);
    company = await givenLedgerCompany(api, 'Exported Ltd');
    await settled(company.id);
  });
  afterAll(async () => {
    await testApp.close();
    await closeDb();
  });

  const base = () => company.at('').replace(/\/$/, '');

  it('exports a package whose every item, file and md5 the official 1.2.0 schemas accept', async () => {
    const files = await exportPackage(api, base(), 'as_of=2025-01-01');
    expect([...files.keys()].sort()).toEqual([
      'Manifest.ocf.json',
      'Stakeholders.ocf.json',
      'StockClasses.ocf.json',
      'StockLegendTemplates.ocf.json',
      'StockPlans.ocf.json',
      'Transactions.ocf.json',
      'Valuations.ocf.json',
      'VestingTerms.ocf.json',
    ]);
    expect(packageFindings(files)).toEqual([]);
    const manifest = JSON.parse(files.get('Manifest.ocf.json')!.toString()) as Record<
      string,
      unknown
    >;
    expect(manifest).toMatchObject({
      ocf_version: '1.2.0',
      file_type: 'OCF_MANIFEST_FILE',
      as_of: '2025-01-01',
      issuer: { object_type: 'ISSUER', legal_name: 'Exported Ltd', country_of_formation: 'GB' },
    });
    const types = parsed(files, 'Transactions.ocf.json').items.map((i) => i.object_type);
    for (const type of [
      'TX_STOCK_ISSUANCE',
      'TX_STOCK_TRANSFER',
      'TX_STOCK_CANCELLATION',
      'TX_STOCK_REPURCHASE',
      'TX_STOCK_CONVERSION',
      'TX_STOCK_CLASS_SPLIT',
      'TX_STOCK_REISSUANCE',
      'TX_STOCK_RETRACTION',
      'TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT',
      'TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT',
      'TX_STOCK_PLAN_POOL_ADJUSTMENT',
      'TX_EQUITY_COMPENSATION_ISSUANCE',
      'TX_VESTING_START',
      'TX_EQUITY_COMPENSATION_EXERCISE',
    ])
      expect(types).toContain(type);
  });

  it('links every security a transaction names to a stock issuance in the package', async () => {
    const transactions = parsed(await exportPackage(api, base()), 'Transactions.ocf.json').items;
    const securities = new Set(
      transactions
        .filter((t) => t.object_type === 'TX_STOCK_ISSUANCE')
        .map((t) => t.security_id as string),
    );
    const transfer = transactions.find(
      (t) => t.object_type === 'TX_STOCK_TRANSFER' && t.security_id === company.founders.id,
    )!;
    expect(transfer).toMatchObject({
      date: '2023-03-01',
      quantity: '3000',
      balance_security_id: company.transfer.balance.id,
      resulting_security_ids: company.transfer.resulting.map((r: { id: string }) => r.id),
    });
    const stock = ['TRANSFER', 'CANCELLATION', 'REPURCHASE', 'CONVERSION', 'REISSUANCE'];
    const named = transactions.filter((t) =>
      stock.some((kind) => t.object_type === `TX_STOCK_${kind}`),
    );
    expect(named.length).toBeGreaterThanOrEqual(6);
    for (const t of named) {
      expect(securities).toContain(t.security_id);
      for (const id of (t.resulting_security_ids as string[] | undefined) ?? [])
        expect(securities).toContain(id);
      if (t.balance_security_id) expect(securities).toContain(t.balance_security_id);
    }
    const exercise = transactions.find((t) => t.object_type === 'TX_EQUITY_COMPENSATION_EXERCISE')!;
    expect(exercise).toMatchObject({ security_id: company.grant.id, quantity: '1200' });
    expect(securities).toContain((exercise.resulting_security_ids as string[])[0]);
    // The mistaken issuance and its reversal are a stock issuance and its retraction.
    const retraction = transactions.find((t) => t.object_type === 'TX_STOCK_RETRACTION')!;
    expect(securities).toContain(retraction.security_id);
  });

  it('leaves out what is dated after as_of', async () => {
    const early = parsed(
      await exportPackage(api, base(), 'as_of=2023-03-31'),
      'Transactions.ocf.json',
    );
    const dates = early.items.map((t) => t.date as string);
    expect(dates.length).toBeGreaterThan(0);
    expect(dates.every((d) => d <= '2023-03-31')).toBe(true);
    expect(early.items.map((t) => t.object_type)).not.toContain('TX_STOCK_CLASS_SPLIT');
  });

  it('exports the same bytes twice, but for generated_at', async () => {
    const [first, second] = [
      await exportPackage(api, base(), 'as_of=2025-01-01'),
      await exportPackage(api, base(), 'as_of=2025-01-01'),
    ];
    for (const [name, bytes] of first)
      if (name !== 'Manifest.ocf.json') expect(second.get(name)!.equals(bytes)).toBe(true);
    const strip = (files: typeof first) => {
      const manifest = JSON.parse(files.get('Manifest.ocf.json')!.toString());
      delete manifest.generated_at;
      return manifest;
    };
    expect(strip(second)).toEqual(strip(first));
  });

  it('gives the same package as one JSON document with ?format=json', async () => {
    const files = await exportPackage(api, base(), 'as_of=2025-01-01');
    const response = await download(api, `${base()}/ocf/export?as_of=2025-01-01&format=json`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    const document = JSON.parse((response.body as Buffer).toString()) as {
      files: Record<string, OcfFile>;
      manifest: { transactions_files: Array<{ md5: string }> };
    };
    expect(Object.keys(document.files).sort()).toEqual(
      [...files.keys()].filter((n) => n !== 'Manifest.ocf.json').sort(),
    );
    for (const [name, file] of Object.entries(document.files))
      expect(file).toEqual(parsed(files, name));
    expect(document.manifest.transactions_files[0].md5).toBe(
      createHash('md5').update(files.get('Transactions.ocf.json')!).digest('hex'),
    );
  });

  describe('of a company too big to buffer', () => {
    let big: Awaited<ReturnType<ReturnType<typeof ledgerHelpers>['inNewCompany']>>;

    beforeAll(async () => {
      big = await ledgerHelpers(api).inNewCompany('Big Export Ltd');
      const shareClass = await big.post('/share-classes/', {
        name: 'Common',
        type: 'COMMON',
        authorized_shares: 1_000_000,
        par_value: '0.0001',
        votes_per_share: 1,
        certificate_prefix: 'BG',
      });
      const holder = await big.post('/shareholders/', {
        name: 'Many Holdings',
        email: 'many.holdings@example.com',
      });
      // 60,000 securities (about 25 MB of items): far more than the sockets between hold.
      await db().query(
        `INSERT INTO issuance (id, company_id, shareholder_id, share_class_id, number_of_shares, price,
                               total_amount, currency, date, created_by_sub, created_by)
         SELECT gen_random_uuid(), $1, $2, $3, 1, 1, 1, 'EUR', DATE '2024-01-01', 'test', 'test'
           FROM generate_series(1, 60000)`,
        [big.id, holder.id, shareClass.id],
      );
    }, 60_000);

    const exportSessions = async (): Promise<number> =>
      (
        await db().query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND query LIKE 'COPY (%'
              AND state <> 'idle'`,
        )
      ).rows[0].n;

    it.each(['', '&format=json'])(
      'stops reading when the client goes away, and its connection goes (%s)',
      async (format) => {
        // The first chunk of the response, then the connection closed.
        let got = 0;
        await request(api.server)
          .get(`${big.at('/ocf/export')}?as_of=2025-01-01${format}`)
          .set({ authorization: `Bearer ${await tokenFor('admin')}` })
          .buffer(true)
          .parse((response, done) => {
            response.once('data', (chunk: Buffer) => {
              got = chunk.length;
              (response as unknown as IncomingMessage).destroy();
              done(null, null);
            });
          })
          .catch(() => undefined);
        expect(got).toBeGreaterThan(0);
        await eventually(
          async () => ((await exportSessions()) === 0 ? true : undefined),
          10_000,
          'no export left reading',
        );
        // The service still exports (its pool has its connections).
        const files = await exportPackage(api, base(), 'as_of=2025-01-01');
        expect(files.has('Manifest.ocf.json')).toBe(true);
      },
      40_000,
    );
  });

  it('is for admins and auditors only, and refuses a bad as_of naming the field', async () => {
    const holder = await download(api, '/api/ocf/export', 'shareholder1');
    expect(holder.status).toBe(403);
    const auditor = await download(api, '/api/ocf/export', 'auditor');
    expect(auditor.status).toBe(200);
    const bad = await api.get(`${base()}/ocf/export?as_of=2025-02-30`);
    expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'as_of']);
  });
});
