import type { Principal } from './principal';
import { VerifiedTokenCache } from './verified-token-cache';

const principal = (sub: string): Principal => ({
  sub,
  username: sub,
  emailVerified: false,
  realmRoles: [],
  roles: [],
  clientId: 'corporate-os-cli',
  serviceAccount: false,
  actorName: sub,
});

describe('VerifiedTokenCache', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    now = 1_700_000_000_000;
  });
  const inSeconds = (seconds: number) => Math.floor(now / 1000) + seconds;

  it('answers only for the exact token it was given', () => {
    const cache = new VerifiedTokenCache(60_000, 10, clock);
    cache.set('a.b.c', principal('alice'), inSeconds(300));
    expect(cache.get('a.b.c')?.sub).toBe('alice');
    expect(cache.get('a.b.C')).toBeUndefined();
    expect(cache.get('a.b.c ')).toBeUndefined();
  });

  it('forgets a token when it expires, even inside the time to live', () => {
    const cache = new VerifiedTokenCache(60_000, 10, clock);
    cache.set('t', principal('alice'), inSeconds(5));
    now += 4_999;
    expect(cache.get('t')).toBeDefined();
    now += 1;
    expect(cache.get('t')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets a token after the time to live, even before it expires', () => {
    const cache = new VerifiedTokenCache(60_000, 10, clock);
    cache.set('t', principal('alice'), inSeconds(3_600));
    now += 59_999;
    expect(cache.get('t')).toBeDefined();
    now += 1;
    expect(cache.get('t')).toBeUndefined();
  });

  it('does not keep a token that has already expired', () => {
    const cache = new VerifiedTokenCache(60_000, 10, clock);
    cache.set('t', principal('alice'), inSeconds(-1));
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries tokens and drops the least recently used', () => {
    const cache = new VerifiedTokenCache(60_000, 3, clock);
    for (const token of ['t1', 't2', 't3']) cache.set(token, principal(token), inSeconds(300));
    expect(cache.get('t1')).toBeDefined();
    cache.set('t4', principal('t4'), inSeconds(300));
    expect(cache.size).toBe(3);
    expect(cache.get('t2')).toBeUndefined();
    expect(['t1', 't3', 't4'].map((t) => cache.get(t)?.sub)).toEqual(['t1', 't3', 't4']);
  });

  it('keeps nothing when its time to live is 0', () => {
    const cache = new VerifiedTokenCache(0, 10, clock);
    expect(cache.enabled).toBe(false);
    cache.set('t', principal('alice'), inSeconds(300));
    expect(cache.get('t')).toBeUndefined();
  });
});
