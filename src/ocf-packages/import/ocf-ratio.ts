/** The greatest common divisor of two positive integers. */
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/** A decimal string ("1.25") as an exact fraction of integers. */
function fraction(value: unknown): { n: bigint; d: bigint } | null {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  const match = /^\+?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const decimals = match[2] ?? '';
  return { n: BigInt(match[1] + decimals), d: 10n ** BigInt(decimals.length) };
}

/**
 * An OCF ratio `{numerator, denominator}` (decimal strings, e.g. "1.00" and "0.20") as the
 * smallest integers with the same value (5 and 1); null if either is missing or zero.
 */
export function integerRatio(
  ratio: { numerator?: unknown; denominator?: unknown } | undefined,
): { numerator: number; denominator: number } | null {
  const top = fraction(ratio?.numerator);
  const bottom = fraction(ratio?.denominator);
  if (!top || !bottom || top.n === 0n || bottom.n === 0n) return null;
  const n = top.n * bottom.d;
  const d = bottom.n * top.d;
  const g = gcd(n, d);
  return { numerator: Number(n / g), denominator: Number(d / g) };
}
