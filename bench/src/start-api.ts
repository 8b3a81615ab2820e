/**
 * The API as its own process (`node dist/src/main.js`), on a free port, with its defaults except
 * what the bench needs; its RSS is sampled from then on.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, PhaseProfiler, RssSampler, sleep, startProcess } from './api-process';
import { BenchContext, log } from './context';
import { REPO_ROOT } from './options';

function apiEnvironment(ctx: BenchContext, port: number, profileDir: string): NodeJS.ProcessEnv {
  const { opts } = ctx;
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: ctx.appUrl,
    OIDC_ISSUER_URL: `${opts.keycloakUrl}/realms/${opts.realm}`,
    ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    AUDIT_CHECKPOINT_SIGNING_KEY: generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'der', type: 'pkcs8' })
      .toString('base64'),
    // The first checkpoint of a chain walks all of it (1,000,000 entries here): not during the
    // phases, whose figures are about requests.
    AUDIT_CHECKPOINT_INTERVAL_MS: '0',
    LOG_LEVEL: 'warn',
    DB_MIGRATE_ON_START: 'false',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUPPETEER_EXECUTABLE_PATH: opts.chromiumPath,
    THROTTLE_LIMIT: '10000000',
    THROTTLE_TTL_MS: '1000',
    ...opts.apiEnv,
    ...(opts.profile.length > 0
      ? { BENCH_PROFILE_DIR: profileDir, TS_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.json') }
      : {}),
  };
}

/** Present when the `certificate` table exists and the certificate route answers. */
async function certificatesPresent(ctx: BenchContext, baseUrl: string): Promise<boolean> {
  const certificateTable = await ctx.database.query<{ present: boolean }>(
    `SELECT to_regclass('public.certificate') IS NOT NULL AS present`,
  );
  const probe = await fetch(`${baseUrl}/api/issuances/${randomUUID()}/certificate/`, {
    headers: { authorization: `Bearer ${await ctx.tokens.passwordGrant('admin')}` },
  });
  const probeBody = (await probe.json().catch(() => ({}))) as { code?: string };
  return certificateTable.rows[0]?.present === true && probeBody.code === 'ISSUANCE_NOT_FOUND';
}

export async function startApi(ctx: BenchContext): Promise<void> {
  const { opts } = ctx;
  const port = await freePort();
  const profileDir = join(opts.outDir, 'profiles');
  const profiling = opts.profile.length > 0;
  if (profiling) mkdirSync(profileDir, { recursive: true });
  const logFile = join(opts.outDir, 'logs', 'api.log');
  log(`starting the API (node dist/src/main.js) on port ${port}; log in ${logFile}`);
  if (!existsSync(join(REPO_ROOT, 'dist', 'src', 'main.js'))) {
    throw new Error('dist/src/main.js is missing: run `npm run build` (bench/run.sh does)');
  }
  const hook = [
    '-r',
    'ts-node/register/transpile-only',
    '-r',
    join(__dirname, 'api-profiler-hook.ts'),
  ];
  const api = await startProcess({
    name: 'api',
    args: [...(profiling ? hook : []), join(REPO_ROOT, 'dist', 'src', 'main.js')],
    cwd: REPO_ROOT,
    env: apiEnvironment(ctx, port, profileDir),
    logFile,
    port,
    readyPath: '/health/live',
  });
  ctx.api = api;
  ctx.onCleanup(async () => {
    const code = await api.stop();
    log(`API stopped (exit ${code})`);
  });
  ctx.sampler = new RssSampler(api.pid, 100);
  ctx.sampler.start();
  ctx.profiler = new PhaseProfiler(api.pid, profileDir, opts.profile);
  await sleep(1000);
  ctx.memory.apiRssAfterStart = ctx.sampler.sample();
  ctx.certificatesPresent = await certificatesPresent(ctx, api.baseUrl);
  log(`certificates module ${ctx.certificatesPresent ? 'present' : 'absent'}`);
}
