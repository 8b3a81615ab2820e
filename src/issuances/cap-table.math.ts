import { Money, MoneyValue } from './money';

/** Displayed percentages carry this many decimals. */
export const PERCENT_DECIMALS = 4;

/**
 * Percentages of `parts` in their sum, rounded to PERCENT_DECIMALS with the largest-remainder
 * method: each share is rounded down, then the units still missing to reach exactly 100 go to the
 * parts with the largest remainders (ties to the earlier part). The displayed figures therefore
 * always add up to exactly 100 (or are all 0 when the sum is 0).
 */
export function largestRemainderPercentages(parts: readonly bigint[]): string[] {
  const total = parts.reduce((sum, part) => sum + part, 0n);
  if (total === 0n) return parts.map(() => new Money(0).toFixed(PERCENT_DECIMALS));
  const scale = 10n ** BigInt(PERCENT_DECIMALS);
  const units = 100n * scale;
  const exact = parts.map((part) => part * units);
  const floors = exact.map((value) => value / total);
  const remainders = exact.map((value, index) => ({ index, remainder: value % total }));
  let missing = units - floors.reduce((sum, value) => sum + value, 0n);
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const { index } of remainders) {
    if (missing === 0n) break;
    floors[index] = (floors[index] ?? 0n) + 1n;
    missing -= 1n;
  }
  return floors.map((value) =>
    new Money(value.toString()).div(scale.toString()).toFixed(PERCENT_DECIMALS),
  );
}

/** The exact percentage (not rounded for display), for figures computed elsewhere. */
export function exactPercentage(part: bigint, total: bigint): MoneyValue {
  return total === 0n ? new Money(0) : new Money(part.toString()).mul(100).div(total.toString());
}
