// Design rules of the deployment files that no validator knows. scripts/check-deploy.sh runs it
// after the validators (compose config, nginx -t, Dockerfile lint); exits 1 when a rule fails.
//
//   node -r ts-node/register/transpile-only scripts/deploy-rules.ts
//
// It reads docker-compose.yml and the Dockerfile as they are and restates neither.
import { existsSync, readFileSync } from 'node:fs';
import { DockerfileParser } from 'dockerfile-ast';
import { parse } from 'yaml';

type Volume = string | { type?: string; source?: string; target?: string };
interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: unknown; disable?: boolean };
  volumes?: Volume[];
  secrets?: (string | { source?: string; target?: string })[];
}

const COMPOSE = 'docker-compose.yml';
const DOCKERFILE = 'Dockerfile';
const composeText = readFileSync(COMPOSE, 'utf8');
const compose = parse(composeText) as {
  services: Record<string, Service>;
  secrets?: Record<string, { file?: string }>;
};
const services = compose.services;

// ${VAR}, ${VAR-default}, ${VAR:-default}; `$${...}` is a literal `$` for the container's shell.
const REFERENCE = /(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g;
const SECRET = /PASSWORD|SECRET|ENCRYPTION_KEYS|SIGNING_KEY/;

const env = (service: string): Record<string, string> => {
  const e = services[service]?.environment ?? {};
  const pairs = Array.isArray(e)
    ? e.map((line) => [line.split('=', 1)[0], line.slice(line.indexOf('=') + 1)])
    : Object.entries(e).map(([k, v]) => [k, v === null ? '' : String(v)]);
  return Object.fromEntries(pairs) as Record<string, string>;
};
const withDefaults = (value: string) => value.replace(REFERENCE, (_, _v, d?: string) => d ?? '');
const host = (url: string) => new URL(withDefaults(url).replace(/^jdbc:/, '')).hostname;
const pinned = (image: string) => {
  const tag = /:(\w[\w.-]*)$/.exec(image.split('/').pop() ?? '')?.[1];
  return image.includes('@sha256:') || (tag !== undefined && tag !== 'latest');
};
const references = (service: string) =>
  [...JSON.stringify(services[service]).matchAll(REFERENCE)].map(([, name, fallback]) => ({
    name,
    fallback,
  }));
const allReferences = Object.keys(services).flatMap(references);
const mounts = (service: string) =>
  (services[service]?.volumes ?? []).map((v) =>
    typeof v === 'string'
      ? { source: v.split(':')[0], target: v.split(':')[1] ?? '' }
      : { source: v.source ?? '', target: v.target ?? '' },
  );

let failures = 0;
function rule(file: string, name: string, problems: (string | false)[]): void {
  const found = problems.filter((p): p is string => typeof p === 'string');
  if (found.length === 0) console.log(`  ok    ${file}: ${name}`);
  for (const problem of found) console.log(`  FAIL  ${file}: ${name}: ${problem}`);
  failures += found.length;
}

// --- docker-compose.yml ----------------------------------------------------------------------
rule(
  COMPOSE,
  'every image is pinned (a tag other than latest, or a digest)',
  Object.entries(services)
    .filter(([, s]) => s.build === undefined)
    .map(([name, s]) => !pinned(s.image ?? '') && `${name}: image ${JSON.stringify(s.image)}`),
);

const realmFile = mounts('keycloak').find((m) => m.target.startsWith('/opt/keycloak/data/import/'));
const realm = realmFile
  ? (JSON.parse(readFileSync(realmFile.source, 'utf8')) as { realm: string }).realm
  : '?';
const issuer = `${env('keycloak').KC_HOSTNAME}/realms/${realm}`;
rule(COMPOSE, 'one issuer URL: api OIDC_ISSUER_URL = keycloak KC_HOSTNAME + /realms/<realm>', [
  !realmFile && 'keycloak imports no realm file from /opt/keycloak/data/import/',
  env('api').OIDC_ISSUER_URL !== issuer &&
    `api has ${JSON.stringify(env('api').OIDC_ISSUER_URL)}, expected ${JSON.stringify(issuer)}`,
  'OIDC_JWKS_URL' in env('api') && 'api overrides OIDC_JWKS_URL (keys must come from the issuer)',
]);

/** Where a service finds its secrets: /run/secrets/<target, else source>. */
const secretPaths = (service: string) =>
  (services[service]?.secrets ?? []).map(
    (s) => `/run/secrets/${typeof s === 'string' ? s : (s.target ?? s.source ?? '')}`,
  );

rule(
  COMPOSE,
  'secrets only as ${VAR:-dev-only...} or as *_FILE naming a mounted secret, never literal',
  Object.keys(services).flatMap((service) => [
    ...Object.entries(env(service))
      .filter(([key]) => SECRET.test(key) && key.endsWith('_FILE'))
      .map(
        ([key, value]) =>
          !secretPaths(service).includes(value) &&
          `${service}: ${key} is not the path of a secret it mounts`,
      ),
    ...Object.entries(env(service))
      .filter(([key]) => SECRET.test(key) && !key.endsWith('_FILE'))
      .map(
        ([key, value]) =>
          !/^\$\{[A-Z0-9_]+:-[^}]*\}$/.test(value) && `${service}: ${key} is not one \${VAR:-...}`,
      ),
    ...references(service)
      .filter((r) => SECRET.test(r.name) && !r.fallback?.startsWith('dev-only'))
      .map((r) => `${service}: \${${r.name}} has no dev-only default`),
  ]),
);

rule(COMPOSE, 'no key material (a private key belongs in a secret file, never here)', [
  /PRIVATE KEY-----/.test(composeText) && 'the file contains a PEM private key',
  ...Object.entries(compose.secrets ?? {}).map(
    ([name, secret]) =>
      !secret.file?.startsWith('./deploy/secrets/') &&
      `secret ${name} is not a file under ./deploy/secrets/ (git-ignored)`,
  ),
]);

rule(
  COMPOSE,
  'each variable has one default wherever it is used',
  [...new Set(allReferences.map((r) => r.name))].map((name) => {
    const defaults = new Set(allReferences.filter((r) => r.name === name).map((r) => r.fallback));
    return (
      defaults.size > 1 && `${name}: ${[...defaults].map((d) => JSON.stringify(d)).join(' vs ')}`
    );
  }),
);

const keycloakDb = host(env('keycloak').KC_DB_URL ?? 'jdbc:none://none');
const apiDb = host(env('api').DATABASE_URL ?? 'none://none');
const volumesOf = (service: string) => new Set(mounts(service).map((m) => m.source));
rule(COMPOSE, 'keycloak on its own PostgreSQL (not the API database, not its dev H2)', [
  env('keycloak').KC_DB !== 'postgres' && `keycloak KC_DB is ${env('keycloak').KC_DB}`,
  !services[keycloakDb]?.image?.startsWith('postgres:') && `KC_DB_URL host ${keycloakDb}`,
  keycloakDb === apiDb && `keycloak and api both use ${apiDb}`,
  keycloakDb !== apiDb &&
    [...volumesOf(keycloakDb)].some((v) => volumesOf(apiDb).has(v)) &&
    `${keycloakDb} and ${apiDb} share a volume`,
]);

const userOf = (url: string | undefined) =>
  url ? decodeURIComponent(new URL(withDefaults(url)).username) : '';
const owner = withDefaults(env('postgres').POSTGRES_USER ?? '');
rule(COMPOSE, 'the API connects as its own role, never as the schema owner', [
  !userOf(env('api').DATABASE_URL) && 'api DATABASE_URL names no role',
  userOf(env('api').DATABASE_URL) === owner && `api connects as ${owner}, the owner`,
  env('api').DATABASE_MIGRATION_URL !== undefined && 'api holds the owner URL',
  env('api').DB_MIGRATE_ON_START !== 'false' && 'api migrates on start (as the owner)',
  userOf(env('migrate').DATABASE_MIGRATION_URL) !== owner && 'migrate does not run as the owner',
  env('migrate').DATABASE_URL !== env('api').DATABASE_URL &&
    'migrate provisions another role than the API uses',
]);

const keycloakCommand = [services.keycloak?.command ?? []].flat().join(' ').split(' ');
rule(COMPOSE, 'keycloak runs in production mode (start, not start-dev)', [
  keycloakCommand[0] !== 'start' && `command is ${JSON.stringify(keycloakCommand.join(' '))}`,
]);

rule(
  COMPOSE,
  'every service_healthy dependency has a health check',
  Object.entries(services).flatMap(([name, s]) =>
    Object.entries(Array.isArray(s.depends_on) ? {} : (s.depends_on ?? {}))
      .filter(([dep, d]) => d.condition === 'service_healthy' && !services[dep]?.healthcheck)
      .map(([dep]) => `${name} waits for ${dep}, which has no healthcheck`),
  ),
);

rule(
  COMPOSE,
  'every bind-mounted file exists (certificates: deploy/nginx/generate-self-signed.sh)',
  Object.keys(services).flatMap((name) =>
    mounts(name)
      .filter((m) => m.source.startsWith('.') && !m.source.startsWith('./deploy/certs'))
      .map((m) => !existsSync(m.source) && `${name}: ${m.source} does not exist`),
  ),
);

// --- Dockerfile ------------------------------------------------------------------------------
const dockerfile = DockerfileParser.parse(readFileSync(DOCKERFILE, 'utf8'));
const froms = dockerfile.getFROMs();
rule(
  DOCKERFILE,
  'every FROM is a pinned image or an earlier stage',
  froms.map((f, i) => {
    const image = f.getExpandedArguments()[0]?.getValue() ?? '';
    const earlier = froms.slice(0, i).some((e) => e.getBuildStage() === image);
    return !earlier && !pinned(image) && `line ${f.getRange().start.line + 1}: FROM ${image}`;
  }),
);

const last = froms.at(-1)?.getRange().start.line ?? 0;
const user = dockerfile
  .getInstructions()
  .filter((i) => i.getKeyword() === 'USER' && i.getRange().start.line > last)
  .at(-1)
  ?.getArgumentsContent();
rule(DOCKERFILE, 'the final stage runs as a non-root USER', [
  (!user || /^(root|0)(:|$)/.test(user)) && `USER ${user ?? '(none)'}`,
]);

if (failures > 0) {
  console.log(`deploy rules: ${failures} failed`);
  process.exit(1);
}
