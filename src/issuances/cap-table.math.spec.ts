import {
  formatPercentUnits,
  largestRemainderPercentages,
  percentagesOfCounts,
} from './cap-table.math';

const sum = (values: string[]) =>
  values.reduce((total, value) => total + Math.round(Number(value) * 10_000), 0);

describe('largestRemainderPercentages', () => {
  it('splits three equal holdings so that the figures add up to exactly 100', () => {
    const result = largestRemainderPercentages([1n, 1n, 1n]);
    expect(result).toEqual(['33.3334', '33.3333', '33.3333']);
    expect(sum(result)).toBe(1_000_000);
  });

  it('gives exact figures when they are representable', () => {
    expect(largestRemainderPercentages([750n, 250n])).toEqual(['75.0000', '25.0000']);
  });

  it('gives the missing units to the largest remainders', () => {
    expect(largestRemainderPercentages([2n, 2n, 3n])).toEqual(['28.5714', '28.5714', '42.8572']);
  });

  it('keeps a tiny holding visible only when it earns a unit, and still adds up', () => {
    const result = largestRemainderPercentages([1n, 999_999_999n]);
    expect(sum(result)).toBe(1_000_000);
    expect(result[0]).toBe('0.0000');
  });

  it('answers zeros for an empty table', () => {
    expect(largestRemainderPercentages([0n, 0n])).toEqual(['0.0000', '0.0000']);
    expect(largestRemainderPercentages([])).toEqual([]);
  });

  it('adds up to 100 for many random holdings', () => {
    const parts = Array.from({ length: 997 }, (_, i) => BigInt((i * 7919) % 1000) + 1n);
    expect(sum(largestRemainderPercentages(parts))).toBe(1_000_000);
  });

  it('gives a single holder exactly 100, and a holder of nothing exactly 0', () => {
    expect(largestRemainderPercentages([42n])).toEqual(['100.0000']);
    expect(largestRemainderPercentages([0n, 42n, 0n])).toEqual(['0.0000', '100.0000', '0.0000']);
    expect(largestRemainderPercentages([0n])).toEqual(['0.0000']);
  });

  it('breaks ties between equal remainders in favour of the earlier parts', () => {
    expect(largestRemainderPercentages(Array.from({ length: 7 }, () => 1n))).toEqual([
      '14.2858',
      '14.2857',
      '14.2857',
      '14.2857',
      '14.2857',
      '14.2857',
      '14.2857',
    ]);
    const many = largestRemainderPercentages(Array.from({ length: 30_000 }, () => 5n));
    // 100 / 30,000 = 0.00333…: 33 units each, and the 10,000 missing units go to the first 10,000.
    expect(many.slice(0, 10_000).every((value) => value === '0.0034')).toBe(true);
    expect(many.slice(10_000).every((value) => value === '0.0033')).toBe(true);
    expect(sum(many)).toBe(1_000_000);
  });

  it('keeps exact figures for holdings far beyond the range of a JavaScript number', () => {
    const huge = 10n ** 30n;
    expect(largestRemainderPercentages([huge, 3n * huge])).toEqual(['25.0000', '75.0000']);
    expect(largestRemainderPercentages([huge + 1n, huge, huge])).toEqual([
      '33.3334',
      '33.3333',
      '33.3333',
    ]);
  });
});

describe('formatPercentUnits', () => {
  it('writes units of 0.0001 percent with exactly four decimals', () => {
    expect(formatPercentUnits(0n)).toBe('0.0000');
    expect(formatPercentUnits(1n)).toBe('0.0001');
    expect(formatPercentUnits(10n)).toBe('0.0010');
    expect(formatPercentUnits(9_999n)).toBe('0.9999');
    expect(formatPercentUnits(10_000n)).toBe('1.0000');
    expect(formatPercentUnits(333_334n)).toBe('33.3334');
    expect(formatPercentUnits(1_000_000n)).toBe('100.0000');
    expect(formatPercentUnits(-5n)).toBe('-0.0005');
  });
});

describe('percentagesOfCounts', () => {
  /** mulberry32: random but repeatable. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it('gives what the bigint method gives, ties and zeros included', () => {
    const next = random(42);
    for (let round = 0; round < 300; round += 1) {
      const size = 1 + Math.floor(next() * 400);
      const range = [3, 1_000, 1_000_000, 9_000][round % 4];
      const parts = Array.from({ length: size }, () => Math.floor(next() * range));
      expect(percentagesOfCounts(parts)).toEqual(
        largestRemainderPercentages(parts.map((part) => BigInt(part))),
      );
    }
  });

  it('takes the bigint path where plain numbers would not be exact', () => {
    const parts = [Number.MAX_SAFE_INTEGER - 2, 1, 1];
    expect(percentagesOfCounts(parts)).toEqual(
      largestRemainderPercentages(parts.map((part) => BigInt(part))),
    );
    expect(percentagesOfCounts([4_000_000_000, 4_000_000_001, 4_000_000_002])).toEqual(
      largestRemainderPercentages([4_000_000_000n, 4_000_000_001n, 4_000_000_002n]),
    );
  });

  it('answers zeros for nothing issued, and refuses what is not a whole count', () => {
    expect(percentagesOfCounts([0, 0])).toEqual(['0.0000', '0.0000']);
    expect(percentagesOfCounts([])).toEqual([]);
    expect(() => percentagesOfCounts([1.5])).toThrow(RangeError);
    expect(() => percentagesOfCounts([-1])).toThrow(RangeError);
  });
});
