import { LeaseKeeper } from './outbox-lease';

describe('LeaseKeeper', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('renews the held events every third of the lease until stopped', () => {
    const renewed: string[][] = [];
    const keeper = new LeaseKeeper(
      ['a', 'b'],
      3_000,
      (ids) => {
        renewed.push(ids);
        return Promise.resolve();
      },
      () => undefined,
    );
    jest.advanceTimersByTime(999);
    expect(renewed).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(renewed).toEqual([['a', 'b']]);
    keeper.release('a');
    jest.advanceTimersByTime(1_000);
    expect(renewed).toEqual([['a', 'b'], ['b']]);
    keeper.stop();
    jest.advanceTimersByTime(10_000);
    expect(renewed).toHaveLength(2);
  });

  it('renews nothing once every event is released, and reports a failed renewal', async () => {
    const errors: unknown[] = [];
    const keeper = new LeaseKeeper(
      ['a'],
      1_500,
      () => Promise.reject(new Error('db down')),
      (e) => errors.push(e),
    );
    jest.advanceTimersByTime(500);
    await Promise.resolve();
    await Promise.resolve();
    expect(errors).toHaveLength(1);
    keeper.release('a');
    jest.advanceTimersByTime(5_000);
    await Promise.resolve();
    expect(errors).toHaveLength(1);
    keeper.stop();
  });
});
