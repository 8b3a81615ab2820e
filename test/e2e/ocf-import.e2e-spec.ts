import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Api, givenCompany } from '../support/api';
import { createTemporaryUser, TemporaryUser } from '../support/keycloak-admin';
import { startApp, TestApp } from '../support/app';
import { closeDb, count } from '../support/db';
import {
  EXPECTED_POSITIONS,
  jsonPackage,
  ledgerPackageItems,
  zipFiles,
} from '../support/ocf-fixture';
import { readZip } from '../../src/ocf-packages/import/ocf-zip';
import {
  download,
  exportPackage,
  packageFindings,
  parsed,
  givenLedgerCompany,
  holdingsByEmail,
  postPackage,
  settled,
  zipOf,
} from '../support/ocf';

describe('OCF import', () => {
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

  it('imports its own export into a new company: the same cap table on every date', async () => {
    const original = await givenLedgerCompany(api, 'Round Trip Ltd');
    await settled(original.id);
    const exported = await download(api, `${original.at('/ocf/export')}?as_of=2025-01-01`);
    const imported = await postPackage(api, '/api/ocf/import', exported.body as Buffer);
    if (imported.status !== 201) throw new Error(JSON.stringify(imported.body, null, 1));
    const copy = `/api/companies/${imported.body.company_id as string}`;
    for (const date of [
      '2023-01-10',
      '2023-03-01',
      '2023-05-01',
      '2023-09-01',
      '2024-03-01',
      '2024-06-01',
    ])
      expect(await holdingsByEmail(api, copy, `as_of=${date}`)).toEqual(
        await holdingsByEmail(api, original.at('').replace(/\/$/, ''), `as_of=${date}`),
      );

    // Exported again, it is the same package: the same objects under the same ids, the
    // certificates under the same numbers (custom_id).
    await settled(imported.body.company_id as string);
    const again = await exportPackage(api, copy, 'as_of=2025-01-01');
    const first = await readZip(exported.body as Buffer);
    for (const name of first.keys()) {
      if (name === 'Manifest.ocf.json') continue;
      expect({ name, items: parsed(again, name).items }).toEqual({
        name,
        items: parsed(first, name).items,
      });
    }
    const manifest = (files: typeof first) =>
      (JSON.parse(files.get('Manifest.ocf.json')!.toString()) as { issuer: object }).issuer;
    expect(manifest(again)).toEqual(manifest(first));
  });

  const companies = () => count('SELECT 1 FROM company');

  it('imports a package written elsewhere: the positions on every date are the ledger it describes', async () => {
    const response = await postPackage(api, '/api/ocf/import', jsonPackage(ledgerPackageItems()));
    if (response.status !== 201) throw new Error(JSON.stringify(response.body, null, 1));
    expect(response.body).toMatchObject({
      dry_run: false,
      imported: {
        STAKEHOLDER: 4,
        STOCK_CLASS: 2,
        STOCK_PLAN: 1,
        VESTING_TERMS: 1,
        TX_STOCK_ISSUANCE: 15,
        TX_STOCK_TRANSFER: 1,
        TX_STOCK_CANCELLATION: 1,
        TX_STOCK_REPURCHASE: 1,
        TX_STOCK_CONVERSION: 1,
        TX_STOCK_CLASS_SPLIT: 1,
        TX_STOCK_REISSUANCE: 5,
        TX_EQUITY_COMPENSATION_ISSUANCE: 2,
        TX_VESTING_START: 1,
        TX_EQUITY_COMPENSATION_EXERCISE: 2,
      },
      warnings: [],
    });
    const base = `/api/companies/${response.body.company_id as string}`;
    for (const [date, expected] of Object.entries(EXPECTED_POSITIONS))
      expect({ date, positions: await holdingsByEmail(api, base, `as_of=${date}`) }).toEqual({
        date,
        positions: expected,
      });
    const company = await api.get(base);
    expect(company.body).toMatchObject({
      legal_name: 'Acme Widgets, Inc.',
      country: 'US',
      default_currency: 'USD',
    });

    // The grant vests as the sample's terms say, and its exercise is a stock issuance of the plan.
    const grants = await api.get(`${base}/grants/`);
    const byQuantity = (n: number) =>
      (grants.body as Array<{ id: string; quantity: number }>).find((g) => g.quantity === n)!;
    const vesting = await api.get(
      `${base}/grants/${byQuantity(48_000).id}/vesting?as_of=2025-02-01`,
    );
    expect(vesting.body).toMatchObject({ vested: 12_000, exercised: 12_000 });
    // The short grant was exercised inside its window, in history; now that window has closed,
    // and once the import is done what is left of it is recorded as expired, back in the pool.
    const short = await api.get(`${base}/grants/${byQuantity(4_000).id}`);
    expect(short.body).toMatchObject({ status: 'EXPIRED', exercised: 1_000 });
    const plan = await api.get(`${base}/stock-plans/`);
    expect(plan.body).toEqual([expect.objectContaining({ exercised: 13_000, returned: 3_000 })]);

    // Every object that came from the package shows its OCF id.
    const ocfIds = async (path: string) => {
      const body = (await api.get(`${base}${path}`)).body as
        Array<{ ocf_id: string | null }> | { items: Array<{ ocf_id: string | null }> };
      return (Array.isArray(body) ? body : body.items).map((o) => o.ocf_id).sort();
    };
    expect(await ocfIds('/shareholders/')).toEqual([
      'sh-angel',
      'sh-employee',
      'sh-founder',
      'sh-fund',
    ]);
    expect(await ocfIds('/share-classes/')).toEqual(['cl-common', 'cl-pref']);
    expect(await ocfIds('/stock-plans/')).toEqual(['plan-2024']);
    expect(await ocfIds('/vesting-terms/')).toEqual(['4yr-1yr-cliff-schedule']);
    expect(await ocfIds('/grants/')).toEqual(['g-emil', 'g-emil-short']);
    expect(await ocfIds('/issuances/')).toEqual(
      [
        's-angel-3',
        's-emil-2',
        's-emil-short-2',
        's-founder-4',
        's-fund-2',
        's-fund-common-2',
      ].sort(),
    );
    expect(await ocfIds('/transactions/?kind=TRANSFER')).toEqual(['tx-transfer']);

    // Exported, it is valid OCF again, under the package's own ids.
    await settled(response.body.company_id as string);
    const exported = await exportPackage(api, base, 'as_of=2025-12-31');
    expect(packageFindings(exported)).toEqual([]);
    expect(
      parsed(exported, 'Stakeholders.ocf.json')
        .items.map((i) => i.id)
        .sort(),
    ).toEqual(['sh-angel', 'sh-employee', 'sh-founder', 'sh-fund']);
    const transactions = parsed(exported, 'Transactions.ocf.json').items;
    expect(transactions.find((t) => t.id === 'tx-transfer')).toMatchObject({
      object_type: 'TX_STOCK_TRANSFER',
      security_id: 's-founder',
      resulting_security_ids: ['s-angel'],
      balance_security_id: 's-founder-2',
    });
    expect(transactions.find((t) => t.id === 'tx-exercise')).toMatchObject({
      security_id: 'g-emil',
      resulting_security_ids: ['s-emil'],
    });
    const manifest = JSON.parse(exported.get('Manifest.ocf.json')!.toString());
    expect(manifest.issuer.id).toBe('issuer-acme');
  });

  it('lists every problem of a corrupted package, with file, pointer and id, and writes nothing', async () => {
    const items = ledgerPackageItems();
    const tx = (id: string) => items.transactions.find((t) => t.id === id)!;
    tx('tx-transfer').quantity = '700000';
    tx('tx-s-fund').stakeholder_id = 'sh-ghost';
    tx('tx-s-angel-2').date = '2024-02-30';
    const before = await companies();
    const response = await postPackage(api, '/api/ocf/import', jsonPackage(items));
    expect([response.status, response.body.code]).toEqual([422, 'OCF_PACKAGE_INVALID']);
    const found = (response.body.errors as Array<Record<string, string>>).map(
      ({ file, pointer, id, message }) => ({ file, pointer, id, message }),
    );
    const index = (id: string) => items.transactions.findIndex((t) => t.id === id);
    expect(found).toEqual(
      expect.arrayContaining([
        {
          file: 'Transactions.ocf.json',
          pointer: `/items/${index('tx-s-angel-2')}/date`,
          id: 'tx-s-angel-2',
          message: 'must match format "date"',
        },
        {
          file: 'Transactions.ocf.json',
          pointer: `/items/${index('tx-s-fund')}/stakeholder_id`,
          id: 'tx-s-fund',
          message: 'names the stakeholder sh-ghost, which the package does not hold',
        },
        {
          file: 'Transactions.ocf.json',
          pointer: `/items/${index('tx-transfer')}/quantity`,
          id: 'tx-transfer',
          message: 'spends 700000 shares of s-founder, which holds 600000',
        },
      ]),
    );
    expect(await companies()).toBe(before);
  });

  it('checks everything and writes nothing on a dry run', async () => {
    const holders = () =>
      count('SELECT 1 FROM shareholder WHERE email = $1', ['frida@founders.example']);
    const [companiesBefore, holdersBefore] = [await companies(), await holders()];
    const response = await postPackage(
      api,
      '/api/ocf/import?dry_run=true',
      jsonPackage(ledgerPackageItems()),
    );
    expect([
      response.status,
      response.body.dry_run,
      response.body.imported.TX_STOCK_ISSUANCE,
    ]).toEqual([200, true, 15]);
    expect([await companies(), await holders()]).toEqual([companiesBefore, holdersBefore]);
  });

  it('imports a package from another OCF version as a zip, with a warning for each deviation', async () => {
    const items = ledgerPackageItems();
    const grant = items.transactions.find((t) => t.id === 'tx-grant')!;
    grant.object_type = 'TX_PLAN_SECURITY_ISSUANCE';
    grant.compensation_type = 'OPTION';
    grant.option_grant_type = 'ISO';
    for (const t of items.transactions)
      if (t.stock_plan_id === 'plan-2024') t.stock_plan_id = 'plan-not-in-package';
    items.plans = [];
    const { 'Stakeholders.ocf.json': stakeholders, ...rest } = zipFiles(items, {
      ocf_version: '1.1.0',
    });
    const renamed = await zipOf({ ...rest, 'holders.json': stakeholders });
    const response = await postPackage(api, '/api/ocf/import', renamed);
    if (response.status !== 201) throw new Error(JSON.stringify(response.body, null, 1));
    const messages = (response.body.warnings as Array<{ pointer: string; message: string }>).map(
      (w) => `${w.pointer} ${w.message}`,
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        '/ocf_version is "1.1.0"; read as 1.2.0',
        '/stakeholders_files/0 lists ./Stakeholders.ocf.json; the archive names it holders.json (matched by its file_type)',
        expect.stringMatching(
          /^\/transactions_files\/0\/md5 Transactions.ocf.json's md5 is [0-9a-f]{32}, not 0{32} as the manifest says$/,
        ),
        expect.stringMatching(
          /object_type TX_PLAN_SECURITY_ISSUANCE read as TX_EQUITY_COMPENSATION_ISSUANCE$/,
        ),
        expect.stringMatching(
          /compensation_type OPTION with option_grant_type ISO read as OPTION_ISO$/,
        ),
        expect.stringMatching(
          /stock_plan_id names the stock plan plan-not-in-package, which the package does not define: imported as a placeholder reserving the 52000 shares the package grants from it$/,
        ),
      ]),
    );
    const base = `/api/companies/${response.body.company_id as string}`;
    expect(await holdingsByEmail(api, base, 'as_of=2025-07-01')).toEqual(
      EXPECTED_POSITIONS['2025-07-01'],
    );
    const plans = await api.get(`${base}/stock-plans/`);
    expect(plans.body).toEqual([
      expect.objectContaining({
        name: 'Placeholder: plan-not-in-package (not in the package)',
        shares_reserved: 52_000,
      }),
    ]);
  });

  /** The official 1.2.0 samples, as files of a zip; `keep` picks which. */
  const samples = (keep: (name: string) => boolean = () => true) => {
    const dir = join(__dirname, '..', '..', 'ocf', 'samples');
    const files: Record<string, Buffer> = {};
    for (const name of readdirSync(dir))
      if (keep(name)) files[name] = readFileSync(join(dir, name));
    return files;
  };
  const entries = (body: { errors?: Array<Record<string, string>> }) =>
    (body.errors ?? []).map((e) => `${e.file}${e.pointer} ${e.message}`);

  it('refuses the official samples with the exact list of what it does not model, then of what does not hold', async () => {
    const zip = await zipOf(samples());
    const unsupported = await postPackage(api, '/api/ocf/import', zip);
    expect([unsupported.status, unsupported.body.code]).toEqual([422, 'OCF_UNSUPPORTED_OBJECTS']);
    const types = entries(unsupported.body).map((e) => e.split(' ')[1]);
    expect(new Set(types)).toEqual(
      new Set([
        'TX_CONVERTIBLE_ACCEPTANCE',
        'TX_CONVERTIBLE_CANCELLATION',
        'TX_CONVERTIBLE_CONVERSION',
        'TX_CONVERTIBLE_ISSUANCE',
        'TX_CONVERTIBLE_RETRACTION',
        'TX_CONVERTIBLE_TRANSFER',
        'TX_EQUITY_COMPENSATION_RETRACTION',
        'TX_EQUITY_COMPENSATION_TRANSFER',
        'TX_WARRANT_ACCEPTANCE',
        'TX_WARRANT_CANCELLATION',
        'TX_WARRANT_EXERCISE',
        'TX_WARRANT_ISSUANCE',
        'TX_WARRANT_RETRACTION',
        'TX_WARRANT_TRANSFER',
        'FINANCING',
      ]),
    );
    expect(types).toHaveLength(36);

    // The sample transactions are examples of each object, not one ledger: skipping what is not
    // modelled, what is left does not hold together, and each reason is named.
    const skipped = await postPackage(api, '/api/ocf/import?skip_unsupported=true', zip);
    expect([skipped.status, skipped.body.code]).toEqual([422, 'OCF_PACKAGE_INVALID']);
    expect(entries(skipped.body)).toHaveLength(31);
    expect(entries(skipped.body)).toEqual(
      expect.arrayContaining([
        'Transactions.ocf.json/items/46 issues the security test-security-id of /items/45 again',
        'Transactions.ocf.json/items/45/stakeholder_id names the stakeholder stakeholder-id, which the package does not hold',
        'Transactions.ocf.json/items/41/quantity does not balance: 37 spent and 0 left, but test-security-id holds 1000',
        'Transactions.ocf.json/items/23/quantity takes 100 of test-security-id, which has 50 left',
        'Transactions.ocf.json/items/79/stock_plan_id names the stock plan 2022 Stock Option Plan, which the package does not hold',
      ]),
    );
  });

  it("imports the official samples' stakeholders, classes, legends, plans, vesting terms and valuations, with the warnings they deserve", async () => {
    const files = samples((name) => !/Transactions|Financings|Documents/.test(name));
    const empty = (fileType: string) =>
      Buffer.from(JSON.stringify({ file_type: fileType, items: [] }));
    files['Transactions.ocf.json'] = empty('OCF_TRANSACTIONS_FILE');
    files['Financings.ocf.json'] = empty('OCF_FINANCINGS_FILE');
    const response = await postPackage(api, '/api/ocf/import', await zipOf(files));
    if (response.status !== 201) throw new Error(JSON.stringify(response.body, null, 1));
    expect(response.body.imported).toEqual({
      STAKEHOLDER: 4,
      STOCK_CLASS: 2,
      STOCK_LEGEND_TEMPLATE: 1,
      STOCK_PLAN: 1,
      VESTING_TERMS: 7,
      VALUATION: 1,
    });
    const warnings = (response.body.warnings as Array<Record<string, string>>).map(
      (w) => `${w.file}${w.pointer} ${w.message}`,
    );
    // The samples' manifest gives md5s of other versions of its files.
    expect(
      warnings.filter(
        (w) => w.includes('md5 as the manifest says') || w.includes('as the manifest says'),
      ),
    ).toHaveLength(8);
    expect(warnings).toEqual(
      expect.arrayContaining([
        'VestingTerms.example1.ocf.json is not listed in the manifest; imported by its file_type',
        'Stakeholders.ocf.json/items/2 has no email; imported as stakeholder-stakeholder-sample-minimal-fields@ocf-import.invalid (an address that never delivers)',
      ]),
    );
    // The valuation is kept and exported again unchanged.
    const base = `/api/companies/${response.body.company_id as string}`;
    const exported = await exportPackage(api, base);
    const valuation = JSON.parse(files['Valuations.ocf.json'].toString()).items[0];
    expect(parsed(exported, 'Valuations.ocf.json').items).toEqual([valuation]);
  });

  describe('into an existing company', () => {
    let adminOfDefault: TemporaryUser;
    const newCompany = async () => {
      const created = await api.post('/api/companies/', {
        legal_name: 'Empty Co',
        country: 'US',
        formation_date: '2023-01-01',
        default_currency: 'USD',
      });
      expect(created.status).toBe(201);
      return created.body.id as string;
    };

    beforeAll(async () => {
      adminOfDefault = await createTemporaryUser('shareholder');
      const companies = await api.get('/api/companies/');
      const defaultId = (companies.body as Array<{ id: string; legal_name: string }>).find(
        (c) => c.legal_name === 'Acme Robotics Ltd',
      )!.id;
      const member = await api.post(`/api/companies/${defaultId}/members`, {
        role: 'admin',
        email: adminOfDefault.email,
      });
      expect(member.status).toBe(201);
    }, 60_000);
    afterAll(() => adminOfDefault?.remove());

    it('imports into an empty company once: concurrent imports, exactly one succeeds', async () => {
      const company = await newCompany();
      const body = jsonPackage(ledgerPackageItems());
      const answers = await Promise.all(
        Array.from({ length: 4 }, () =>
          postPackage(api, `/api/companies/${company}/ocf/import`, body),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
      expect(new Set(answers.filter((a) => a.status === 409).map((a) => a.body.code))).toEqual(
        new Set(['LEDGER_NOT_EMPTY']),
      );
      expect(await count('SELECT 1 FROM shareholder WHERE company_id = $1', [company])).toBe(4);
      expect(await holdingsByEmail(api, `/api/companies/${company}`, 'as_of=2025-07-01')).toEqual(
        EXPECTED_POSITIONS['2025-07-01'],
      );
    });

    it('records the import in the audit log, and a refusal as its only trace', async () => {
      const company = await newCompany();
      const bad = ledgerPackageItems();
      bad.classes[0].initial_shares_authorized = '500000';
      const refused = await postPackage(
        api,
        `/api/companies/${company}/ocf/import`,
        jsonPackage(bad),
      );
      expect([refused.status, refused.body.code]).toEqual([422, 'OCF_PACKAGE_INVALID']);
      expect(entries(refused.body)).toEqual([
        expect.stringMatching(/^Transactions.ocf.json\/items\/0 AUTHORIZED_SHARES_EXCEEDED: /),
      ]);
      expect(await count('SELECT 1 FROM shareholder WHERE company_id = $1', [company])).toBe(0);
      const imported = await postPackage(
        api,
        `/api/companies/${company}/ocf/import`,
        jsonPackage(ledgerPackageItems()),
      );
      expect(imported.status).toBe(201);
      await settled(company);
      const audit = await api.get(
        `/api/companies/${company}/audit/?action=ocf.package_refused&action=ocf.package_imported`,
      );
      const actions = (audit.body.items as Array<{ action: string }>).map((e) => e.action).sort();
      expect(actions).toEqual(['ocf.package_imported', 'ocf.package_refused']);
      const created = await api.get(`/api/companies/${company}/audit/?action=shareholder.created`);
      expect(created.body.items).toHaveLength(4);
    });

    it("refuses a company's admin importing into another company, or as a new company", async () => {
      const other = await newCompany();
      const token = { token: await adminOfDefault.token() };
      const body = jsonPackage(ledgerPackageItems());
      const into = await postPackage(api, `/api/companies/${other}/ocf/import`, body, token);
      // Another company's existence is not confirmed to a non-member.
      expect([into.status, into.body.code]).toEqual([404, 'COMPANY_NOT_FOUND']);
      const asNew = await postPackage(api, '/api/ocf/import', body, token);
      expect([asNew.status, asNew.body.code]).toEqual([403, 'FORBIDDEN']);
      expect(await count('SELECT 1 FROM shareholder WHERE company_id = $1', [other])).toBe(0);
    });
  });
});
