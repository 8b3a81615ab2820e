import { createHash } from 'node:crypto';
import request from 'supertest';
import { ZipFile } from 'yazl';
import { OcfSchemas } from '../../src/ocf';
import { readZip } from '../../src/ocf-packages/import/ocf-zip';
import type { Api } from './api';
import { tokenFor, type TestUser } from './keycloak';
import { db } from './db';
import { ledgerHelpers } from './ledger';
import { eventually } from './wait';

export interface OcfFile {
  file_type: string;
  items: Array<Record<string, unknown>>;
}

/** A package as the export answered it: each file's bytes, by name. */
export type PackageFiles = Map<string, Buffer>;

const schemas = new OcfSchemas();

/** GET `path` (an export) as `as`, the body kept as bytes. */
export async function download(api: Api, path: string, as: TestUser = 'admin') {
  return request(api.server)
    .get(path)
    .set({ authorization: `Bearer ${await tokenFor(as)}` })
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

/** GET …/ocf/export (a zip), unpacked. */
export async function exportPackage(api: Api, base: string, query = ''): Promise<PackageFiles> {
  const response = await download(api, `${base}/ocf/export${query ? `?${query}` : ''}`);
  if (response.status !== 200)
    throw new Error(`export: ${response.status} ${(response.body as Buffer).toString()}`);
  return readZip(response.body as Buffer);
}

export const parsed = (files: PackageFiles, name: string): OcfFile =>
  JSON.parse(files.get(name)!.toString('utf8')) as OcfFile;

/**
 * Every finding of the official 1.2.0 schemas in a package: the manifest against the manifest
 * schema, each file against its file schema's own members, each item against the schema of its
 * object_type, and each manifest md5 against its file's bytes. None: the package is valid.
 */
export function packageFindings(files: PackageFiles): string[] {
  const findings: string[] = [];
  const manifest = JSON.parse(files.get('Manifest.ocf.json')!.toString('utf8')) as Record<
    string,
    unknown
  >;
  for (const e of schemas.validate('files/OCFManifestFile', manifest))
    findings.push(`manifest ${e.pointer}: ${e.message}`);
  for (const [key, list] of Object.entries(manifest)) {
    if (!key.endsWith('_files')) continue;
    for (const entry of list as Array<{ filepath: string; md5: string }>) {
      const name = entry.filepath.replace(/^\.\//, '');
      const bytes = files.get(name);
      if (!bytes) {
        findings.push(`${name}: listed in the manifest, missing`);
        continue;
      }
      if (createHash('md5').update(bytes).digest('hex') !== entry.md5)
        findings.push(`${name}: md5 differs from the manifest`);
      const file = JSON.parse(bytes.toString('utf8')) as OcfFile;
      file.items.forEach((item, index) => {
        for (const e of schemas.validateObject(item))
          findings.push(`${name} /items/${index}${e.pointer} (${String(item.id)}): ${e.message}`);
      });
    }
  }
  return findings;
}

/**
 * A company with a ledger that uses every kind of line the export maps: transfers to two holders,
 * a partial cancellation, a repurchase, a preferred-to-common conversion, a 2-for-1 split, a class
 * and a company authorized-shares adjustment, a stock plan with a pool increase, vesting terms, an
 * option grant with an exercise, and a reversal. Returns the ids the tests check.
 */
export async function givenLedgerCompany(api: Api, legalName: string) {
  const { inNewCompany } = ledgerHelpers(api);
  const company = await inNewCompany(legalName);
  const { post } = company;
  const common = await post('/share-classes/', {
    name: 'Common',
    type: 'COMMON',
    authorized_shares: 1_000_000,
    par_value: '0.0001',
    votes_per_share: 1,
    certificate_prefix: 'CS',
  });
  const preferred = await post('/share-classes/', {
    name: 'Series A Preferred',
    type: 'PREFERRED',
    authorized_shares: 100_000,
    par_value: '0.0001',
    votes_per_share: 1,
    certificate_prefix: 'PA',
    converts_to_share_class_id: common.id,
    conversion_numerator: 1,
    conversion_denominator: 1,
  });
  const holder = (name: string) =>
    post('/shareholders/', { name, email: `${name.toLowerCase().replace(/\W/g, '')}@example.com` });
  const [alice, bob, carol] = [
    await holder('Alice A'),
    await holder('Bob B'),
    await holder('Carol C'),
  ];
  const issue = (
    shareholder: { id: string },
    shareClass: { id: string },
    shares: number,
    date: string,
  ) =>
    post('/issuances/', {
      shareholder_id: shareholder.id,
      share_class_id: shareClass.id,
      number_of_shares: shares,
      price: '0.5',
      date,
    });
  const founders = await issue(alice, common, 10_000, '2023-01-10');
  const transfer = await post(`/issuances/${founders.id as string}/transfers`, {
    date: '2023-03-01',
    transfers: [
      { to_shareholder_id: bob.id, quantity: 2_000 },
      { to_shareholder_id: carol.id, quantity: 1_000 },
    ],
    price_per_share: '0.75',
  });
  const bobShares = transfer.resulting[0] as { id: string };
  const cancellation = await post(`/issuances/${bobShares.id}/cancellations`, {
    date: '2023-04-01',
    quantity: 500,
    reason: 'Unvested founder shares',
  });
  await post(`/issuances/${transfer.balance.id as string}/repurchases`, {
    date: '2023-05-01',
    quantity: 1_000,
    price_per_share: '0.6',
  });
  const seriesA = await issue(carol, preferred, 4_000, '2023-06-01');
  await post(`/issuances/${seriesA.id as string}/conversions`, {
    date: '2023-09-01',
    to_share_class_id: common.id,
    quantity: 1_000,
  });
  await post(`/share-classes/${preferred.id as string}/authorized-shares-adjustments`, {
    date: '2023-07-01',
    authorized_shares: 90_000,
  });
  await post('/authorized-shares-adjustments', {
    date: '2023-07-01',
    authorized_shares: 5_000_000,
  });
  const mistaken = await issue(bob, common, 777, '2023-10-01');
  await post(`/transactions/${mistaken.id as string}/reversal`, { reason: 'Issued twice' });
  const plan = await post('/stock-plans/', {
    name: '2023 Plan',
    share_class_id: common.id,
    initial_shares_reserved: 50_000,
    default_cancellation_behavior: 'RETURN_TO_POOL',
  });
  await post(`/stock-plans/${plan.id as string}/pool-adjustments`, {
    date: '2023-12-01',
    shares_reserved: 60_000,
  });
  const terms = await post('/vesting-terms/', {
    name: '4y/1y',
    total_months: 48,
    cliff_months: 12,
    frequency_months: 1,
    allocation_type: 'CUMULATIVE_ROUNDING',
  });
  const grant = await post('/grants/', {
    shareholder_id: carol.id,
    stock_plan_id: plan.id,
    compensation_type: 'OPTION_NSO',
    quantity: 4_800,
    exercise_price: '0.5',
    grant_date: '2023-02-01',
    vesting_terms_id: terms.id,
    vesting_start_date: '2023-02-01',
    expiration_date: '2033-01-31',
    termination_exercise_days: 90,
  });
  await post(`/grants/${grant.id as string}/exercises`, { date: '2024-03-01', quantity: 1_200 });
  await post('/grants/', {
    shareholder_id: bob.id,
    stock_plan_id: plan.id,
    compensation_type: 'RSU',
    quantity: 1_000,
    grant_date: '2023-02-01',
    vesting: [
      { date: '2023-08-01', quantity: 400 },
      { date: '2024-02-01', quantity: 600 },
    ],
    expiration_date: '2033-01-31',
  });
  await post(`/share-classes/${common.id as string}/splits`, {
    date: '2024-06-01',
    numerator: 2,
    denominator: 1,
  });
  return {
    ...company,
    common,
    preferred,
    alice,
    bob,
    carol,
    founders,
    transfer,
    cancellation,
    plan,
    grant,
  };
}

/**
 * Waits until every event of the company has been delivered and every certificate it asked for
 * numbered and rendered (its audit entries written): the ledger an export reads has settled.
 */
export async function settled(companyId: string, timeoutMs = 60_000): Promise<void> {
  await eventually(
    async () => {
      const { rows } = await db().query<{ pending: number }>(
        `SELECT (SELECT count(*)::int FROM outbox_event
                  WHERE company_id = $1 AND delivered_at IS NULL AND dead_lettered_at IS NULL)
              + (SELECT count(*)::int FROM certificate_request WHERE company_id = $1) AS pending`,
        [companyId],
      );
      return rows[0].pending === 0 ? true : undefined;
    },
    timeoutMs,
    `the events of company ${companyId}`,
    200,
  );
}

/** POST a package (a zip's bytes, or the single JSON document) to an import route. */
export async function postPackage(
  api: Api,
  path: string,
  body: Buffer | object,
  as: TestUser | { token: string } = 'admin',
) {
  const token = typeof as === 'object' ? as.token : await tokenFor(as);
  const zip = Buffer.isBuffer(body);
  return request(api.server)
    .post(path)
    .set({
      authorization: `Bearer ${token}`,
      'content-type': zip ? 'application/zip' : 'application/json',
    })
    .send(zip ? body : JSON.stringify(body));
}

/** A zip of `files` (name → bytes or JSON), as a package is sent. */
export async function zipOf(files: Record<string, Buffer | object>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, content] of Object.entries(files))
    zip.addBuffer(
      Buffer.isBuffer(content) ? content : Buffer.from(JSON.stringify(content, null, 2)),
      name,
    );
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Each holder's shares per class, by the holder's email, as GET …/cap-table shows them. */
export async function holdingsByEmail(
  api: Api,
  base: string,
  query: string,
): Promise<Record<string, Record<string, number>>> {
  const [table, holders, classes] = await Promise.all([
    api.get(`${base}/cap-table?${query}`),
    api.get(`${base}/shareholders/?limit=500`),
    api.get(`${base}/share-classes/`),
  ]);
  expect(table.status).toBe(200);
  const emailOf = new Map(
    (holders.body.items ?? holders.body).map((h: { id: string; email: string }) => [h.id, h.email]),
  );
  const className = new Map(
    (classes.body as Array<{ id: string; name: string }>).map((c) => [c.id, c.name]),
  );
  const result: Record<string, Record<string, number>> = {};
  for (const holder of table.body.holders as Array<{
    shareholder_id: string;
    holdings: Array<{ share_class_id: string; shares: number }>;
  }>) {
    const row: Record<string, number> = {};
    for (const h of holder.holdings) if (h.shares) row[className.get(h.share_class_id)!] = h.shares;
    if (Object.keys(row).length) result[String(emailOf.get(holder.shareholder_id))] = row;
  }
  return result;
}
