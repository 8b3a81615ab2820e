import { Money, MoneyValue } from '../core/money/money';

/** Displayed percentages carry this many decimals. */
export const PERCENT_DECIMALS = 4;
const PERCENT_SCALE = 10n ** BigInt(PERCENT_DECIMALS);
const ZERO_PERCENT = formatPercentUnits(0n);

/**
 * Percentages of `parts` in their sum, rounded to PERCENT_DECIMALS with the largest-remainder
 * method: each share is rounded down, then the units still missing to reach exactly 100 go to the
 * parts with the largest remainders (ties to the earlier part). The displayed figures therefore
 * always add up to exactly 100 (or are all 0 when the sum is 0).
 */
export function largestRemainderPercentages(parts: readonly bigint[]): string[] {
  const total = parts.reduce((sum, part) => sum + part, 0n);
  if (total === 0n) return parts.map(() => ZERO_PERCENT);
  const units = 100n * PERCENT_SCALE;
  const floors: bigint[] = new Array<bigint>(parts.length);
  const remainders = new Array<{ index: number; remainder: bigint }>(parts.length);
  let missing = units;
  for (let index = 0; index < parts.length; index += 1) {
    const exact = parts[index] * units;
    const floor = exact / total;
    floors[index] = floor;
    remainders[index] = { index, remainder: exact - floor * total };
    missing -= floor;
  }
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const { index } of remainders) {
    if (missing === 0n) break;
    floors[index] += 1n;
    missing -= 1n;
  }
  return floors.map(formatPercentUnits);
}

const UNITS = 100 * 10 ** PERCENT_DECIMALS;
const SCALE = 10 ** PERCENT_DECIMALS;

/**
 * largestRemainderPercentages for whole share or vote counts (non-negative safe integers), with the
 * same result, computed in plain numbers whenever that is exact: every product `part × units` then
 * stays below 2^53, so the floors and remainders are exact integers. Larger tables take the bigint
 * path. (A cap table of 10,000 holders is rounded several times faster this way.)
 */
export function percentagesOfCounts(parts: readonly number[]): string[] {
  let total = 0;
  for (const part of parts) {
    if (!Number.isSafeInteger(part) || part < 0)
      throw new RangeError(`${part} is not a whole count`);
    total += part;
  }
  if (!(total * UNITS <= Number.MAX_SAFE_INTEGER)) {
    return largestRemainderPercentages(parts.map((part) => BigInt(part)));
  }
  if (total === 0) return parts.map(() => ZERO_PERCENT);
  const floors = new Float64Array(parts.length);
  const remainders = new Float64Array(parts.length);
  let missing = UNITS;
  for (let index = 0; index < parts.length; index += 1) {
    const exact = parts[index] * UNITS;
    const floor = Math.floor(exact / total);
    floors[index] = floor;
    remainders[index] = exact - floor * total;
    missing -= floor;
  }
  if (missing > 0) {
    // The `missing` largest remainders earn a unit; at the smallest of them, the earlier parts.
    const threshold = remainders.slice().sort()[parts.length - missing];
    let tied = missing;
    for (const remainder of remainders) if (remainder > threshold) tied -= 1;
    for (let index = 0; index < parts.length; index += 1) {
      if (remainders[index] > threshold) floors[index] += 1;
      else if (remainders[index] === threshold && tied > 0) {
        floors[index] += 1;
        tied -= 1;
      }
    }
  }
  return Array.from(floors, formatWholePercentUnits);
}

function formatWholePercentUnits(units: number): string {
  return `${Math.floor(units / SCALE)}.${String(units % SCALE).padStart(PERCENT_DECIMALS, '0')}`;
}

/** Units of 10^-PERCENT_DECIMALS percent as fixed-point text, e.g. 333334n → "33.3334". */
export function formatPercentUnits(units: bigint): string {
  const sign = units < 0n ? '-' : '';
  const magnitude = units < 0n ? -units : units;
  const fraction = (magnitude % PERCENT_SCALE).toString().padStart(PERCENT_DECIMALS, '0');
  return `${sign}${magnitude / PERCENT_SCALE}.${fraction}`;
}

/** The exact percentage (not rounded for display), for figures computed elsewhere. */
export function exactPercentage(part: bigint, total: bigint): MoneyValue {
  return total === 0n ? new Money(0) : new Money(part.toString()).mul(100).div(total.toString());
}
