import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');

export interface Sizes {
  holders: number;
  issuances: number;
  auditEntries: number;
  /** Small companies loaded beside the big one (the multi-company dataset). */
  companies: number;
  /** Holders (one issuance each) per small company. */
  companyHolders: number;
  /** The big company's ledger: terminal transactions spending its securities, and class splits. */
  transfers: number;
  cancellations: number;
  repurchases: number;
  conversions: number;
  splits: number;
  /** Holders (one security each) of the class the `split` phase splits, in a company of its own. */
  splitHolders: number;
  /** The big company's equity grants (over 2 stock plans), with vesting. */
  grants: number;
}

export interface BenchOptions {
  smoke: boolean;
  /** Where the report goes (git-ignored bench-results/ by default). */
  outDir: string;
  dbName: string;
  /** A PostgreSQL URL with the right to create databases (its database part is ignored). */
  adminUrl: string;
  keycloakUrl: string;
  realm: string;
  chromiumPath: string;
  keepDb: boolean;
  /** Skip creating and loading: measure against the dataset a previous run left (--keep-db). */
  reuseDb: boolean;
  /** Only these phases (see `phases/index.ts`). */
  only: string[] | null;
  /** Extra environment for the API process (experiments: --api-env KEY=VALUE,KEY=VALUE). */
  apiEnv: Record<string, string>;
  /** Phases whose API CPU profile is written to <outDir>/profiles (e.g. reads,writes,cap-table). */
  profile: string[];
  sizes: Sizes;
  runs: number;
  runSeconds: number;
  warmupSeconds: number;
  /** Connections for throughput figures (reads and the framework ceilings). */
  readConnections: number;
  /** Connections for writes and the database ceiling (the same, by definition). */
  writeConnections: number;
  /** Connections for latency figures (cap table, audit): one, like the direct SQL timing. */
  latencyConnections: number;
  deepPages: number;
  exportEntries: number;
  /** How long to wait for the audit entries of a write run before calling the target missed. */
  drainTimeoutS: number;
  /** How long to watch the certificate backlog clear after the writes. */
  certificateClearTimeoutS: number;
  /** How long to wait for the certificates a split reissued. */
  splitWaitS: number;
  command: string;
}

const FULL: Sizes = {
  holders: 10_000,
  issuances: 200_000,
  auditEntries: 1_000_000,
  companies: 1_000,
  companyHolders: 20,
  transfers: 100_000,
  cancellations: 10_000,
  repurchases: 10_000,
  conversions: 5_000,
  splits: 2,
  splitHolders: 10_000,
  grants: 20_000,
};
const SMOKE: Sizes = {
  holders: 50,
  issuances: 500,
  auditEntries: 2_000,
  companies: 5,
  companyHolders: 3,
  // The full run's proportions to its issuances, and a split class as large as its holders.
  transfers: 250,
  cancellations: 25,
  repurchases: 25,
  conversions: 12,
  splits: 2,
  splitHolders: 50,
  // A tenth of the issuances, as in the full run.
  grants: 50,
};

function usage(): never {
  console.log(`npm run bench [-- options]

  --smoke              tiny dataset, one short run per figure (seconds); used by the e2e suite
  --out DIR            report folder (default bench-results/, smoke: bench-results/smoke/)
  --db NAME            database to create (default corporate_os_bench, smoke: corporate_os_bench_smoke)
  --keep-db            keep the database afterwards (default: kept for full runs, dropped for smoke)
  --runs N             measured runs per figure (default 3; the median is reported)
  --duration S         seconds per measured run (default 5)
  --reuse-db           measure against the database a previous run kept (no create/load)
  --only P1,P2         run only these phases: framework, reads, cap-table, equity, companies,
                       audit, export, certificates, reconciliation, ocf, ocf-import, db-ceiling,
                       writes, ledger-ceiling, transfers, split, verify
  --companies N        small companies loaded beside the big one (default 1000, smoke 5)
  --company-holders N  holders per small company, one issuance each (default 20, smoke 3)
  --api-env K=V,K=V    extra environment for the API (experiments, e.g. DATABASE_POOL_SIZE=20)
  --backlog-wait S     how long to watch the certificate backlog clear (default 120, smoke 30)
  --split-wait S       how long to wait for the certificates a split reissued (default 600, smoke 60)
  --profile P1,P2      write API CPU profiles for these phases (reads, writes, cap-table,
                       companies, audit, export, certificates) to <out>/profiles/
                       (.cpuprofile, open in DevTools)

Environment: BENCH_DATABASE_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres),
KEYCLOAK_URL (default http://localhost:8080), PUPPETEER_EXECUTABLE_PATH (default /usr/bin/chromium).`);
  process.exit(0);
}

/** Takes flags and `--name value` pairs out of the arguments as they are read. */
function argumentReader(argv: string[]) {
  const args = [...argv];
  const flag = (name: string): boolean => {
    const index = args.indexOf(name);
    if (index === -1) return false;
    args.splice(index, 1);
    return true;
  };
  const value = (name: string): string | undefined => {
    const index = args.indexOf(name);
    if (index === -1) return undefined;
    const found = args[index + 1];
    if (found === undefined) throw new Error(`${name} needs a value`);
    args.splice(index, 2);
    return found;
  };
  return { flag, value, rest: args };
}

function checkDatabaseName(dbName: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(dbName) || !dbName.includes('bench')) {
    throw new Error(`--db ${dbName}: the bench database name must contain "bench" (a-z, 0-9, _)`);
  }
  const testDb = process.env.TEST_DATABASE_NAME ?? 'corporate_os_test';
  if (dbName === testDb || aloneDatabaseName(dbName) === testDb) {
    throw new Error(
      `--db ${dbName}: it or its companion ${aloneDatabaseName(dbName)} is the e2e test database`,
    );
  }
}

/** `K=V,K=V` as an object. */
const pairsOf = (value: string | undefined): Record<string, string> =>
  Object.fromEntries(
    (value ?? '')
      .split(',')
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );

const listOf = (value: string | undefined): string[] =>
  (value ?? '').split(',').filter((p) => p.length > 0);

/** What the smoke run changes: sizes, runs, waits. */
function sizing(smoke: boolean) {
  return {
    sizes: smoke ? SMOKE : FULL,
    warmupSeconds: smoke ? 0.5 : 2,
    deepPages: smoke ? 2 : 50,
    exportEntries: smoke ? 200 : 100_000,
    drainTimeoutS: smoke ? 5 : 20,
  };
}

/** The sizes, with the small companies as asked for. */
function sizesOf(
  defaults: Sizes,
  companies: string | undefined,
  companyHolders: string | undefined,
): Sizes {
  const sizes: Sizes = {
    ...defaults,
    companies: Number(companies ?? defaults.companies),
    companyHolders: Number(companyHolders ?? defaults.companyHolders),
  };
  if (!Number.isInteger(sizes.companies) || sizes.companies < 0) {
    throw new Error('--companies must be a non-negative integer');
  }
  if (!Number.isInteger(sizes.companyHolders) || sizes.companyHolders < 1) {
    throw new Error('--company-holders must be a positive integer');
  }
  return sizes;
}

export function parseOptions(argv: string[]): BenchOptions {
  const { flag, value, rest } = argumentReader(argv);
  if (flag('--help') || flag('-h')) usage();
  const smoke = flag('--smoke');
  const keepDbFlag = flag('--keep-db');
  const reuseDb = flag('--reuse-db');
  const onlyValue = value('--only');
  const apiEnvValue = value('--api-env');
  const backlogWait = value('--backlog-wait');
  const splitWait = value('--split-wait');
  const outDir = value('--out');
  const dbName = value('--db') ?? (smoke ? 'corporate_os_bench_smoke' : 'corporate_os_bench');
  const runs = Number(value('--runs') ?? (smoke ? 1 : 3));
  const runSeconds = Number(value('--duration') ?? (smoke ? 1 : 5));
  const profile = listOf(value('--profile'));
  const companies = value('--companies');
  const companyHolders = value('--company-holders');
  if (rest.length > 0) throw new Error(`unknown arguments: ${rest.join(' ')} (see --help)`);
  checkDatabaseName(dbName);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  if (!(runSeconds > 0)) throw new Error('--duration must be a positive number of seconds');
  const { sizes: defaults, ...smokeable } = sizing(smoke);
  const sizes = sizesOf(defaults, companies, companyHolders);
  return {
    smoke,
    outDir: outDir ?? join(REPO_ROOT, 'bench-results', smoke ? 'smoke' : ''),
    dbName,
    adminUrl: process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    keycloakUrl: process.env.KEYCLOAK_URL ?? 'http://localhost:8080',
    realm: 'corporate-os',
    chromiumPath: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium',
    keepDb: keepDbFlag || reuseDb || !smoke,
    reuseDb,
    only: onlyValue ? listOf(onlyValue) : null,
    apiEnv: pairsOf(apiEnvValue),
    profile,
    sizes,
    runs,
    runSeconds,
    readConnections: 10,
    writeConnections: 8,
    latencyConnections: 1,
    ...smokeable,
    certificateClearTimeoutS: Number(backlogWait ?? (smoke ? 30 : 120)),
    splitWaitS: Number(splitWait ?? (smoke ? 60 : 600)),
    command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
  };
}

/** The scratch database of the `companies` phase: one small company, alone. */
export const aloneDatabaseName = (dbName: string): string => `${dbName}_alone`;

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
