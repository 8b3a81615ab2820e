/**
 * OCF allocation types: how a whole number of shares is spread over installments that would, in
 * exact arithmetic, vest fractions of a share. OCF's own example, 18 shares in 4 equal tranches:
 * CUMULATIVE_ROUNDING 5-4-5-4, CUMULATIVE_ROUND_DOWN 4-5-4-5, FRONT_LOADED 5-5-4-4, BACK_LOADED
 * 4-4-5-5, FRONT_LOADED_TO_SINGLE_TRANCHE 6-4-4-4, BACK_LOADED_TO_SINGLE_TRANCHE 4-4-4-6,
 * FRACTIONAL 4.5-4.5-4.5-4.5.
 *
 * Installments may have unequal weights (a one-year cliff is 12 monthly units at once): the
 * shares are allocated over the units of the smallest common portion, in order, and each
 * installment takes the sum of its units. So a cliff takes exactly what the months it stands for
 * would have vested under the same rule, and the installments always add up to the total.
 */
export const ALLOCATION_TYPES = [
  'CUMULATIVE_ROUNDING',
  'CUMULATIVE_ROUND_DOWN',
  'FRONT_LOADED',
  'BACK_LOADED',
  'FRONT_LOADED_TO_SINGLE_TRANCHE',
  'BACK_LOADED_TO_SINGLE_TRANCHE',
  'FRACTIONAL',
] as const;
export type AllocationType = (typeof ALLOCATION_TYPES)[number];

/** An exact share amount: numerator / denominator (denominator 1 unless FRACTIONAL). */
export interface Amount {
  numerator: bigint;
  denominator: bigint;
}

/** Rounds half up, as OCF's CUMULATIVE_ROUNDING does (4.5 → 5). */
function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

/**
 * `total` shares over installments of `weights` units each (all units equal), by `type`. Whole
 * shares per installment, except FRACTIONAL (exact fractions). The results sum to `total`.
 */
export function allocate(
  total: bigint,
  weights: readonly bigint[],
  type: AllocationType,
): Amount[] {
  const units = weights.reduce((sum, w) => sum + w, 0n);
  if (units === 0n) return weights.map(() => ({ numerator: 0n, denominator: 1n }));
  if (type === 'FRACTIONAL')
    return weights.map((w) => reduce({ numerator: total * w, denominator: units }));
  let first = 0n;
  return weights.map((w) => {
    const shares = rangeShares(total, units, type, first, first + w);
    first += w;
    return { numerator: shares, denominator: 1n };
  });
}

/** The shares of units [from, to) of `units` for `total` shares, by `type` (whole shares). */
function rangeShares(
  total: bigint,
  units: bigint,
  type: Exclude<AllocationType, 'FRACTIONAL'>,
  from: bigint,
  to: bigint,
): bigint {
  const base = (total / units) * (to - from);
  const remainder = total % units;
  const max = (a: bigint, b: bigint) => (a > b ? a : b);
  const min = (a: bigint, b: bigint) => (a < b ? a : b);
  switch (type) {
    case 'CUMULATIVE_ROUNDING':
      return roundHalfUp(to * total, units) - roundHalfUp(from * total, units);
    case 'CUMULATIVE_ROUND_DOWN':
      return (to * total) / units - (from * total) / units;
    case 'FRONT_LOADED':
      return base + max(0n, min(to, remainder) - from);
    case 'BACK_LOADED':
      return base + max(0n, to - max(from, units - remainder));
    case 'FRONT_LOADED_TO_SINGLE_TRANCHE':
      return base + (from === 0n && to > from ? remainder : 0n);
    case 'BACK_LOADED_TO_SINGLE_TRANCHE':
      return base + (to === units && to > from ? remainder : 0n);
  }
}

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b);
}

export function reduce(amount: Amount): Amount {
  const divisor = gcd(amount.numerator, amount.denominator) || 1n;
  return { numerator: amount.numerator / divisor, denominator: amount.denominator / divisor };
}

export function addAmounts(a: Amount, b: Amount): Amount {
  return reduce({
    numerator: a.numerator * b.denominator + b.numerator * a.denominator,
    denominator: a.denominator * b.denominator,
  });
}

export function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}
