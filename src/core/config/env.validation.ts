import { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { parseEd25519PrivateKey, parseEd25519PublicKeys, parses } from '../crypto/ed25519-keys';

/** A whole number from `min` to `max`, both included. */
const IntegerIn = (min: number, max: number): PropertyDecorator =>
  applyDecorators(IsInt(), Min(min), Max(max));

// Reads the raw value: implicit conversion would already have turned 'false' into true.
const toBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }): unknown => {
  const value = obj[key];
  if (typeof value !== 'string') return value;
  const normalized = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
  if (['false', '0', 'no', 'off', ''].includes(normalized)) return false;
  return value;
};

/** A value `parse` accepts, else `message`. */
const ParsedBy = (parse: (text: string) => unknown, message: string) =>
  ValidateBy({ name: 'parsedBy', validator: { validate: (v) => parses(parse, v) } }, { message });

/** 0 (off), or at least `min`. */
const ZeroOrAtLeast = (min: number) =>
  ValidateBy(
    { name: 'zeroOrAtLeast', validator: { validate: (v) => v === 0 || Number(v) >= min } },
    { message: ({ property }) => `${property} must be 0 (off) or at least ${min}` },
  );

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * Every environment variable the service reads. The app refuses to boot when one is missing or
 * malformed, and the message names each offending variable.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IntegerIn(0, 65535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '0.0.0.0';

  /**
   * The URL browsers use to reach this API (scheme, host, port, no path), e.g. https://cap.example.com.
   * Swagger UI's OAuth2 redirect URI is built from it; defaults to http://localhost:PORT.
   */
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'PUBLIC_BASE_URL must be an http(s) URL' },
  )
  PUBLIC_BASE_URL?: string;

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  @IntegerIn(1, 200)
  DATABASE_POOL_SIZE: number = 20;

  /** Streamed exports open at a time (a connection each, beside the pool); more wait. */
  @IntegerIn(1, 50)
  DATABASE_STREAM_CONNECTIONS: number = 4;

  /**
   * The company that the unscoped routes (/api/shareholders/, /api/cap-table, …) address for a
   * platform administrator; unset: the deployment's first company.
   */
  @IsOptional()
  @IsUUID('all', { message: 'DEFAULT_COMPANY_ID must be a UUID' })
  DEFAULT_COMPANY_ID?: string;

  /**
   * The schema owner's URL, for migrations only. When set, migrations on start (and
   * `npm run db:migrate`) run with it and create the API's login role from DATABASE_URL; the API
   * itself always connects with DATABASE_URL. Keep it out of the API's environment when a separate
   * migration step runs (as `npm run stack` and docker-compose.yml do).
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_MIGRATION_URL must be a postgres:// URL' })
  DATABASE_MIGRATION_URL?: string;

  @Transform(toBoolean)
  @IsBoolean()
  DB_MIGRATE_ON_START: boolean = true;

  /**
   * In production the API refuses to start when its database role is a superuser, may bypass
   * row-level security, owns the tables or may create objects. Only for a deliberate exception.
   */
  @Transform(toBoolean)
  @IsBoolean()
  DATABASE_ALLOW_PRIVILEGED_ROLE: boolean = false;

  @IsUrl(URL_OPTIONS, {
    message:
      'OIDC_ISSUER_URL must be an http(s) URL, e.g. http://localhost:8080/realms/corporate-os',
  })
  OIDC_ISSUER_URL!: string;

  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'OIDC_JWKS_URL must be an http(s) URL' })
  OIDC_JWKS_URL?: string;

  @IsString()
  OIDC_AUDIENCE: string = 'corporate-os-api';

  @IsString()
  OIDC_TOKEN_CLIENT_ID: string = 'corporate-os-cli';

  @IsString()
  OIDC_DOCS_CLIENT_ID: string = 'corporate-os-docs';

  @IntegerIn(0, 300)
  OIDC_CLOCK_TOLERANCE_SECONDS: number = 30;

  /** How long a verified access token is accepted without a new check (0: always check). */
  @IntegerIn(0, 300)
  ACCESS_TOKEN_CACHE_SECONDS: number = 60;

  /**
   * The realm role of platform administrators: they create companies and act as admin in every
   * company (the internal-tool service account carries it too).
   */
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,100}$/, { message: 'PLATFORM_ADMIN_ROLE must be a realm role name' })
  PLATFORM_ADMIN_ROLE: string = 'admin';

  @IntegerIn(1, 1_000_000)
  ACCESS_TOKEN_CACHE_SIZE: number = 5_000;

  /** Issuances kept for GET /api/issuances/{id} (IssuanceReadCache); 0 turns the cache off. */
  @IntegerIn(0, 1_000_000)
  ISSUANCE_CACHE_SIZE: number = 10_000;

  @IntegerIn(0, 3_600_000)
  ISSUANCE_CACHE_TTL_MS: number = 60_000;

  /**
   * How many days after today (UTC) a ledger transaction may be dated; 0: never in the future.
   * A later effective date is refused with 422 TRANSACTION_DATE_INVALID.
   */
  @IntegerIn(0, 366)
  LEDGER_FUTURE_DATE_TOLERANCE_DAYS: number = 0;

  @Transform(toBoolean)
  @IsBoolean()
  TOKEN_ENDPOINT_ENABLED: boolean = true;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Comma-separated list of browser origins allowed by CORS; empty means none. */
  @IsString()
  CORS_ORIGINS: string = '';

  /**
   * Key ring for encrypting sensitive holder data at rest: `kid:base64key[,kid:base64key...]`,
   * each key 32 random bytes (AES-256-GCM). Old keys stay listed so old values can be read.
   */
  @Matches(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)*$/, {
    message:
      'ENCRYPTION_KEYS must be kid:base64key[,kid:base64key...] with 32-byte keys (openssl rand -base64 32)',
  })
  ENCRYPTION_KEYS!: string;

  /** The key id new values are encrypted with; defaults to the first key of ENCRYPTION_KEYS. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/)
  ENCRYPTION_ACTIVE_KEY_ID?: string;

  /**
   * Ed25519 private key that signs the audit chain's checkpoints: PKCS#8 PEM (`openssl genpkey
   * -algorithm ed25519`) or the base64 of its DER form. The database never holds it. Required in
   * production, here or as AUDIT_CHECKPOINT_SIGNING_KEY_FILE; elsewhere, when neither is set, a key
   * is made at start-up (and lost at exit).
   */
  @ValidateIf(
    (env: EnvironmentVariables) =>
      env.AUDIT_CHECKPOINT_SIGNING_KEY !== undefined ||
      (env.NODE_ENV === 'production' && env.AUDIT_CHECKPOINT_SIGNING_KEY_FILE === undefined),
  )
  @IsDefined({
    message:
      'AUDIT_CHECKPOINT_SIGNING_KEY or AUDIT_CHECKPOINT_SIGNING_KEY_FILE is required in production (openssl genpkey -algorithm ed25519)',
  })
  @ParsedBy(
    parseEd25519PrivateKey,
    'AUDIT_CHECKPOINT_SIGNING_KEY must be an Ed25519 private key, PKCS#8 PEM or base64 DER',
  )
  AUDIT_CHECKPOINT_SIGNING_KEY?: string;

  /**
   * The path of a file holding that key instead (PKCS#8 PEM or base64 DER), such as a mounted
   * secret, so that the key itself is in no environment. Read when the configuration is validated;
   * at most one of the two may be set.
   */
  @IsOptional()
  @IsString()
  AUDIT_CHECKPOINT_SIGNING_KEY_FILE?: string;

  /**
   * The signing key of AUDIT_CHECKPOINT_SIGNING_KEY or AUDIT_CHECKPOINT_SIGNING_KEY_FILE, parsed by
   * validateEnv; no variable of its own. A key object rather than text, so it is never copied into
   * process.env, which child processes such as Chromium inherit.
   */
  auditCheckpointSigningKey?: KeyObject;

  /**
   * Public keys that still verify older checkpoints after the signing key was rotated: SPKI PEM
   * blocks, or base64 DER forms separated by commas.
   */
  @IsOptional()
  @ParsedBy(
    parseEd25519PublicKeys,
    'AUDIT_CHECKPOINT_PUBLIC_KEYS must be Ed25519 public keys, SPKI PEM or base64 DER',
  )
  AUDIT_CHECKPOINT_PUBLIC_KEYS?: string;

  /** How often a signed checkpoint of the audit chain's head is made (when it moved); 0: never. */
  @IsInt()
  @ZeroOrAtLeast(1_000)
  @Max(86_400_000)
  AUDIT_CHECKPOINT_INTERVAL_MS: number = 300_000;

  @Transform(toBoolean)
  @IsBoolean()
  SEED_DEMO_DATA: boolean = false;

  /** Deliver outbox events in this process (every instance may run a relay). */
  @Transform(toBoolean)
  @IsBoolean()
  OUTBOX_RELAY_ENABLED: boolean = true;

  @IntegerIn(10, 60_000)
  OUTBOX_POLL_INTERVAL_MS: number = 1_000;

  @IntegerIn(1, 1_000)
  OUTBOX_BATCH_SIZE: number = 100;

  /**
   * Aggregates whose events a relay delivers at the same time (each aggregate's in order); capped
   * at half of DATABASE_POOL_SIZE, since a listener may hold a connection while it works.
   */
  @IntegerIn(1, 100)
  OUTBOX_DELIVERY_CONCURRENCY: number = 16;

  /** Deliveries tried before an event is parked as dead-lettered. */
  @IntegerIn(1, 100)
  OUTBOX_MAX_ATTEMPTS: number = 8;

  /** First retry delay; it doubles per attempt, capped at 10 minutes. */
  @IntegerIn(10, 600_000)
  OUTBOX_RETRY_BASE_MS: number = 1_000;

  /**
   * How long a claimed event is reserved for one relay before another may take it over; renewed
   * every third of it while the delivery runs, so it bounds the wait after a crash, not a delivery.
   */
  @IntegerIn(1_000, 3_600_000)
  OUTBOX_LEASE_MS: number = 15_000;

  /**
   * The render worker waits while more than this many events are waiting for delivery, so a burst
   * of writes gets its audit entries first and certificates drain afterwards.
   */
  @IntegerIn(0, 1_000_000)
  CERTIFICATE_RENDER_YIELD_BACKLOG: number = 20;

  /**
   * The render worker waits while issuances keep coming: until none was queued for this long...
   */
  @IntegerIn(0, 60_000)
  CERTIFICATE_RENDER_QUIET_MS: number = 500;

  /** ...but never longer than this at a time, so certificates still come under sustained load. */
  @IntegerIn(1_000, 3_600_000)
  CERTIFICATE_RENDER_MAX_DEFER_MS: number = 60_000;

  /** Render queued certificates in this process (every instance may). */
  @Transform(toBoolean)
  @IsBoolean()
  CERTIFICATE_RENDER_WORKER_ENABLED: boolean = true;

  /** Chromium for certificate PDFs; defaults to PUPPETEER_EXECUTABLE_PATH, then /usr/bin/chromium. */
  @IsOptional()
  @IsString()
  CHROMIUM_PATH?: string;

  @IsOptional()
  @IsString()
  PUPPETEER_EXECUTABLE_PATH?: string;

  /** Browser pages rendering certificates at the same time (one warm browser). */
  @IntegerIn(1, 32)
  CERTIFICATE_RENDER_CONCURRENCY: number = 4;

  @IntegerIn(1_000, 120_000)
  CERTIFICATE_RENDER_TIMEOUT_MS: number = 15_000;

  /** Renders allowed to wait for a free page; beyond that the caller gets 503 with Retry-After. */
  @IntegerIn(0, 10_000)
  CERTIFICATE_QUEUE_LIMIT: number = 32;

  /** Print "SPECIMEN" across certificates; when unset, on everywhere except production. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  CERTIFICATE_WATERMARK?: boolean;

  /** Base URL encoded in the certificates' verification QR code; defaults to PUBLIC_BASE_URL. */
  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'CERTIFICATE_VERIFY_BASE_URL must be an http(s) URL' })
  CERTIFICATE_VERIFY_BASE_URL?: string;

  /** Requests per principal (or per IP when anonymous) and window; per instance. */
  @IntegerIn(1, 10_000_000)
  THROTTLE_LIMIT: number = 1_200;

  @IntegerIn(1_000, 3_600_000)
  THROTTLE_TTL_MS: number = 60_000;

  /** Password logins (POST /api/token/) per IP and window: much stricter than the rest. */
  @IntegerIn(1, 100_000)
  THROTTLE_LOGIN_LIMIT: number = 20;

  /**
   * Bearer token required on /metrics. Unset: /metrics answers only to loopback addresses (scrape
   * it from the same host or pod, or set a token).
   */
  @IsOptional()
  @IsString()
  @Matches(/^.{16,}$/, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /**
   * Where holder notifications are sent, e.g. smtp://user:pass@mail.example.com:587 or
   * smtps://...:465. Unset: each notification is written as a structured log line instead.
   */
  @IsOptional()
  @Matches(/^smtps?:\/\/[^\s]+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  NOTIFICATION_FROM: string = 'Corporate OS <no-reply@corporate-os.invalid>';

  /** How long SIGTERM waits for the outbox relay to deliver what was acknowledged. */
  @IntegerIn(0, 300_000)
  SHUTDOWN_DRAIN_TIMEOUT_MS: number = 10_000;

  /**
   * How long SIGTERM lets requests in flight finish; connections still open then (a slow handler, a
   * stalled or silent client) are cut, since Node stops enforcing request deadlines once it closes.
   */
  @IntegerIn(0, 300_000)
  SHUTDOWN_GRACE_MS: number = 10_000;

  @IntegerIn(1024, 50 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 1024 * 1024;

  /**
   * How long a client may take to send a whole request, headers and body; a slower one gets 408
   * and its connection is closed, so stalled clients cannot hold connections open.
   */
  @IntegerIn(100, 600_000)
  REQUEST_TIMEOUT_MS: number = 30_000;
}

export type AppConfig = EnvironmentVariables;

export function validateEnv(raw: Record<string, unknown>): EnvironmentVariables {
  const config = plainToInstance(EnvironmentVariables, raw, { enableImplicitConversion: true });
  const errors = validateSync(config, { skipMissingProperties: false, forbidUnknownValues: false });
  const lines = errors.map((error) => {
    const messages = Object.values(error.constraints ?? {}).join('; ');
    return `  - ${error.property}: ${messages}`;
  });
  const signingKey = checkpointSigningKey(config);
  if (typeof signingKey === 'string')
    lines.push(`  - AUDIT_CHECKPOINT_SIGNING_KEY_FILE: ${signingKey}`);
  if (lines.length > 0) {
    throw new Error(`Invalid configuration, the service will not start:\n${lines.join('\n')}`);
  }
  config.auditCheckpointSigningKey = signingKey instanceof KeyObject ? signingKey : undefined;
  return config;
}

/**
 * The checkpoint signing key the configuration gives, inline or in the file
 * AUDIT_CHECKPOINT_SIGNING_KEY_FILE names, or what is wrong with that file. An inline key that
 * does not parse is left to its own validation.
 */
function checkpointSigningKey(config: EnvironmentVariables): KeyObject | string | undefined {
  const { AUDIT_CHECKPOINT_SIGNING_KEY: inline, AUDIT_CHECKPOINT_SIGNING_KEY_FILE: path } = config;
  if (path === undefined) {
    return inline !== undefined && parses(parseEd25519PrivateKey, inline)
      ? parseEd25519PrivateKey(inline)
      : undefined;
  }
  if (inline !== undefined) {
    return 'set AUDIT_CHECKPOINT_SIGNING_KEY or AUDIT_CHECKPOINT_SIGNING_KEY_FILE, not both';
  }
  if (typeof path !== 'string') return undefined; // reported by its own validation
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return `cannot read the key file: ${(error as Error).message}`;
  }
  return parses(parseEd25519PrivateKey, text)
    ? parseEd25519PrivateKey(text)
    : `${JSON.stringify(path)} must hold an Ed25519 private key, PKCS#8 PEM or base64 DER`;
}
