import { largestRemainderPercentages } from './cap-table.math';

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
});
