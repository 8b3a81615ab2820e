import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('writes the items added in one turn together, in the order they were added', async () => {
    const groups: number[][] = [];
    const commit = new GroupCommit<number>(async (items) => {
      groups.push([...items]);
      await Promise.resolve();
    });
    await Promise.all([1, 2, 3, 4].map((n) => commit.add(n)));
    expect(groups).toEqual([[1, 2, 3, 4]]);
  });

  it('runs one flush at a time and groups what arrives meanwhile', async () => {
    const groups: number[][] = [];
    let running = 0;
    let overlapped = false;
    let release: () => void = () => undefined;
    const commit = new GroupCommit<number>(async (items) => {
      running += 1;
      overlapped ||= running > 1;
      groups.push([...items]);
      if (groups.length === 1) await new Promise<void>((resolve) => (release = resolve));
      running -= 1;
    });
    const first = commit.add(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((n) => commit.add(n));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all([first, ...later]);
    expect(groups).toEqual([[1], [2, 3, 4]]);
    expect(overlapped).toBe(false);
  });

  it('retries a failed group item by item, so only the bad item fails', async () => {
    const written: number[] = [];
    const commit = new GroupCommit<number>((items) => {
      if (items.includes(13)) return Promise.reject(new Error('unlucky'));
      written.push(...items);
      return Promise.resolve();
    });
    const results = await Promise.allSettled([12, 13, 14].map((n) => commit.add(n)));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(written).toEqual([12, 14]);
  });

  it('splits a burst larger than the maximum group', async () => {
    const sizes: number[] = [];
    const commit = new GroupCommit<number>((items) => {
      sizes.push(items.length);
      return Promise.resolve();
    }, 3);
    await Promise.all(Array.from({ length: 7 }, (_, n) => commit.add(n)));
    expect(sizes).toEqual([3, 3, 1]);
  });
});
