/**
 * The dataset the phases measure against: loaded into a fresh database (and checked with SQL
 * before anything is measured), or, with --reuse-db, the one a previous run kept.
 */
import { Client } from 'pg';
import { BenchContext, log } from './context';
import { CpuMonitor } from './cpu-monitor';
import {
  Actors,
  createDatabase,
  Dataset,
  dropDatabase,
  ensureMembers,
  loadDataset,
  migrate,
} from './dataset';
import { deferPendingRenders } from './dataset-certificates';
import { ensureEquity } from './dataset-equity';
import { claimsOf, type BenchUser } from './keycloak';
import { ledgerMismatches } from './ledger-check';
import { aloneDatabaseName } from './options';

/** The real users, as the service records them, from their first tokens. */
export function actorsOf(tokens: Record<BenchUser, string>): Actors {
  const actor = (user: BenchUser, role: string) => ({
    sub: String(claimsOf(tokens[user]).sub),
    name: user,
    client_id: 'corporate-os-cli',
    roles: [role],
  });
  return {
    admin: actor('admin', 'admin'),
    auditor: actor('auditor', 'auditor'),
    shareholder1: actor('shareholder1', 'shareholder'),
  };
}

async function connect(ctx: BenchContext): Promise<void> {
  ctx.db = new Client({ connectionString: ctx.url, application_name: 'bench-orchestrator' });
  await ctx.db.connect();
  ctx.onCleanup(() => ctx.database.end());
}

async function startCpuMonitor(ctx: BenchContext): Promise<void> {
  const { dbName } = ctx.opts;
  ctx.cpu = new CpuMonitor(process.pid, ctx.url, [dbName, aloneDatabaseName(dbName)]);
  await ctx.cpu.start();
  ctx.onCleanup(() => ctx.cpu?.stop() ?? Promise.resolve());
}

/**
 * A previous run's certificate backlog would be rendered in the background of every measurement
 * of this one: its render requests are deferred (bench data only; they stay pending, like the
 * dataset's own), and the issuances it rendered leave the pool of the on-demand figures, which
 * render certificates that do not exist yet.
 */
async function withoutRenderedCertificates(ctx: BenchContext, data: Dataset): Promise<Dataset> {
  const { rows: queue } = await ctx.database.query<{ table: string | null }>(
    `SELECT to_regclass('certificate_request')::text AS table`,
  );
  if (!queue[0]?.table) return data;
  const deferred = await deferPendingRenders(ctx.database);
  if (deferred) log(`deferred ${deferred} pending certificate renders of a previous run`);
  const { rows: unrendered } = await ctx.database.query<{ id: string }>(
    `SELECT p.id::text AS id FROM unnest($1::uuid[]) WITH ORDINALITY AS p(id, n)
      WHERE NOT EXISTS (SELECT 1 FROM certificate c WHERE c.company_id = app_first_company_id() AND c.issuance_id = p.id)
      ORDER BY p.n`,
    [data.certificateIssuanceIds],
  );
  log(
    `${unrendered.length} of ${data.certificateIssuanceIds.length} issuances of the certificate pool still without certificate`,
  );
  return { ...data, certificateIssuanceIds: unrendered.map((row) => row.id) };
}

async function reuseDataset(ctx: BenchContext, actors: Actors): Promise<Dataset> {
  const { opts } = ctx;
  log(`reusing database ${opts.dbName} and its dataset (--reuse-db)`);
  await connect(ctx);
  const { rows } = await ctx.database.query<{ value: Dataset }>(
    `SELECT value FROM bench_meta WHERE key = 'dataset'`,
  );
  if (!rows[0]) throw new Error(`${opts.dbName} holds no bench dataset: run without --reuse-db`);
  // The service may have gained migrations since the dataset was loaded.
  await migrate(ctx.url, ctx.appUrl);
  const added = await ensureMembers(ctx.database, actors);
  if (added > 0) log(`made ${added} of the realm's users members of the first company`);
  // A dataset kept by an older bench gets the equity plans it lacks.
  const kept = await ensureEquity(ctx.database, rows[0].value, opts.sizes.grants, actors.admin);
  const data = await withoutRenderedCertificates(ctx, kept);
  await startCpuMonitor(ctx);
  return data;
}

/**
 * The big company is still the deployment's first (the unscoped routes address it), and every
 * small company is set up with its holders: what is wrong, or null.
 */
async function checkCompanies(ctx: BenchContext, data: Dataset): Promise<string | null> {
  const small = data.smallCompanyIds ?? [];
  const { rows } = await ctx.database.query<{ first: number; small: number; off: number }>(
    `SELECT (SELECT count(*) FROM share_class WHERE company_id = app_first_company_id() AND id = ANY($1::uuid[]))::int AS first,
            (SELECT count(*) FROM company WHERE id = ANY($2::uuid[]) AND legal_name IS NOT NULL)::int AS small,
            (SELECT count(*) FROM unnest($2::uuid[]) AS c(id)
              WHERE (SELECT count(*) FROM shareholder s WHERE s.company_id = c.id) <> $3)::int AS off`,
    [data.classIds, small, data.smallCompanyHolders ?? 0],
  );
  const found = rows[0];
  if (found?.first !== data.classIds.length) return 'the big company is not the first company';
  if (found.small !== small.length) return `${small.length - found.small} small companies missing`;
  if (found.off > 0) return `${found.off} small companies without their holders`;
  return null;
}

/** The first value of the first row. */
async function scalar(ctx: BenchContext, sql: string): Promise<string> {
  const { rows } = await ctx.database.query<Record<string, unknown>>(sql);
  return String(Object.values(rows[0] ?? {})[0]);
}

/** Broken links of the audit chains, gaps in their sequences, issuances with a wrong total. */
async function chainAndTotals(ctx: BenchContext) {
  const links = await scalar(
    ctx,
    `SELECT count(*) FROM audit_entry a JOIN audit_entry b ON b.company_id = a.company_id AND b.seq = a.seq + 1 WHERE b.prev_hash <> a.hash`,
  );
  // Per company: each chain starts at 1 (companies without entries have none).
  const gaps = await scalar(
    ctx,
    `SELECT COALESCE(sum(g), 0) FROM (SELECT max(seq) - count(*) AS g FROM audit_entry GROUP BY company_id) c`,
  );
  const totals = await scalar(
    ctx,
    `SELECT count(*) FROM issuance WHERE total_amount <> number_of_shares * price`,
  );
  return { links: Number(links), gaps: Number(gaps), totals: Number(totals) };
}

/**
 * Chain linked and gap-free, exact totals, the ledger's invariants (`ledger-check.ts`: the big
 * company's and the split company's certificates too), the companies in place: or no measurement.
 */
async function checkDataset(ctx: BenchContext, data: Dataset): Promise<void> {
  const t0 = Date.now();
  const { links, gaps, totals } = await chainAndTotals(ctx);
  const certified = [await scalar(ctx, 'SELECT app_first_company_id()'), data.splitCompany?.id];
  const ledger = await ledgerMismatches(
    ctx.database,
    certified.filter((id): id is string => id !== undefined),
  );
  const broken = Object.entries(ledger).filter(([, n]) => n > 0);
  const companies = await checkCompanies(ctx, data);
  Object.assign(ctx.chain, {
    loadedHead: data.auditHead,
    brokenLinks: links,
    seqGaps: gaps,
    sqlCheckS: (Date.now() - t0) / 1000,
  });
  if (links !== 0 || gaps !== 0 || totals !== 0 || broken.length > 0 || companies) {
    throw new Error(
      `dataset check failed: broken links ${links}, gaps ${gaps}, wrong totals ${totals}, ledger ${JSON.stringify(Object.fromEntries(broken))}${companies ? `, ${companies}` : ''}`,
    );
  }
  log(
    `dataset checked: chain linked and gap-free, the ledger's invariants hold (${Object.keys(ledger).join(', ')}), ${(data.smallCompanyIds ?? []).length} small companies beside the first`,
  );
}

async function loadFreshDataset(
  ctx: BenchContext,
  actors: Actors,
): Promise<{ data: Dataset; migrationsS: number }> {
  const { opts } = ctx;
  log(`creating database ${opts.dbName}`);
  await createDatabase(opts.adminUrl, opts.dbName);
  if (!opts.keepDb) ctx.onCleanup(() => dropDatabase(opts.adminUrl, opts.dbName));
  await startCpuMonitor(ctx);
  (ctx.cpu as CpuMonitor).phase = 'load';
  const m0 = process.hrtime.bigint();
  await migrate(ctx.url, ctx.appUrl);
  const migrationsS = Number(process.hrtime.bigint() - m0) / 1e9;
  log(`migrations applied in ${migrationsS.toFixed(1)} s; loading the dataset`);
  const data = await loadDataset(ctx.url, opts.sizes, actors, opts.exportEntries);
  log(`dataset loaded in ${data.totalSeconds.toFixed(1)} s`);
  await connect(ctx);
  await checkDataset(ctx, data);
  await ctx.database.query(`CREATE TABLE bench_meta (key text PRIMARY KEY, value jsonb NOT NULL)`);
  await ctx.database.query(`INSERT INTO bench_meta VALUES ('dataset', $1)`, [JSON.stringify(data)]);
  return { data, migrationsS };
}

/** The dataset of this run, and how long the migrations took (0 when reused). */
export async function prepareDataset(
  ctx: BenchContext,
  actors: Actors,
): Promise<{ data: Dataset; migrationsS: number }> {
  if (ctx.opts.reuseDb) return { data: await reuseDataset(ctx, actors), migrationsS: 0 };
  return loadFreshDataset(ctx, actors);
}

export async function tableSizes(ctx: BenchContext): Promise<Record<string, string>> {
  const { rows } = await ctx.database.query<{ t: string; size: string }>(
    `SELECT relname AS t, pg_size_pretty(pg_total_relation_size(oid)) AS size FROM pg_class
      WHERE relname IN ('shareholder', 'issuance', 'stock_transaction', 'certificate', 'audit_entry',
                        'equity_grant', 'equity_grant_transaction')
      ORDER BY relname`,
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.size]));
}
