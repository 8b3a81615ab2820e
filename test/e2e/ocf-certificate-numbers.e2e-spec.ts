import { Api, givenCompany } from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb } from '../support/db';
import { jsonPackage, ledgerPackageItems } from '../support/ocf-fixture';
import { exportPackage, parsed, postPackage, settled } from '../support/ocf';

type Item = Record<string, unknown>;
interface Security {
  id: string;
  ocf_id: string | null;
  share_class_id: string;
  certificate_number: string | null;
  status: string;
}

/** The package's stock issuances, by security id: the certificate number each one had. */
const customIds = (items: Record<string, Item[]>) =>
  new Map(
    items.transactions
      .filter((t) => t.object_type === 'TX_STOCK_ISSUANCE')
      .map((t) => [t.security_id as string, t.custom_id as string]),
  );

describe('OCF import: certificate numbers', () => {
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

  /** Imports the package, waits for its certificates, and lists every security of the company. */
  const imported = async (items: Record<string, Item[]>) => {
    const response = await postPackage(api, '/api/ocf/import', jsonPackage(items));
    if (response.status !== 201) throw new Error(JSON.stringify(response.body, null, 1));
    const companyId = response.body.company_id as string;
    await settled(companyId);
    const base = `/api/companies/${companyId}`;
    const securities = (await api.get(`${base}/issuances/?status=all&limit=100`))
      .body as Security[];
    const numbers = new Map(securities.map((s) => [s.ocf_id!, s.certificate_number]));
    return { base, securities, numbers };
  };

  it("numbers each imported security's certificate by its custom_id, and exports it again", async () => {
    const items = ledgerPackageItems();
    const { base, securities, numbers } = await imported(items);
    const expected = customIds(items);
    expect(securities).toHaveLength(expected.size);
    // Outstanding securities have their certificates; those spent in the package's history none.
    const outstanding = securities.filter((s) => s.status === 'OUTSTANDING').map((s) => s.ocf_id!);
    expect(outstanding).toHaveLength(6);
    expect(Object.fromEntries(numbers)).toEqual(
      Object.fromEntries(
        [...expected].map(([id, custom]) => [id, outstanding.includes(id) ? custom : null]),
      ),
    );

    const exported = parsed(
      await exportPackage(api, base, 'as_of=2025-12-31'),
      'Transactions.ocf.json',
    );
    const back = exported.items.filter((t) => t.object_type === 'TX_STOCK_ISSUANCE');
    expect(new Map(back.map((t) => [t.security_id, t.custom_id]))).toEqual(expected);
  });

  it('numbers by the class what cannot be a number here, keeps the original, and goes on after a number in its own form', async () => {
    const items = ledgerPackageItems();
    const custom: Record<string, string> = {
      's-angel-3': 'DUP', // twice in the package: neither is used
      's-emil-short-2': 'DUP',
      's-founder-4': 'S-FOUNDER-3', // the number of the spent security it came from
      's-fund-2': 'CS-000007', // the common class's form, on a preferred share
      's-fund-common-2': 'CS-000050', // the common class's own form: its sequence 50
      's-emil-2': 'Cert 12', // a space: not a number here
    };
    for (const t of items.transactions)
      if (t.object_type === 'TX_STOCK_ISSUANCE' && custom[t.security_id as string])
        t.custom_id = custom[t.security_id as string];
    const { base, securities, numbers } = await imported(items);

    expect(numbers.get('s-fund-common-2')).toBe('CS-000050');
    expect(numbers.get('s-founder-4')).toBe('S-FOUNDER-3');
    for (const security of ['s-angel-3', 's-emil-short-2', 's-emil-2'])
      expect({ security, number: numbers.get(security) }).toEqual({
        security,
        number: expect.stringMatching(/^CS-\d{6}$/),
      });
    expect(numbers.get('s-fund-2')).toMatch(/^PS-\d{6}$/);
    const all = securities.flatMap((s) => s.certificate_number ?? []);
    expect(new Set(all).size).toBe(all.length);

    // The class's numbering goes on after the sequence an imported number took.
    const common = securities.find((s) => s.ocf_id === 's-founder-4')!.share_class_id;
    const holder = ((await api.get(`${base}/shareholders/`)).body as Array<{ id: string }>)[0];
    const issued = await api.post(`${base}/issuances/`, {
      shareholder_id: holder.id,
      share_class_id: common,
      number_of_shares: 10,
      price: '0.001',
      date: '2025-12-01',
    });
    expect(issued.status).toBe(201);
    await settled(base.split('/').pop()!);
    const fresh = await api.get(`${base}/issuances/${issued.body.id as string}`);
    const sequence = Number(/^CS-(\d{6})$/.exec(fresh.body.certificate_number as string)?.[1]);
    expect(sequence).toBeGreaterThan(50);

    // The export gives every security the number it came with.
    const exported = parsed(
      await exportPackage(api, base, 'as_of=2025-12-31'),
      'Transactions.ocf.json',
    );
    const back = new Map(
      exported.items
        .filter((t) => t.object_type === 'TX_STOCK_ISSUANCE')
        .map((t) => [t.security_id, t.custom_id]),
    );
    for (const [security, number] of Object.entries(custom))
      expect({ security, custom_id: back.get(security) }).toEqual({ security, custom_id: number });
  });
});
