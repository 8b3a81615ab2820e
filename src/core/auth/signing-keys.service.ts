import { Injectable, Logger } from '@nestjs/common';
import { createPublicKey, KeyObject } from 'node:crypto';
import { JwksClient, SigningKeyNotFoundError } from 'jwks-rsa';
import { AppConfigService } from '../config/app-config.service';
import { MetricsService } from '../metrics/metrics.service';
import { SigningKeysUnavailableError, UntrustedTokenError } from './auth.errors';
import { OidcDiscoveryService } from './oidc-discovery.service';

const READINESS_CACHE_MS = 15_000;
/** How long fetched keys stay in the JWKS client's cache, so tokens verify without the issuer. */
const KEY_CACHE_MAX_AGE_MS = 10 * 60_000;

/** Whether tokens can be verified now, and where the keys come from. */
export interface KeysReadiness {
  ready: boolean;
  identity_provider: 'reachable' | 'unreachable';
  keys: 'fetched' | 'cached' | 'none';
}

/**
 * The issuer's public keys from its JWKS. Keys are cached; an unknown `kid` triggers a refetch,
 * rate limited, so a rotated key is picked up without a restart while a flood of forged key ids
 * cannot hammer the identity provider.
 */
@Injectable()
export class SigningKeysService {
  private readonly logger = new Logger(SigningKeysService.name);
  private client?: Promise<JwksClient>;
  private lastReady?: { at: number; ok: boolean };
  /** When keys last came from the issuer (a verification or a readiness probe). */
  private lastKeysAt?: number;
  /**
   * Parsed keys, by their PEM. jsonwebtoken would otherwise parse the PEM on every request, which
   * profiling showed as the largest single cost of an authenticated read.
   */
  private readonly parsed = new Map<string, KeyObject>();

  constructor(
    private readonly config: AppConfigService,
    private readonly discovery: OidcDiscoveryService,
    private readonly metrics: MetricsService,
  ) {}

  async getPublicKey(kid: string): Promise<KeyObject> {
    const client = await this.jwksClient();
    try {
      // Asked every time: jwks-rsa answers from its own cache, which expires (so a key removed
      // from the realm stops being trusted); only the parsing is memoised here.
      const pem = (await client.getSigningKey(kid)).getPublicKey();
      this.lastKeysAt ??= Date.now();
      let key = this.parsed.get(pem);
      if (!key) {
        key = createPublicKey(pem);
        if (this.parsed.size > 20) this.parsed.clear();
        this.parsed.set(pem, key);
      }
      return key;
    } catch (error) {
      if (
        error instanceof SigningKeyNotFoundError ||
        (error as Error).name === 'JwksRateLimitError'
      ) {
        throw new UntrustedTokenError(`signing key ${kid} is not published by the issuer`);
      }
      this.metrics.jwksFetchFailures.inc();
      this.logger.warn({ err: error }, 'JWKS fetch failed');
      throw new SigningKeysUnavailableError(error);
    }
  }

  /** Whether the keys can be fetched now; cached briefly so probes do not hammer the issuer. */
  async isReachable(): Promise<boolean> {
    if (this.lastReady && Date.now() - this.lastReady.at < READINESS_CACHE_MS) {
      return this.lastReady.ok;
    }
    let ok: boolean;
    try {
      const keys = await (await this.jwksClient()).getSigningKeys();
      ok = keys.length > 0;
      if (ok) this.lastKeysAt = Date.now();
    } catch {
      this.metrics.jwksFetchFailures.inc();
      ok = false;
    }
    this.lastReady = { at: Date.now(), ok };
    return ok;
  }

  /**
   * Readiness means "this instance can verify tokens": keys fetched now, or fetched within the key
   * cache's lifetime (an outage of the issuer then takes no warm instance out of service).
   */
  async readiness(): Promise<KeysReadiness> {
    if (await this.isReachable())
      return { ready: true, identity_provider: 'reachable', keys: 'fetched' };
    const cached =
      this.lastKeysAt !== undefined && Date.now() - this.lastKeysAt < KEY_CACHE_MAX_AGE_MS;
    return { ready: cached, identity_provider: 'unreachable', keys: cached ? 'cached' : 'none' };
  }

  private async jwksClient(): Promise<JwksClient> {
    this.client ??= this.createClient().catch((error: unknown) => {
      this.client = undefined;
      throw error instanceof SigningKeysUnavailableError
        ? error
        : new SigningKeysUnavailableError(error);
    });
    return this.client;
  }

  private async createClient(): Promise<JwksClient> {
    const jwksUri = this.config.get('OIDC_JWKS_URL') ?? (await this.discovery.get()).jwks_uri;
    return new JwksClient({
      jwksUri,
      cache: true,
      cacheMaxEntries: 10,
      cacheMaxAge: KEY_CACHE_MAX_AGE_MS,
      rateLimit: true,
      jwksRequestsPerMinute: 10,
      timeout: 5_000,
    });
  }
}
