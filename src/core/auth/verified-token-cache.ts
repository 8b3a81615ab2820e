import { LruMap } from '../cache/lru-map';
import type { Principal } from './principal';

interface Entry {
  principal: Principal;
  /** Epoch milliseconds after which the entry is not used. */
  until: number;
}

/**
 * Access tokens that passed the full check (signature against the issuer's key, algorithm,
 * issuer, audience, expiry, token type), by their exact compact form, so a client that sends the
 * same token again is not verified again. Only verified tokens enter: anything else, including
 * every forged or altered token, differs in at least one character and takes the full check.
 *
 * An entry is used until the token expires or `ttlMs` after it was verified, whichever comes
 * first. `ttlMs` (at most 5 minutes) is short beside the signing-key cache (10 minutes): a key
 * removed from the realm stops being trusted at most `ttlMs` later than it already would. At most
 * `maxEntries` tokens are kept; the least recently used go first. `ttlMs` 0 turns the cache off.
 */
export class VerifiedTokenCache {
  private readonly entries: LruMap<string, Entry>;

  constructor(
    private readonly ttlMs: number,
    maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new LruMap(ttlMs > 0 ? maxEntries : 0);
  }

  get enabled(): boolean {
    return this.entries.maxEntries > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get(token: string): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (this.now() < entry.until) return entry.principal;
    this.entries.delete(token);
    return undefined;
  }

  /** `expiresAt`: the token's `exp` claim (seconds since the epoch). */
  set(token: string, principal: Principal, expiresAt: number): void {
    if (!this.enabled) return;
    const now = this.now();
    const until = Math.min(expiresAt * 1000, now + this.ttlMs);
    if (until <= now) return;
    this.entries.set(token, { principal, until });
  }

  clear(): void {
    this.entries.clear();
  }
}
