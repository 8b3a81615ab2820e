/**
 * `npm run bench`: loads a realistic dataset, starts the API as its own process, measures it with
 * real Keycloak tokens from a separate load-driver process, measures the limits of the same
 * machine in the same run (bare NestJS on Fastify, + RS256, plain pg writes, the service's SQL,
 * raw Puppeteer), and writes the report under bench-results/. See bench/README.md.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import { Client } from 'pg';
import { CAP_TABLE_POSITIONS_SQL } from '../../src/issuances/cap-table.service';
import {
  freePort,
  PhaseProfiler,
  RssSample,
  RssSampler,
  sleep,
  startProcess,
  StartedProcess,
} from './api-process';
import { CpuMonitor } from './cpu-monitor';
import { createDatabase, Dataset, dropDatabase, loadDataset, migrate } from './dataset';
import { Driver } from './driver-client';
import type { ThroughputResult } from './driver-protocol';
import { claimsOf, Tokens, type BenchUser } from './keycloak';
import { BenchOptions, databaseUrl, parseOptions, REPO_ROOT } from './options';
import { compare } from './comparisons';
import { BenchReport, Figure, writeReport } from './report';
import { auditPageStatement, explain, PlanSummary, SqlStatement, timeSql } from './sql-limits';
import { median, type LatencySummary } from './stats';
import { TARGETS } from './targets';

const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const log = (message: string): void => console.log(`[bench] ${message}`);

interface RunResult {
  rps: number;
  latency: LatencySummary;
  ok: number;
  failed: number;
  errors: number;
  statusCounts?: Record<string, number>;
}

type Cleanup = () => Promise<unknown>;

class Bench {
  readonly figures: Record<string, Figure> = {};
  readonly plans: Record<string, PlanSummary> = {};
  readonly notes: string[] = [];
  readonly writes: Record<string, unknown> = {};
  readonly memory: Record<string, unknown> = {};
  readonly chain: Record<string, unknown> = {};
  private readonly cleanups: Cleanup[] = [];
  private readonly tokens: Tokens;
  private readonly url: string;
  private driver?: Driver;
  private api?: StartedProcess;
  private sampler?: RssSampler;
  private profiler?: PhaseProfiler;
  private db?: Client;
  certificatesPresent = false;
  private cpu?: CpuMonitor;

  constructor(private readonly opts: BenchOptions) {
    this.tokens = new Tokens(opts.keycloakUrl, opts.realm);
    this.url = databaseUrl(opts.adminUrl, opts.dbName);
  }

  private wants(phase: string): boolean {
    return this.opts.only === null || this.opts.only.includes(phase);
  }

  onCleanup(cleanup: Cleanup): void {
    this.cleanups.push(cleanup);
  }

  async cleanup(): Promise<void> {
    while (this.cleanups.length > 0) {
      const next = this.cleanups.pop() as Cleanup;
      await next().catch((error: unknown) => log(`cleanup: ${String(error)}`));
    }
  }

  get rssSamples(): RssSample[] {
    return this.sampler?.samples ?? [];
  }

  private get database(): Client {
    if (!this.db) throw new Error('no database connection yet');
    return this.db;
  }

  // --- measuring ---------------------------------------------------------------------------

  /** Warm-up, then `runs` measured runs; each statistic is the median over the runs. */
  async measure(
    key: string,
    label: string,
    tool: string,
    connections: number,
    run: (seconds: number, warmup: boolean) => Promise<RunResult>,
    options: { warmup?: boolean; runs?: number } = {},
  ): Promise<Figure> {
    if (options.warmup !== false && this.opts.warmupSeconds > 0) {
      await run(this.opts.warmupSeconds, true);
    }
    const perRun: Figure['perRun'] = [];
    let failures = 0;
    const statusCounts: Record<string, number> = {};
    for (let i = 0; i < (options.runs ?? this.opts.runs); i += 1) {
      const result = await run(this.opts.runSeconds, false);
      failures += result.failed + result.errors;
      for (const [code, n] of Object.entries(result.statusCounts ?? {})) {
        statusCounts[code] = (statusCounts[code] ?? 0) + n;
      }
      perRun.push({
        rps: result.rps,
        p50: result.latency.p50,
        p95: result.latency.p95,
        p99: result.latency.p99,
        ok: result.ok,
        failed: result.failed + result.errors,
      });
    }
    const figure: Figure = {
      key,
      label,
      tool,
      connections,
      runs: perRun.length,
      rps: median(perRun.map((r) => r.rps)),
      p50: median(perRun.map((r) => r.p50)),
      p95: median(perRun.map((r) => r.p95)),
      p99: median(perRun.map((r) => r.p99)),
      failures,
      perRun,
    };
    if (failures > 0) {
      figure.note = `failures: ${JSON.stringify(statusCounts)}`;
      this.notes.push(
        `${label}: ${failures} failed requests/operations ${JSON.stringify(statusCounts)}`,
      );
    }
    this.figures[key] = figure;
    log(
      `${label}: ${figure.rps.toFixed(1)}/s p50 ${figure.p50.toFixed(2)} ms p95 ${figure.p95.toFixed(2)} ms p99 ${figure.p99.toFixed(2)} ms${failures ? ` (${failures} failures)` : ''}`,
    );
    return figure;
  }

  private get driverOrThrow(): Driver {
    if (!this.driver) throw new Error('no driver');
    return this.driver;
  }

  /** An autocannon figure against `base`; a fresh token per run (they live 300 s). */
  http(
    key: string,
    label: string,
    base: string,
    options: {
      paths: string[];
      user?: BenchUser;
      bearer?: () => string;
      method?: 'GET' | 'POST';
      bodies?: string[];
      connections: number;
      pathOffset?: { value: number };
    },
  ): Promise<Figure> {
    return this.measure(key, label, 'autocannon', options.connections, async (seconds) => {
      const token = options.user
        ? await this.tokens.passwordGrant(options.user)
        : options.bearer?.();
      const offset = options.pathOffset?.value ?? 0;
      const paths = offset > 0 ? options.paths.slice(offset) : options.paths;
      const result: ThroughputResult = await this.driverOrThrow.http({
        url: `${base}${paths[0] ?? '/'}`,
        method: options.method ?? 'GET',
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(options.bodies ? { 'content-type': 'application/json' } : {}),
        },
        paths: paths.length > 1 ? paths : undefined,
        bodies: options.bodies,
        connections: options.connections,
        durationS: seconds,
      });
      if (options.pathOffset) {
        options.pathOffset.value += result.ok + result.failed + options.connections;
        if (options.pathOffset.value >= options.paths.length) {
          this.notes.push(`${label}: the pool of ${options.paths.length} paths ran out`);
        }
      }
      return result;
    });
  }

  sql(key: string, label: string, statement: SqlStatement): Promise<Figure> {
    return this.measure(key, label, 'pg (direct)', 1, async (seconds) => {
      const timing = await timeSql(this.database, statement, seconds);
      return { ...timing, failed: 0, errors: 0 };
    });
  }

  // --- the run -------------------------------------------------------------------------------

  async run(): Promise<BenchReport> {
    const started = Date.now();
    const opts = this.opts;
    mkdirSync(join(opts.outDir, 'logs'), { recursive: true });
    const machine = await this.machine();

    // Tokens first: the subjects of the real users go into the dataset.
    const initial = await this.tokens.all();
    const subOf = (token: string): string => String(claimsOf(token).sub);
    const actors = {
      admin: { sub: subOf(initial.admin), name: 'admin', client_id: 'corporate-os-cli', roles: ['admin'] },
      auditor: { sub: subOf(initial.auditor), name: 'auditor', client_id: 'corporate-os-cli', roles: ['auditor'] },
      shareholder1: { sub: subOf(initial.shareholder1), name: 'shareholder1', client_id: 'corporate-os-cli', roles: ['shareholder'] },
    }; // prettier-ignore

    let data: Dataset;
    let migrationsS = 0;
    if (opts.reuseDb) {
      log(`reusing database ${opts.dbName} and its dataset (--reuse-db)`);
      this.db = new Client({ connectionString: this.url, application_name: 'bench-orchestrator' });
      await this.db.connect();
      this.onCleanup(() => this.database.end());
      const { rows } = await this.database.query<{ value: Dataset }>(
        `SELECT value FROM bench_meta WHERE key = 'dataset'`,
      );
      if (!rows[0])
        throw new Error(`${opts.dbName} holds no bench dataset: run without --reuse-db`);
      data = rows[0].value;
      // The service may have gained migrations since the dataset was loaded.
      await migrate(this.url);
      // A previous run's certificate backlog would be rendered in the background of every
      // measurement of this one; its render requests are dropped (bench data only).
      const { rows: queue } = await this.database.query<{ table: string | null }>(
        `SELECT to_regclass('certificate_request')::text AS table`,
      );
      if (queue[0]?.table) {
        const dropped = await this.database.query('DELETE FROM certificate_request');
        if (dropped.rowCount)
          log(`dropped ${dropped.rowCount} pending certificate renders of a previous run`);
        // The on-demand figures render certificates that do not exist yet: the ones a previous
        // run rendered leave the pool.
        const { rows: unrendered } = await this.database.query<{ id: string }>(
          `SELECT p.id::text AS id FROM unnest($1::uuid[]) WITH ORDINALITY AS p(id, n)
            WHERE NOT EXISTS (SELECT 1 FROM certificate c WHERE c.issuance_id = p.id)
            ORDER BY p.n`,
          [data.certificateIssuanceIds],
        );
        log(
          `${unrendered.length} of ${data.certificateIssuanceIds.length} issuances of the certificate pool still without certificate`,
        );
        data = { ...data, certificateIssuanceIds: unrendered.map((row) => row.id) };
      }
      this.cpu = new CpuMonitor(process.pid, this.url, opts.dbName);
      await this.cpu.start();
      this.onCleanup(() => this.cpu?.stop() ?? Promise.resolve());
    } else {
      log(`creating database ${opts.dbName}`);
      await createDatabase(opts.adminUrl, opts.dbName);
      if (!opts.keepDb) this.onCleanup(() => dropDatabase(opts.adminUrl, opts.dbName));
      this.cpu = new CpuMonitor(process.pid, this.url, opts.dbName);
      await this.cpu.start();
      this.onCleanup(() => this.cpu?.stop() ?? Promise.resolve());
      this.cpu.phase = 'load';
      const m0 = process.hrtime.bigint();
      await migrate(this.url);
      migrationsS = Number(process.hrtime.bigint() - m0) / 1e9;
      log(`migrations applied in ${migrationsS.toFixed(1)} s; loading the dataset`);
      data = await loadDataset(this.url, opts.sizes, actors, opts.exportEntries);
      log(`dataset loaded in ${data.totalSeconds.toFixed(1)} s`);
      this.db = new Client({ connectionString: this.url, application_name: 'bench-orchestrator' });
      await this.db.connect();
      this.onCleanup(() => this.database.end());
      await this.checkDataset(data);
      await this.database.query(
        `CREATE TABLE bench_meta (key text PRIMARY KEY, value jsonb NOT NULL)`,
      );
      await this.database.query(`INSERT INTO bench_meta VALUES ('dataset', $1)`, [
        JSON.stringify(data),
      ]);
    }
    const tableSizes = await this.tableSizes();

    this.driver = new Driver();
    this.onCleanup(() => this.driverOrThrow.stop());

    if (this.wants('framework')) {
      if (this.cpu) this.cpu.phase = 'framework';
      await this.frameworkCeilings(initial.admin);
      await this.readWithDbCeiling(initial.admin, data);
    }
    await this.startApi();
    if (this.wants('reads')) await this.reads(data);
    if (this.wants('cap-table')) await this.capTable(data);
    if (this.wants('audit')) await this.audit(data);
    if (this.wants('export')) await this.auditExport(data);
    if (this.wants('certificates')) {
      if (this.certificatesPresent) await this.certificates(data);
      else
        this.notes.push(
          'certificates module not present (no certificate table or route): certificate figures skipped',
        );
    }
    if (this.wants('db-ceiling')) await this.dbWriteCeiling(data);
    if (this.wants('writes')) await this.apiWrites(data);
    if (this.wants('verify')) await this.verifyChain();
    await this.cpu?.stop();
    const cpu = this.cpu?.summary() ?? {};
    for (const [phase, shares] of Object.entries(cpu)) {
      if (shares.foreign >= 0.25 && phase !== 'load' && phase !== 'start') {
        this.notes.push(
          `noisy machine during "${phase}": other processes used ${shares.foreign} of ${String(machine.cores)} cores on average; figures of that phase are less reliable`,
        );
      }
    }

    this.sampler?.stop();
    const peak = this.sampler?.peak();
    this.memory.apiPeakRss = peak?.rss;
    this.memory.apiTreePeakRss = peak?.tree;
    const perPhase: Record<string, number> = {};
    for (const s of this.sampler?.samples ?? [])
      perPhase[s.phase] = Math.max(perPhase[s.phase] ?? 0, s.rss);
    this.memory.apiPeakRssByPhase = perPhase;

    const report: BenchReport = {
      schema: 1,
      mode: opts.smoke ? 'smoke' : 'full',
      date: new Date(started).toISOString(),
      command: opts.command,
      durationS: (Date.now() - started) / 1000,
      machine,
      git: this.git(),
      config: {
        runs: opts.runs,
        runSeconds: opts.runSeconds,
        warmupSeconds: opts.warmupSeconds,
        readConnections: opts.readConnections,
        writeConnections: opts.writeConnections,
        latencyConnections: opts.latencyConnections,
        database: opts.dbName,
        apiEnvOverrides: {
          LOG_LEVEL: 'warn',
          DB_MIGRATE_ON_START: 'false',
          THROTTLE_LIMIT:
            '10000000 (the per-principal rate limit would otherwise cap one token at 20 req/s)',
          THROTTLE_TTL_MS:
            '1000 (the in-memory throttler keeps one timestamp per hit in the window and filters them on every request: a 1 s window keeps that list as short as the default 1,200/min limit does)',
          fromCommandLine: opts.apiEnv,
          everythingElse:
            'defaults (DATABASE_POOL_SIZE 10, OUTBOX_* defaults, CERTIFICATE_RENDER_CONCURRENCY 4)',
        },
      },
      dataset: {
        sizes: { ...opts.sizes },
        migrationsS,
        loads: data.loads,
        loadS: data.totalSeconds,
        tableSizes,
      },
      certificatesPresent: this.certificatesPresent,
      figures: this.figures,
      comparisons: compare(TARGETS, {
        figures: this.figures,
        plans: this.plans,
        writes: this.writes,
        memory: this.memory,
        certificatesPresent: this.certificatesPresent,
        opts: { deepPages: opts.deepPages, exportEntries: opts.exportEntries },
      }),
      plans: this.plans,
      writes: this.writes,
      memory: this.memory,
      chain: this.chain,
      cpu,
      rssTimeline: (this.sampler?.samples ?? [])
        .filter((_, i, all) => i % Math.max(1, Math.floor(all.length / 2000)) === 0)
        .map((s) => [s.t - started, s.rss, s.phase]),
      notes: this.notes,
    };
    return report;
  }

  private async machine(): Promise<Record<string, unknown>> {
    const admin = new Client({ connectionString: this.opts.adminUrl });
    await admin.connect();
    const settings: Record<string, string> = {};
    let postgres = '?';
    try {
      postgres =
        (await admin.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]
          ?.v ?? '?';
      const { rows } = await admin.query<{ name: string; setting: string; unit: string | null }>(
        `SELECT name, setting, unit FROM pg_settings WHERE name IN
          ('shared_buffers','work_mem','maintenance_work_mem','synchronous_commit','fsync','max_connections','effective_cache_size','jit','random_page_cost')`,
      );
      for (const r of rows) settings[r.name] = `${r.setting}${r.unit ? ` ${r.unit}` : ''}`;
    } finally {
      await admin.end();
    }
    let chromium = 'chromium: not found';
    try {
      chromium = execFileSync(this.opts.chromiumPath, ['--version'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .trim();
    } catch {
      // reported as not found
    }
    const cpus = os.cpus();
    return {
      cores: cpus.length,
      cpuModel: cpus[0]?.model ?? '?',
      memoryBytes: os.totalmem(),
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
      postgres,
      postgresSettings: settings,
      chromium,
      hostname: os.hostname(),
    };
  }

  private git(): { commit: string; dirty: boolean } {
    try {
      const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT })
        .toString()
        .trim();
      const dirty =
        execFileSync('git', ['status', '--porcelain'], { cwd: REPO_ROOT }).toString().trim()
          .length > 0;
      return { commit, dirty };
    } catch {
      return { commit: 'unknown', dirty: false };
    }
  }

  private async checkDataset(data: Dataset): Promise<void> {
    const q = async (sql: string): Promise<string> =>
      String(
        Object.values((await this.database.query<Record<string, unknown>>(sql)).rows[0] ?? {})[0],
      );
    const t0 = Date.now();
    const links = await q(
      `SELECT count(*) FROM audit_entry a JOIN audit_entry b ON b.seq = a.seq + 1 WHERE b.prev_hash <> a.hash`,
    );
    const gaps = await q(`SELECT max(seq) - count(*) FROM audit_entry`);
    const ledger = await q(
      `SELECT count(*) FROM share_class c WHERE c.issued_shares <> COALESCE((SELECT sum(number_of_shares) FROM issuance i WHERE i.share_class_id = c.id), 0) OR c.issued_shares > c.authorized_shares`,
    );
    const totals = await q(
      `SELECT count(*) FROM issuance WHERE total_amount <> number_of_shares * price`,
    );
    Object.assign(this.chain, {
      loadedHead: data.auditHead,
      brokenLinks: Number(links),
      seqGaps: Number(gaps),
      sqlCheckS: (Date.now() - t0) / 1000,
    });
    if (links !== '0' || gaps !== '0' || ledger !== '0' || totals !== '0') {
      throw new Error(
        `dataset check failed: broken links ${links}, gaps ${gaps}, classes off the ledger ${ledger}, wrong totals ${totals}`,
      );
    }
    log('dataset checked: chain linked and gap-free, share classes match the ledger');
  }

  private async tableSizes(): Promise<Record<string, string>> {
    const { rows } = await this.database.query<{ t: string; size: string }>(
      `SELECT relname AS t, pg_size_pretty(pg_total_relation_size(oid)) AS size FROM pg_class
        WHERE relname IN ('shareholder','issuance','audit_entry') ORDER BY relname`,
    );
    return Object.fromEntries(rows.map((r) => [r.t, r.size]));
  }

  // --- limits: the framework ----------------------------------------------------------------

  private async frameworkCeilings(adminToken: string): Promise<void> {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // A token shaped like Keycloak's (same claims, same size), signed with a local key.
    const { exp: _exp, iat: _iat, ...claims } = claimsOf(adminToken);
    const issuer = String(claims.iss);
    const token = sign(claims, privateKey, { algorithm: 'RS256', expiresIn: 3600, keyid: 'bench' });
    const baseline = async (file: string, env: NodeJS.ProcessEnv): Promise<StartedProcess> => {
      const port = await freePort();
      const started = await startProcess({
        name: file,
        args: [
          '-r',
          'ts-node/register/transpile-only',
          join(REPO_ROOT, 'bench', 'baselines', file),
        ],
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), ...env },
        logFile: join(this.opts.outDir, 'logs', `${file}.log`),
        port,
        readyPath: '/hello',
        readyStatus: (status) => status === 200 || status === 401,
      });
      return started;
    };

    log('framework ceiling: bare NestJS 11 on Fastify');
    const bare = await baseline('bare-nest.ts', {});
    try {
      await this.http('framework_bare', 'Bare NestJS+Fastify GET /hello (limit)', bare.baseUrl, {
        paths: ['/hello'],
        connections: this.opts.readConnections,
      });
    } finally {
      await bare.stop();
    }
    for (const format of ['keyobject', 'pem'] as const) {
      const key = format === 'keyobject' ? 'framework_rs256' : 'framework_rs256_pem';
      const label =
        format === 'keyobject'
          ? 'NestJS+Fastify + RS256 verify (limit)'
          : 'RS256 verify, PEM parsed per request';
      log(`authenticated-read ceiling: + RS256 check (jsonwebtoken, local key as ${format})`);
      const rs = await baseline('nest-rs256.ts', {
        BASELINE_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        BASELINE_KEY_FORMAT: format,
        BASELINE_ISSUER: issuer,
        BASELINE_AUDIENCE: 'corporate-os-api',
      });
      try {
        await this.http(key, label, rs.baseUrl, {
          paths: ['/hello'],
          bearer: () => token,
          connections: this.opts.readConnections,
        });
      } finally {
        await rs.stop();
      }
    }
  }

  /** For information: RS256 plus one primary-key read with plain `pg`, on the same issuances. */
  private async readWithDbCeiling(adminToken: string, data: Dataset): Promise<void> {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { exp: _exp, iat: _iat, ...claims } = claimsOf(adminToken);
    const token = sign(claims, privateKey, { algorithm: 'RS256', expiresIn: 3600, keyid: 'bench' });
    const port = await freePort();
    log('authenticated read + one pg primary-key read (for information)');
    const started = await startProcess({
      name: 'nest-rs256-pg.ts',
      args: [
        '-r',
        'ts-node/register/transpile-only',
        join(REPO_ROOT, 'bench', 'baselines', 'nest-rs256-pg.ts'),
      ],
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        BASELINE_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        BASELINE_ISSUER: String(claims.iss),
        BASELINE_AUDIENCE: 'corporate-os-api',
        BASELINE_DATABASE_URL: this.url,
      },
      logFile: join(this.opts.outDir, 'logs', 'nest-rs256-pg.ts.log'),
      port,
      readyPath: '/hello',
      readyStatus: (status) => status === 200 || status === 401,
    });
    try {
      await this.http(
        'framework_rs256_pg',
        'NestJS+Fastify + RS256 + one pg read (info)',
        started.baseUrl,
        {
          paths: data.readIssuanceIds.map((id) => `/issuances/${id}`),
          bearer: () => token,
          connections: this.opts.readConnections,
        },
      );
    } finally {
      await started.stop();
    }
  }

  // --- the API --------------------------------------------------------------------------------

  private async startApi(): Promise<void> {
    const port = await freePort();
    const profileDir = join(this.opts.outDir, 'profiles');
    const profiling = this.opts.profile.length > 0;
    if (profiling) mkdirSync(profileDir, { recursive: true });
    const logFile = join(this.opts.outDir, 'logs', 'api.log');
    log(`starting the API (node dist/src/main.js) on port ${port}; log in ${logFile}`);
    if (!existsSync(join(REPO_ROOT, 'dist', 'src', 'main.js'))) {
      throw new Error('dist/src/main.js is missing: run `npm run build` (bench/run.sh does)');
    }
    const api = await startProcess({
      name: 'api',
      args: [
        ...(profiling
          ? ['-r', 'ts-node/register/transpile-only', '-r', join(__dirname, 'api-profiler-hook.ts')]
          : []),
        join(REPO_ROOT, 'dist', 'src', 'main.js'),
      ],
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: this.url,
        OIDC_ISSUER_URL: `${this.opts.keycloakUrl}/realms/${this.opts.realm}`,
        ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
        LOG_LEVEL: 'warn',
        DB_MIGRATE_ON_START: 'false',
        PORT: String(port),
        HOST: '127.0.0.1',
        PUPPETEER_EXECUTABLE_PATH: this.opts.chromiumPath,
        THROTTLE_LIMIT: '10000000',
        THROTTLE_TTL_MS: '1000',
        ...this.opts.apiEnv,
        ...(profiling
          ? { BENCH_PROFILE_DIR: profileDir, TS_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.json') }
          : {}),
      },
      logFile,
      port,
      readyPath: '/health/live',
    });
    this.api = api;
    this.onCleanup(async () => {
      const code = await api.stop();
      log(`API stopped (exit ${code})`);
    });
    this.sampler = new RssSampler(api.pid, 100);
    this.sampler.start();
    this.profiler = new PhaseProfiler(api.pid, profileDir, this.opts.profile);
    await sleep(1000);
    this.memory.apiRssAfterStart = this.sampler.sample();

    const certificateTable = await this.database.query<{ present: boolean }>(
      `SELECT to_regclass('public.certificate') IS NOT NULL AS present`,
    );
    const probe = await fetch(`${api.baseUrl}/api/issuances/${randomUUID()}/certificate/`, {
      headers: { authorization: `Bearer ${await this.tokens.passwordGrant('admin')}` },
    });
    const probeBody = (await probe.json().catch(() => ({}))) as { code?: string };
    this.certificatesPresent =
      certificateTable.rows[0]?.present === true && probeBody.code === 'ISSUANCE_NOT_FOUND';
    log(`certificates module ${this.certificatesPresent ? 'present' : 'absent'}`);
  }

  private phase<T>(name: string, work: () => Promise<T>): Promise<T> {
    if (this.sampler) this.sampler.phase = name;
    if (this.cpu) this.cpu.phase = name;
    log(`--- ${name}`);
    return this.profiler ? this.profiler.around(name, work) : work();
  }

  private get base(): string {
    if (!this.api) throw new Error('the API is not running');
    return this.api.baseUrl;
  }

  private async reads(data: Dataset): Promise<void> {
    await this.phase('reads', async () => {
      await this.http('read_admin', 'GET /api/issuances/{id} (admin)', this.base, {
        paths: data.readIssuanceIds.map((id) => `/api/issuances/${id}`),
        user: 'admin',
        connections: this.opts.readConnections,
      });
      await this.http('read_owner', 'GET /api/issuances/{id} (owner)', this.base, {
        paths: data.ownerIssuanceIds.map((id) => `/api/issuances/${id}`),
        user: 'shareholder1',
        connections: this.opts.readConnections,
      });
    });
    this.memory.apiRssAfterReads = this.sampler?.sample();
  }

  private async capTable(data: Dataset): Promise<void> {
    await this.phase('cap-table', async () => {
      const today = new Date().toISOString().slice(0, 10);
      for (const [key, label, asOf] of [
        ['cap_table', 'GET /api/cap-table', today],
        ['cap_table_as_of', `GET /api/cap-table?as_of=${data.midDate}`, data.midDate],
      ] as const) {
        const statement = { text: CAP_TABLE_POSITIONS_SQL, values: [asOf] };
        this.plans[`${key} SQL`] = await explain(this.database, statement);
        await this.sql(
          `${key}_sql`,
          `${label.replace('GET /api/cap-table', 'cap-table SQL')} (limit)`,
          statement,
        );
        await this.http(key, label, this.base, {
          paths: [key === 'cap_table' ? '/api/cap-table' : `/api/cap-table?as_of=${asOf}`],
          user: 'admin',
          connections: this.opts.latencyConnections,
        });
      }
    });
  }

  private async audit(data: Dataset): Promise<void> {
    await this.phase('audit', async () => {
      const f = data.auditFilter;
      const query = new URLSearchParams({
        actor: f.actor,
        action: f.action,
        from: f.from,
        to: f.to,
      });
      const firstPath = `/api/audit/?${query.toString()}`;
      // Walk the pages to find the deep cursor, as a client would.
      const auditor = await this.tokens.passwordGrant('auditor');
      let cursor: string | undefined;
      const walkStarted = Date.now();
      for (let page = 1; page < this.opts.deepPages; page += 1) {
        const response = await fetch(
          `${this.base}${firstPath}${cursor ? `&cursor=${cursor}` : ''}`,
          { headers: { authorization: `Bearer ${auditor}` } },
        );
        const body = (await response.json()) as { items?: unknown[]; next_cursor?: string | null };
        if (!response.ok || !body.next_cursor) {
          throw new Error(
            `audit page ${page} has no next page (${response.status}): the filter matches too few entries`,
          );
        }
        cursor = body.next_cursor;
      }
      const deepPage = this.opts.deepPages;
      this.writes.auditWalk = {
        pagesWalked: this.opts.deepPages - 1,
        seconds: (Date.now() - walkStarted) / 1000,
      };
      const filter = { actor: f.actor, action: [f.action], from: f.from, to: f.to };
      const first = auditPageStatement(filter, 50);
      const deep = auditPageStatement(filter, 50, cursor);
      this.plans['audit first page SQL'] = await explain(this.database, first);
      this.plans[`audit page ${deepPage} SQL`] = await explain(this.database, deep);
      await this.sql('audit_first_sql', 'audit filter SQL, first page (limit)', first);
      await this.http('audit_first', 'GET /api/audit/?actor&action&from&to (page 1)', this.base, {
        paths: [firstPath],
        user: 'auditor',
        connections: this.opts.latencyConnections,
      });
      await this.sql('audit_deep_sql', `audit filter SQL, page ${deepPage} (limit)`, deep);
      await this.http('audit_deep', `GET /api/audit/?… (cursor page ${deepPage})`, this.base, {
        paths: [`${firstPath}&cursor=${cursor}`],
        user: 'auditor',
        connections: this.opts.latencyConnections,
      });
    });
  }

  private async auditExport(data: Dataset): Promise<void> {
    await this.phase('export', async () => {
      const w = data.exportWindow;
      const path = `/api/audit/export?${new URLSearchParams({ format: 'csv', from: w.from, to: w.to }).toString()}`;
      const sampler = this.sampler as RssSampler;
      const runs: Array<{
        seconds: number;
        rows: number;
        bytes: number;
        growth: number;
        before: number;
        peak: number;
      }> = [];
      for (let i = 0; i < this.opts.runs; i += 1) {
        const token = await this.tokens.passwordGrant('auditor');
        await sleep(500);
        const before = sampler.sample() ?? 0;
        const result = await this.driverOrThrow.download({
          url: `${this.base}${path}`,
          headers: { authorization: `Bearer ${token}` },
        });
        await sleep(300);
        const peak = Math.max(before, sampler.peakBetween(result.startedAt, Date.now()));
        if (result.status !== 200) throw new Error(`audit export answered ${result.status}`);
        runs.push({
          seconds: result.seconds,
          rows: result.lines - 1,
          bytes: result.bytes,
          growth: peak - before,
          before,
          peak,
        });
        log(
          `audit export: ${result.lines - 1} rows, ${(result.bytes / 1048576).toFixed(1)} MB in ${result.seconds.toFixed(2)} s, RSS +${((peak - before) / 1048576).toFixed(1)} MB`,
        );
      }
      const times = runs.map((r) => r.seconds * 1000);
      this.figures.audit_export = {
        key: 'audit_export',
        label: `GET /api/audit/export?format=csv (${w.entries.toLocaleString('en')} entries)`,
        tool: 'http (one request)',
        connections: 1,
        runs: runs.length,
        rps: median(runs.map((r) => r.rows / r.seconds)),
        p50: median(times),
        p95: Math.max(...times),
        p99: Math.max(...times),
        failures: runs.filter((r) => r.rows !== w.entries).length,
        perRun: runs.map((r) => ({
          rps: r.rows / r.seconds,
          p50: r.seconds * 1000,
          p95: r.seconds * 1000,
          p99: r.seconds * 1000,
          ok: r.rows,
          failed: 0,
        })),
        note: 'rps = rows per second; p50 = median time of the whole export, p95/p99 = slowest run',
      };
      this.writes.export = { window: w, runs };
      this.memory.exportRssGrowthMax = Math.max(...runs.map((r) => r.growth));
      this.memory.exportRssPeak = Math.max(...runs.map((r) => r.peak));
      if (runs.some((r) => r.rows !== w.entries)) {
        this.notes.push(
          `audit export returned ${runs.map((r) => r.rows).join('/')} rows, expected ${w.entries}`,
        );
      }
    });
  }

  private async certificateHtml(companyName: string): Promise<{ html: string; source: string }> {
    const templatePath = join(REPO_ROOT, 'src', 'certificates', 'pdf', 'certificate-template.ts');
    if (existsSync(templatePath)) {
      try {
        const template = (await import(templatePath)) as {
          renderCertificateHtml: (view: Record<string, unknown>) => string;
        };
        const qrcode = (await import('qrcode')) as {
          toString: (text: string, options: Record<string, unknown>) => Promise<string>;
        };
        const verificationUrl = 'http://localhost:3000/api/certificates/verify/BENCH2026ABCD';
        const qrSvg = await qrcode.toString(verificationUrl, {
          type: 'svg',
          errorCorrectionLevel: 'M',
          margin: 0,
        });
        const html = template.renderCertificateHtml({
          companyLegalName: companyName,
          certificateNumber: 'CS-000042',
          version: 1,
          holderName: 'Ada Lovelace',
          numberOfShares: 12_345,
          shareClassName: 'Common',
          shareClassType: 'COMMON',
          parValue: '0.0100',
          price: '1.2500',
          totalAmount: '15431.2500',
          currency: 'CHF',
          issueDate: '2026-01-15',
          legendText: null,
          verificationCode: 'BENC-H202-6ABC',
          verificationUrl,
          qrSvg,
          watermark: true,
        });
        return {
          html,
          source: 'src/certificates/pdf/certificate-template.ts (renderCertificateHtml)',
        };
      } catch (error) {
        this.notes.push(
          `certificate template could not be used (${String(error)}); raw Puppeteer used a comparable page`,
        );
      }
    }
    return {
      html: `<!doctype html><html><head><meta charset="utf-8"><style>@page{size:A4 landscape;margin:0}body{font-family:serif;margin:0}.s{border:12px double #1f3b5c;margin:10mm;padding:15mm;height:160mm}h1{text-align:center}</style></head><body><div class="s"><h1>${companyName}</h1><p>This is to certify that Ada Lovelace is the registered holder of 12,345 Common shares.</p><svg width="120" height="120"><rect width="120" height="120" fill="#eee"/></svg></div></body></html>`,
      source: 'comparable inline page (template not found)',
    };
  }

  private async certificates(data: Dataset): Promise<void> {
    await this.phase('certificates', async () => {
      const { html, source } = await this.certificateHtml(data.companyName);
      this.writes.certificateTemplate = source;
      for (const concurrency of [1, 4]) {
        await this.measure(
          `pdf_raw_c${concurrency}`,
          `Raw Puppeteer PDF, ${concurrency} page(s) (limit)`,
          'puppeteer',
          concurrency,
          async (seconds) =>
            this.driverOrThrow.pdf({
              html,
              concurrency,
              durationS: seconds,
              chromiumPath: this.opts.chromiumPath,
              args: CHROMIUM_FLAGS,
            }),
        );
      }
      await this.driverOrThrow.closeBrowser();
      const offset = { value: 0 };
      const paths = data.certificateIssuanceIds.map((id) => `/api/issuances/${id}/certificate/`);
      for (const concurrency of [1, 4]) {
        await this.http(
          `certificates_c${concurrency}`,
          `GET /api/issuances/{id}/certificate/ (render), ${concurrency} conn`,
          this.base,
          { paths, user: 'admin', connections: concurrency, pathOffset: offset },
        );
      }
      this.writes.certificatesRenderedOnDemand = offset.value;
    });
    await this.waitForOutboxIdle(this.opts.smoke ? 20 : 60);
  }

  /** Waits until the relay has delivered everything (e.g. the certificate.generated events). */
  private async waitForOutboxIdle(timeoutS: number): Promise<void> {
    const deadline = Date.now() + timeoutS * 1000;
    while (Date.now() < deadline) {
      const { rows } = await this.database.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM outbox_event WHERE delivered_at IS NULL AND dead_lettered_at IS NULL`,
      );
      if (rows[0]?.n === '0') return;
      await sleep(200);
    }
    this.notes.push(`the outbox was not idle ${timeoutS} s after a phase`);
  }

  // --- writes ------------------------------------------------------------------------------------

  private async dbWriteCeiling(data: Dataset): Promise<void> {
    await this.phase('db-ceiling', async () => {
      await this.database.query(`
        DROP TABLE IF EXISTS bench_scratch_issuance, bench_scratch_audit, bench_scratch_outbox;
        DROP SEQUENCE IF EXISTS bench_scratch_audit_seq;
        CREATE TABLE bench_scratch_issuance (LIKE issuance INCLUDING ALL);
        CREATE TABLE bench_scratch_audit (LIKE audit_entry INCLUDING ALL);
        CREATE TABLE bench_scratch_outbox (LIKE outbox_event INCLUDING ALL);
        CREATE SEQUENCE bench_scratch_audit_seq;`);
      try {
        await this.measure(
          'db_write',
          'pg: issuance + audit + outbox insert per tx (limit)',
          'pg (direct)',
          this.opts.writeConnections,
          (seconds) =>
            this.driverOrThrow.pgWrite({
              databaseUrl: this.url,
              connections: this.opts.writeConnections,
              durationS: seconds,
              holderIds: data.holderIds,
              classIds: data.classIds,
            }),
        );
      } finally {
        await this.database.query(`
          DROP TABLE IF EXISTS bench_scratch_issuance, bench_scratch_audit, bench_scratch_outbox;
          DROP SEQUENCE IF EXISTS bench_scratch_audit_seq;`);
      }
    });
  }

  private async maxPosition(): Promise<string> {
    const { rows } = await this.database.query<{ p: string }>(
      `SELECT COALESCE(max(position), 0)::text AS p FROM outbox_event`,
    );
    return rows[0]?.p ?? '0';
  }

  private async pendingAudit(
    fromPosition: string,
  ): Promise<{ events: number; pending: number; undelivered: number }> {
    const { rows } = await this.database.query<{
      events: number;
      pending: number;
      undelivered: number;
    }>(
      `SELECT count(*)::int AS events,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM audit_entry a WHERE a.source_event_id = o.id))::int AS pending,
              count(*) FILTER (WHERE o.delivered_at IS NULL AND o.dead_lettered_at IS NULL)::int AS undelivered
         FROM outbox_event o WHERE o.position > $1 AND o.type = 'issuance.created'`,
      [fromPosition],
    );
    return rows[0] ?? { events: 0, pending: 0, undelivered: 0 };
  }

  private async certificateBacklog(fromPosition: string): Promise<number> {
    const { rows } = await this.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox_event o
        WHERE o.position > $1 AND o.type = 'issuance.created'
          AND NOT EXISTS (SELECT 1 FROM certificate c WHERE c.issuance_id = o.aggregate_id::uuid)`,
      [fromPosition],
    );
    return rows[0]?.n ?? 0;
  }

  /** Time from the end of the load until every issuance.created event since `from` has its audit entry. */
  private async auditDrain(
    from: string,
    loadEnd: number,
  ): Promise<{ seconds: number | null; pendingAtEnd: number; events: number }> {
    let first: number | undefined;
    const deadline = loadEnd + this.opts.drainTimeoutS * 1000;
    for (;;) {
      const state = await this.pendingAudit(from);
      first ??= state.pending;
      if (state.pending === 0) {
        return {
          seconds: Math.max(0, (Date.now() - loadEnd) / 1000),
          pendingAtEnd: first,
          events: state.events,
        };
      }
      if (Date.now() > deadline)
        return { seconds: null, pendingAtEnd: first, events: state.events };
      await sleep(50);
    }
  }

  private async apiWrites(data: Dataset): Promise<void> {
    await this.phase('writes', async () => {
      const phaseStart = await this.maxPosition();
      const bodies = Array.from({ length: 2_000 }, (_, i) =>
        JSON.stringify({
          shareholder_id: data.holderIds[(i * 7919) % data.holderIds.length],
          share_class_id: data.classIds[i % data.classIds.length],
          number_of_shares: 1 + ((i * 31) % 1000),
          price: '1.2500',
        }),
      );
      const drains: Array<{
        warmup: boolean;
        from: string;
        to: string;
        loadEnd: number;
        created: number;
        auditPendingAtLoadEnd: number;
        polledDrainS: number | null;
        certificateBacklogAfterPoll: number | null;
      }> = [];
      await this.measure(
        'write',
        'POST /api/issuances/ (+ audit + certificate fan-out)',
        'autocannon',
        this.opts.writeConnections,
        async (seconds, warmup) => {
          const from = await this.maxPosition();
          const token = await this.tokens.passwordGrant('admin');
          const result = await this.driverOrThrow.http({
            url: `${this.base}/api/issuances/`,
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            bodies,
            connections: this.opts.writeConnections,
            durationS: seconds,
          });
          const to = await this.maxPosition();
          const drain = await this.auditDrain(from, result.endedAt);
          const backlog = this.certificatesPresent ? await this.certificateBacklog(from) : null;
          drains.push({
            warmup,
            from,
            to,
            loadEnd: result.endedAt,
            created: result.ok,
            auditPendingAtLoadEnd: drain.pendingAtEnd,
            polledDrainS: drain.seconds,
            certificateBacklogAfterPoll: backlog,
          });
          log(
            `  ${warmup ? 'warm-up' : 'run'}: ${result.ok} issuances, audit ${drain.seconds === null ? `not drained within ${this.opts.drainTimeoutS} s` : `drained ${drain.seconds.toFixed(2)} s after the load`}${backlog === null ? '' : `, certificate backlog ${backlog}`}`,
          );
          return result;
        },
      );
      if (this.certificatesPresent) {
        const started = Date.now();
        const initial = await this.certificateBacklog(phaseStart);
        let backlog = initial;
        const timeline: Array<[number, number]> = [[0, backlog]];
        const deadline = started + this.opts.certificateClearTimeoutS * 1000;
        // (--backlog-wait 0 skips the watch)
        while (backlog > 0 && Date.now() < deadline) {
          await sleep(1000);
          backlog = await this.certificateBacklog(phaseStart);
          timeline.push([(Date.now() - started) / 1000, backlog]);
        }
        const elapsed = (Date.now() - started) / 1000;
        const rate = (initial - backlog) / Math.max(elapsed, 0.001);
        this.writes.certificateBacklog = {
          atEndOfWrites: initial,
          remaining: backlog,
          watchedS: elapsed,
          clearedS: backlog === 0 ? elapsed : null,
          clearRatePerS: rate,
          projectedClearS: backlog === 0 ? elapsed : rate > 0 ? elapsed + backlog / rate : null,
          timeline: timeline.filter((_, i) => i % 5 === 0 || i === timeline.length - 1),
        };
        log(
          `certificate backlog: ${initial} at the end of the writes, ${backlog} after ${elapsed.toFixed(0)} s (${rate.toFixed(1)}/s)`,
        );
      }
      // The exact drain of every run, from when its last audit entry was recorded (also for runs
      // whose entries came after the bench stopped polling, e.g. behind certificate renders).
      const perRun = [];
      for (const run of drains.filter((d) => !d.warmup)) {
        const { rows } = await this.database.query<{
          events: number;
          audited: number;
          delivered: number;
          last_audit: Date | null;
          last_delivery: Date | null;
        }>(
          `SELECT count(*)::int AS events, count(a.seq)::int AS audited,
                  count(o.delivered_at)::int AS delivered,
                  max(a.recorded_at) AS last_audit, max(o.delivered_at) AS last_delivery
             FROM outbox_event o LEFT JOIN audit_entry a ON a.source_event_id = o.id
            WHERE o.position > $1 AND o.position <= $2 AND o.type = 'issuance.created'`,
          [run.from, run.to],
        );
        const r = rows[0];
        const after = (at: Date | null | undefined): number | null =>
          at ? Math.max(0, (at.getTime() - run.loadEnd) / 1000) : null;
        const allAudited = r !== undefined && r.audited === r.events;
        const allDelivered = r !== undefined && r.delivered === r.events;
        perRun.push({
          created: run.created,
          auditPendingAtLoadEnd: run.auditPendingAtLoadEnd,
          auditDrainS: allAudited ? (run.polledDrainS ?? after(r.last_audit)) : null,
          auditNotWrittenYet: r ? r.events - r.audited : null,
          lowerBoundS: allAudited ? null : (Date.now() - run.loadEnd) / 1000,
          outboxDeliveredS: allDelivered ? after(r.last_delivery) : null,
          certificateBacklogAfterPoll: run.certificateBacklogAfterPoll,
        });
      }
      const times = perRun.map((r) => r.auditDrainS);
      const complete = times.every((t): t is number => t !== null);
      this.writes.auditDrain = {
        perRun,
        medianS: complete ? median(times) : null,
        maxS: complete ? Math.max(...times) : null,
        lowerBoundS: complete ? null : Math.min(...perRun.map((r) => r.lowerBoundS ?? Infinity)),
        pollTimeoutS: this.opts.drainTimeoutS,
        method:
          'polled every 50 ms after the load; runs not drained within the poll time are timed afterwards from max(audit_entry.recorded_at)',
      };
    });
  }

  private async verifyChain(): Promise<void> {
    await this.phase('verify', async () => {
      const token = await this.tokens.passwordGrant('auditor');
      const t0 = Date.now();
      const response = await fetch(`${this.base}/api/audit/verify`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(600_000),
      });
      const body = (await response.json()) as {
        ok?: boolean;
        checked?: number;
        head_seq?: number;
        first_broken_seq?: number | null;
      };
      Object.assign(this.chain, {
        verifiedByApi: body.ok === true,
        checked: body.checked,
        headSeq: body.head_seq,
        firstBrokenSeq: body.first_broken_seq,
        verifyS: (Date.now() - t0) / 1000,
      });
      log(
        `GET /api/audit/verify: ok=${String(body.ok)} checked=${String(body.checked)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
      if (body.ok !== true)
        this.notes.push(`the audit chain did not verify: ${JSON.stringify(body)}`);
    });
  }
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const bench = new Bench(opts);
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping what the bench started`);
    void bench.cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const report = await bench.run();
    const files = writeReport(opts.outDir, report, bench.rssSamples);
    log(`report written: ${files.slice(0, 4).join(', ')}`);
    const failed = report.comparisons.filter((c) => c.pass === false).map((c) => c.id);
    log(
      `targets: ${report.comparisons.filter((c) => c.pass === true).length} pass, ${failed.length} fail${failed.length ? ` (${failed.join(', ')})` : ''}`,
    );
    log(`total ${report.durationS.toFixed(0)} s`);
  } finally {
    await bench.cleanup();
  }
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(
      '[bench] failed:',
      error instanceof Error ? (error.stack ?? error.message) : error,
    );
    process.exit(1);
  });
