import Decimal from 'decimal.js';

/** Exact decimal arithmetic for prices and amounts: a JS number never touches money. */
export const Money = Decimal.clone({
  precision: 80,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -100,
  toExpPos: 100,
});
export type MoneyValue = InstanceType<typeof Money>;

export const MAX_PRICE_DECIMALS = 10;
export const MAX_PRICE_INTEGER_DIGITS = 20;
/** Share counts stay well inside JavaScript's exact integer range and PostgreSQL's bigint. */
export const MAX_SHARES = 1_000_000_000_000_000;

const DECIMAL_PATTERN = new RegExp(
  `^\\d{1,${MAX_PRICE_INTEGER_DIGITS}}(\\.\\d{1,${MAX_PRICE_DECIMALS}})?$`,
);

/**
 * The canonical decimal text of a price given as a JSON number or a decimal string, or null when it
 * is not a non-negative decimal with at most 20 integer digits and 10 decimals.
 */
export function canonicalDecimal(value: unknown): string | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    // The shortest text that round-trips the double, which is what the client wrote for any
    // number with up to 15 significant digits.
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  if (!DECIMAL_PATTERN.test(text)) return null;
  return new Money(text).toFixed();
}

/** total_amount = number_of_shares × price, exactly. */
export function totalAmount(numberOfShares: number | string, price: string): string {
  return new Money(price).mul(new Money(numberOfShares)).toFixed();
}

const PLAIN_NUMERIC = /^(\d+)(?:\.(\d*?)0*)?$/;

/** Normalises a numeric value read from PostgreSQL (e.g. "0.1000000000") to its shortest exact text. */
export function normalizeNumeric(value: string): string {
  // PostgreSQL prints a non-negative numeric as plain digits: trimming the padded zeros is exact
  // and, on hot read paths, far cheaper than a decimal round trip. Anything else takes that trip.
  const plain = PLAIN_NUMERIC.exec(value);
  if (!plain) return new Money(value).toFixed();
  const integer = plain[1].replace(/^0+(?=\d)/, '');
  return plain[2] ? `${integer}.${plain[2]}` : integer;
}

/** Converts a PostgreSQL bigint (read as text) to a number, refusing anything unsafe. */
export function shareCount(value: string | number): number {
  const count = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(count)) throw new Error(`share count ${value} is not a safe integer`);
  return count;
}
