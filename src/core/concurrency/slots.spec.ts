import { SlotsQueueFullError, Slots, SlotsClosedError } from './slots';

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('Slots', () => {
  it('grants up to the concurrency at once and queues the rest in order', async () => {
    const slots = new Slots(2, 5);
    const first = await slots.acquire();
    await slots.acquire();
    const order: number[] = [];
    const third = slots.acquire().then((release) => {
      order.push(3);
      return release;
    });
    const fourth = slots.acquire().then((release) => {
      order.push(4);
      return release;
    });
    await settled();
    expect(order).toEqual([]);
    expect(slots.queued).toBe(2);

    first();
    (await third)();
    await fourth;
    expect(order).toEqual([3, 4]);
    expect(slots.inUse).toBe(2);
  });

  it('refuses at once when the waiting line is full', async () => {
    const slots = new Slots(1, 1);
    await slots.acquire();
    const queued = slots.acquire();
    await expect(slots.acquire()).rejects.toBeInstanceOf(SlotsQueueFullError);
    expect(slots.queued).toBe(1);
    slots.close();
    await expect(queued).rejects.toBeInstanceOf(SlotsClosedError);
  });

  it('ignores a second release of the same slot', async () => {
    const slots = new Slots(1, 0);
    const release = await slots.acquire();
    release();
    release();
    expect(slots.inUse).toBe(0);
    await slots.acquire();
    await expect(slots.acquire()).rejects.toBeInstanceOf(SlotsQueueFullError);
  });

  it('refuses new holders after close', async () => {
    const slots = new Slots(1, 1);
    slots.close();
    await expect(slots.acquire()).rejects.toBeInstanceOf(SlotsClosedError);
  });
});
