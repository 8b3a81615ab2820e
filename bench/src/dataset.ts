/**
 * The benchmark dataset, loaded with COPY (no request per row): 1 big company with 3 share
 * classes, holders, issuances over 5 years and the stock ledger's transactions and splits
 * (`dataset-ledger.ts`), the certificates of its outstanding securities
 * (`dataset-certificates.ts`), and an audit log whose hash chain is computed here with the
 * service's own canonical form (`entryHash(chainedFieldsOf(...))`), so `GET /api/audit/verify`
 * accepts it and the service appends to it as to its own; beside it, many small companies
 * (`dataset-companies.ts`) and the company whose class the `split` phase splits
 * (`dataset-split-company.ts`); and the big company's equity plans and grants
 * (`dataset-equity.ts`), loaded before its certificates so their exercises' issuances get theirs.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { provisionDatabase } from '../../src/core/db/provision';
import type { EventActor } from '../../src/events';
import { loadAuditLog, LoadedAuditLog } from './dataset-audit';
import { loadCertificates } from './dataset-certificates';
import { DAY_MS, isoDate, Rng, rngOf, TableLoad, timed } from './dataset-common';
import { loadSmallCompanies } from './dataset-companies';
import { EquityDataset, loadEquity } from './dataset-equity';
import { Ledger, loadLedger } from './dataset-ledger';
import { loadSplitCompany, SplitCompany } from './dataset-split-company';
import type { Sizes } from './options';

export type { TableLoad } from './dataset-common';

export interface Actors {
  admin: EventActor;
  auditor: EventActor;
  shareholder1: EventActor;
}

export interface Dataset {
  loads: TableLoad[];
  totalSeconds: number;
  companyName: string;
  classIds: string[];
  holderIds: string[];
  /** Issuances read by the admin read test (random sample). */
  readIssuanceIds: string[];
  /** The linked holder (shareholder1) and its issuances, for owner reads. */
  ownerHolderId: string;
  ownerIssuanceIds: string[];
  /** Outstanding securities set aside for on-demand certificate rendering (none has a certificate). */
  certificateIssuanceIds: string[];
  /** Outstanding securities for the transfers test, one request each (random order). */
  transferIssuanceIds?: string[];
  /** The ledger's rows by kind (securities, transactions of each kind, splits). */
  ledgerCounts?: Record<string, number>;
  /** The `known_at` of the cap table figure (with `as_of` midDate): 30 days after it, noon UTC. */
  knownAt?: string;
  /** The company whose class of one security per holder the `split` phase splits. */
  splitCompany?: SplitCompany;
  firstDate: string;
  lastDate: string;
  midDate: string;
  /** The audit filter of the benchmark: actor + action + a one-year window. */
  auditFilter: { actor: string; action: string; from: string; to: string };
  /** A window holding exactly `exportEntries` audit entries. */
  exportWindow: { from: string; to: string; entries: number };
  auditHead: { seq: number; hash: string };
  /**
   * The small companies beside the big one, in load order (a dataset kept by an older bench has
   * none), and the holders of each.
   */
  smallCompanyIds?: string[];
  smallCompanyHolders?: number;
  /** The big company's equity plans (a dataset kept by an older bench gets them on reuse). */
  equity?: EquityDataset;
}

export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * The service's own deployment step: migrations as the owner, then the API's login role (as
 * `npm run db:migrate` does), so the API under measurement runs with least privilege.
 */
export async function migrate(ownerUrl: string, appUrl: string): Promise<number> {
  const { migrations } = await provisionDatabase({ ownerUrl, appUrl });
  return migrations.length;
}

/**
 * The realm's auditor and shareholder1 are members of the deployment's first company (roles of
 * their realm roles), as a deployment's admin would make them: realm roles other than the
 * platform administrator's grant no access by themselves. Idempotent, for a reused database too.
 */
export async function ensureMembers(
  client: Pick<Client, 'query'>,
  actors: Actors,
): Promise<number> {
  const result = await client.query(
    `INSERT INTO company_member (company_id, id, role, sub, created_by)
     SELECT app_first_company_id(), gen_random_uuid(), m.role, m.sub, $3
       FROM (VALUES ('auditor', $1), ('shareholder', $2)) AS m(role, sub)
     ON CONFLICT (company_id, sub) WHERE sub IS NOT NULL DO NOTHING`,
    [actors.auditor.sub, actors.shareholder1.sub, actors.admin.name],
  );
  return result.rowCount ?? 0;
}

/** Outstanding securities the transfers test may spend, at most. */
const TRANSFER_POOL = 50_000;

/** The ledger's rows by kind. */
function countsOf({ simulated }: Ledger): Record<string, number> {
  const counts: Record<string, number> = {
    securities: simulated.securities.length,
    outstanding: simulated.securities.filter((s) => !s.spentBy).length,
    splits: simulated.splits.length,
  };
  for (const tx of simulated.transactions) counts[tx.kind] = (counts[tx.kind] ?? 0) + 1;
  return counts;
}

/** What the measurements need from the ledger: pools of securities, dates, the audit filter. */
function poolsOf(rng: Rng, ledger: Ledger, audit: LoadedAuditLog, actors: Actors) {
  const { issuances, formation, spanDays, simulated } = ledger;
  const shuffled = [...issuances].sort(() => rng.random() - 0.5);
  const outstanding = simulated.securities.filter((s) => !s.spentBy).sort(() => rng.random() - 0.5);
  const certificatePool = outstanding.slice(0, Math.min(8_000, Math.floor(issuances.length / 4)));
  const unrendered = new Set(certificatePool.map((s) => s.id));
  const readPool = shuffled.filter((row) => !unrendered.has(row.id)).slice(0, 2_000);
  const transferPool = outstanding.slice(certificatePool.length).slice(0, TRANSFER_POOL);
  const year = 365 * DAY_MS;
  const filterFrom = audit.start + Math.floor((audit.end - audit.start) / 2 - year / 2);
  const mid = formation + Math.floor(spanDays / 2) * DAY_MS;
  return {
    companyName: ledger.companyName,
    classIds: ledger.classes.map((c) => c.id),
    holderIds: ledger.holders.map((h) => h.id),
    readIssuanceIds: readPool.map((row) => row.id),
    ownerHolderId: ledger.holders[0].id,
    ownerIssuanceIds: issuances.filter((row) => row.holder === 0).map((row) => row.id),
    certificateIssuanceIds: certificatePool.map((row) => row.id),
    transferIssuanceIds: transferPool.map((row) => row.id),
    ledgerCounts: countsOf(ledger),
    knownAt: new Date(mid + 30 * DAY_MS + 12 * 3_600_000).toISOString(),
    firstDate: isoDate(formation),
    lastDate: isoDate(ledger.lastIssueDay),
    midDate: isoDate(mid),
    auditFilter: {
      actor: actors.admin.name,
      action: 'issuance.created',
      from: new Date(filterFrom).toISOString(),
      to: new Date(filterFrom + year).toISOString(),
    },
  };
}

async function firstCompanyId(client: Client): Promise<string | undefined> {
  const { rows } = await client.query<{ id: string }>('SELECT app_first_company_id() AS id');
  return rows[0]?.id;
}

/** A window of `exportEntries` audit entries in the middle of the log. */
async function exportWindowOf(
  client: Client,
  total: number,
  exportEntries: number,
): Promise<Dataset['exportWindow']> {
  const at = async (seq: number): Promise<string> => {
    const { rows } = await client.query<{ at: Date }>(
      'SELECT occurred_at AS at FROM audit_entry WHERE company_id = app_first_company_id() AND seq = $1',
      [seq],
    );
    const found = rows[0];
    if (!found) throw new Error(`audit entry ${seq} is missing`);
    return found.at.toISOString();
  };
  const exportCount = Math.min(exportEntries, total - 2);
  const exportFirst = Math.max(1, Math.floor(total / 2 - exportCount / 2));
  return {
    from: await at(exportFirst),
    to: await at(exportFirst + exportCount),
    entries: exportCount,
  };
}

/** Beside the big company: the small companies and the split company. */
async function loadOtherCompanies(
  client: Client,
  loads: TableLoad[],
  sizes: Sizes,
  ledger: Ledger,
  admin: EventActor,
): Promise<{ smallCompanyIds: string[]; splitCompany?: SplitCompany }> {
  const { companies, companyHolders, splitHolders } = sizes;
  const smallCompanyIds = await loadSmallCompanies(
    client,
    loads,
    companies,
    companyHolders,
    ledger,
    admin,
  );
  const splitCompany = await loadSplitCompany(
    client,
    loads,
    splitHolders,
    companies,
    ledger,
    admin,
  );
  return { smallCompanyIds, splitCompany };
}

/** The big company's equity plans, before its certificates (its exercises' issuances get theirs). */
function loadBigCompanyEquity(
  client: Client,
  loads: TableLoad[],
  ledger: Ledger,
  sizes: Sizes,
  admin: EventActor,
): Promise<EquityDataset | undefined> {
  return loadEquity(client, loads, {
    calendar: ledger,
    holderIds: ledger.holders.map((h) => h.id),
    commonClassId: ledger.classes[0].id,
    grants: sizes.grants,
    admin,
    certificates: 'later',
  });
}

async function vacuum(client: Client, loads: TableLoad[]): Promise<void> {
  await timed(loads, 'VACUUM ANALYZE + CHECKPOINT', async () => {
    // Visibility map and statistics as a long-running database has them, and no checkpoint
    // flushing the load's dirty pages while the measurements run.
    await client.query('VACUUM ANALYZE');
    await client.query('CHECKPOINT');
    return { rows: 0 };
  });
}

export async function loadDataset(
  url: string,
  sizes: Sizes,
  actors: Actors,
  exportEntries: number,
): Promise<Dataset> {
  const started = process.hrtime.bigint();
  const rng = rngOf(20_260_101);
  const loads: TableLoad[] = [];
  const client = new Client({ connectionString: url, application_name: 'bench-loader' });
  await client.connect();
  await client.query(`SET maintenance_work_mem = '512MB'`);
  const internalTool: EventActor = {
    sub: rng.uuid(),
    name: 'internal-tool',
    client_id: 'internal-tool',
    roles: ['admin'],
  };
  try {
    const writers = { ...actors, internalTool };
    const ledger = await loadLedger(client, loads, rng, sizes, writers);
    const audit = await loadAuditLog(client, loads, rng, ledger, writers, sizes.auditEntries);
    await timed(loads, 'company_member (auditor, shareholder1)', async () => ({
      rows: await ensureMembers(client, actors),
    }));
    const others = await loadOtherCompanies(client, loads, sizes, ledger, actors.admin);
    const equity = await loadBigCompanyEquity(client, loads, ledger, sizes, actors.admin);
    const pools = poolsOf(rng, ledger, audit, actors);
    const company = { id: (await firstCompanyId(client)) ?? '', label: 'the big company' };
    await loadCertificates(client, loads, company, pools.certificateIssuanceIds, actors.admin);
    await vacuum(client, loads);
    const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const exportWindow = await exportWindowOf(client, sizes.auditEntries, exportEntries);
    return {
      loads,
      totalSeconds,
      ...pools,
      exportWindow,
      auditHead: audit.head,
      ...others,
      smallCompanyHolders: sizes.companyHolders,
      equity,
    };
  } finally {
    await client.end();
  }
}
