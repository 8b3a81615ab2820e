/**
 * Phase `framework`, before the API starts: the framework's ceilings from `bench/baselines/` (a
 * bare NestJS 11 app on Fastify; the same with an RS256 check per request, the key as a KeyObject
 * and as a PEM string), and for information the RS256 app doing one `pg` primary-key read.
 */
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import { freePort, startProcess, StartedProcess } from '../api-process';
import { BenchContext, log } from '../context';
import type { Dataset } from '../dataset';
import { claimsOf } from '../keycloak';
import { http } from '../measure';
import { REPO_ROOT } from '../options';

/** A token shaped like Keycloak's (same claims, same size), signed with a local RSA key. */
async function localToken(
  ctx: BenchContext,
): Promise<{ token: string; publicKey: KeyObject; issuer: string }> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { exp: _exp, iat: _iat, ...claims } = claimsOf(await ctx.tokens.passwordGrant('admin'));
  const token = sign(claims, privateKey, { algorithm: 'RS256', expiresIn: 3600, keyid: 'bench' });
  return { token, publicKey, issuer: String(claims.iss) };
}

const pem = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();

async function baseline(
  ctx: BenchContext,
  file: string,
  env: NodeJS.ProcessEnv,
): Promise<StartedProcess> {
  const port = await freePort();
  return startProcess({
    name: file,
    args: ['-r', 'ts-node/register/transpile-only', join(REPO_ROOT, 'bench', 'baselines', file)],
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), ...env },
    logFile: join(ctx.opts.outDir, 'logs', `${file}.log`),
    port,
    readyPath: '/hello',
    readyStatus: (status) => status === 200 || status === 401,
  });
}

async function measureBaseline(
  started: StartedProcess,
  work: (baseUrl: string) => Promise<unknown>,
): Promise<void> {
  try {
    await work(started.baseUrl);
  } finally {
    await started.stop();
  }
}

async function frameworkCeilings(ctx: BenchContext): Promise<void> {
  const { token, publicKey, issuer } = await localToken(ctx);
  const connections = ctx.opts.readConnections;
  log('framework ceiling: bare NestJS 11 on Fastify');
  await measureBaseline(await baseline(ctx, 'bare-nest.ts', {}), (base) =>
    http(ctx, 'framework_bare', 'Bare NestJS+Fastify GET /hello (limit)', base, {
      paths: ['/hello'],
      connections,
    }),
  );
  for (const format of ['keyobject', 'pem'] as const) {
    const key = format === 'keyobject' ? 'framework_rs256' : 'framework_rs256_pem';
    const label =
      format === 'keyobject'
        ? 'NestJS+Fastify + RS256 verify (limit)'
        : 'RS256 verify, PEM parsed per request';
    log(`authenticated-read ceiling: + RS256 check (jsonwebtoken, local key as ${format})`);
    const rs = await baseline(ctx, 'nest-rs256.ts', {
      BASELINE_PUBLIC_KEY: pem(publicKey),
      BASELINE_KEY_FORMAT: format,
      BASELINE_ISSUER: issuer,
      BASELINE_AUDIENCE: 'corporate-os-api',
    });
    await measureBaseline(rs, (base) =>
      http(ctx, key, label, base, { paths: ['/hello'], bearer: () => token, connections }),
    );
  }
}

/** For information: RS256 plus one primary-key read with plain `pg`, on the same issuances. */
async function readWithDbCeiling(ctx: BenchContext, data: Dataset): Promise<void> {
  const { token, publicKey, issuer } = await localToken(ctx);
  log('authenticated read + one pg primary-key read (for information)');
  const started = await baseline(ctx, 'nest-rs256-pg.ts', {
    BASELINE_PUBLIC_KEY: pem(publicKey),
    BASELINE_ISSUER: issuer,
    BASELINE_AUDIENCE: 'corporate-os-api',
    BASELINE_DATABASE_URL: ctx.url,
  });
  await measureBaseline(started, (base) =>
    http(ctx, 'framework_rs256_pg', 'NestJS+Fastify + RS256 + one pg read (info)', base, {
      paths: data.readIssuanceIds.map((id) => `/issuances/${id}`),
      bearer: () => token,
      connections: ctx.opts.readConnections,
    }),
  );
}

export async function framework(ctx: BenchContext, data: Dataset): Promise<void> {
  await ctx.phase('framework', async () => {
    await frameworkCeilings(ctx);
    await readWithDbCeiling(ctx, data);
  });
}
