import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  ttl: number;
  /** Start of the current fixed window (a multiple of the ttl). */
  start: number;
  current: number;
  previous: number;
  blockedUntil: number;
}

const SECOND_MS = 1_000;

/**
 * In-memory rate-limit counters in constant time and memory per key: a sliding window estimated
 * from two fixed windows (the previous window's count weighted by how much of it still overlaps
 * the sliding window, plus the current count). The library's default storage keeps one timestamp
 * per request and filters them on every hit, so its cost grows with the limit.
 *
 * Counts are per instance, like the default storage.
 */
export class SlidingWindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    this.sweep(now, ttl);
    const id = `${throttlerName}:${key}`;
    const start = now - (now % ttl);
    let window = this.windows.get(id);
    if (!window) {
      window = { ttl, start, current: 0, previous: 0, blockedUntil: 0 };
      this.windows.set(id, window);
    } else if (window.start !== start) {
      window.previous = start - window.start === ttl ? window.current : 0;
      window.current = 0;
      window.start = start;
    }
    const timeToExpire = Math.ceil((start + ttl - now) / SECOND_MS);
    if (window.blockedUntil > now) {
      return Promise.resolve({
        totalHits: limit + 1,
        timeToExpire,
        isBlocked: true,
        timeToBlockExpire: Math.ceil((window.blockedUntil - now) / SECOND_MS),
      });
    }
    window.current += 1;
    const overlap = (ttl - (now - start)) / ttl;
    const totalHits = Math.ceil(window.previous * overlap) + window.current;
    if (totalHits <= limit) {
      return Promise.resolve({ totalHits, timeToExpire, isBlocked: false, timeToBlockExpire: 0 });
    }
    // The request over the limit is refused and does not count; the caller waits out the block.
    window.current -= 1;
    window.blockedUntil = now + (blockDuration > 0 ? blockDuration : ttl);
    return Promise.resolve({
      totalHits,
      timeToExpire,
      isBlocked: true,
      timeToBlockExpire: Math.ceil((window.blockedUntil - now) / SECOND_MS),
    });
  }

  /** How many keys are tracked (for tests and diagnostics). */
  get size(): number {
    return this.windows.size;
  }

  /** Forgets keys idle for two windows, at most once a window (amortised constant time). */
  private sweep(now: number, ttl: number): void {
    if (now - this.lastSweep < ttl) return;
    this.lastSweep = now;
    for (const [id, window] of this.windows) {
      if (window.start + 2 * window.ttl <= now && window.blockedUntil <= now) {
        this.windows.delete(id);
      }
    }
  }
}
