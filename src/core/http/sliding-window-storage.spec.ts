import { SlidingWindowThrottlerStorage } from './sliding-window-storage';

const TTL = 60_000;

function storageAt(start: number) {
  const clock = { now: start };
  const storage = new SlidingWindowThrottlerStorage(() => clock.now);
  const hit = (key = 'sub:a', limit = 3, blockDuration = 0, name = 'default') =>
    storage.increment(key, TTL, limit, blockDuration, name);
  return { clock, storage, hit };
}

describe('SlidingWindowThrottlerStorage', () => {
  it('counts up to the limit, then blocks with the time left until the block ends', async () => {
    const { clock, hit } = storageAt(600_000);
    for (let i = 1; i <= 3; i++) {
      expect(await hit()).toMatchObject({ totalHits: i, isBlocked: false, timeToExpire: 60 });
    }
    clock.now += 10_000;
    const refused = await hit();
    expect(refused.isBlocked).toBe(true);
    expect(refused.timeToBlockExpire).toBe(60);
    clock.now += 30_000;
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
  });

  it('keeps separate budgets per key and per throttler', async () => {
    const { hit } = storageAt(600_000);
    for (let i = 0; i < 3; i++) await hit('sub:a');
    expect((await hit('sub:a')).isBlocked).toBe(true);
    expect((await hit('sub:b')).isBlocked).toBe(false);
    expect((await hit('sub:a', 3, 0, 'login')).isBlocked).toBe(false);
  });

  it("weights the previous window by its overlap, so a burst at a window's edge is not doubled", async () => {
    const { clock, hit } = storageAt(600_000 + TTL - 1_000);
    for (let i = 0; i < 3; i++) expect((await hit()).isBlocked).toBe(false);
    // 2 s later a new fixed window has begun, but 58 s of the previous one still overlap.
    clock.now += 2_000;
    expect((await hit()).isBlocked).toBe(true);
  });

  it('allows requests again once the previous window has slid out', async () => {
    const { clock, hit } = storageAt(600_000);
    for (let i = 0; i < 3; i++) await hit();
    clock.now += TTL + TTL / 2; // half of the full window still overlaps
    expect(await hit()).toMatchObject({ isBlocked: false, totalHits: 3 });
    expect((await hit()).isBlocked).toBe(true);
    clock.now += 2 * TTL;
    expect(await hit()).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('does not count refused requests against the next window', async () => {
    const { clock, hit } = storageAt(600_000);
    for (let i = 0; i < 3; i++) await hit();
    for (let i = 0; i < 100; i++) await hit();
    clock.now += 2 * TTL;
    expect(await hit()).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('honours a block duration longer than the window', async () => {
    const { clock, hit } = storageAt(600_000);
    for (let i = 0; i < 3; i++) await hit('sub:a', 3, 5 * TTL);
    expect(await hit('sub:a', 3, 5 * TTL)).toMatchObject({
      isBlocked: true,
      timeToBlockExpire: 300,
    });
    clock.now += 3 * TTL;
    expect((await hit('sub:a', 3, 5 * TTL)).isBlocked).toBe(true);
  });

  it('forgets idle keys, so memory stays bounded by the active callers', async () => {
    const { clock, storage, hit } = storageAt(600_000);
    for (let i = 0; i < 50; i++) await hit(`ip:${i}`);
    expect(storage.size).toBe(50);
    clock.now += 3 * TTL;
    await hit('ip:new');
    expect(storage.size).toBe(1);
  });
});
