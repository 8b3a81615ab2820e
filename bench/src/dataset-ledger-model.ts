/**
 * The stock ledger's rows as the dataset draws them (`dataset-transactions.ts`) and loads them
 * (`dataset-ledger-copy.ts`): securities, the terminal transactions that spend them, class splits,
 * and the arithmetic the service does on them. Prices are integers of 1e-10 (the columns'
 * scale), so every total is exact.
 */
import { DAY_MS } from './dataset-common';

/** 1 in the columns' scale (numeric(30,10)). */
export const SCALE = 10_000_000_000n;

export type TransactionKind =
  'TRANSFER' | 'CANCELLATION' | 'REPURCHASE' | 'CONVERSION' | 'REISSUANCE';

/** One security: an original issuance (level 0) or one a transaction created (its level + 1). */
export interface Security {
  id: string;
  holder: number;
  shareClass: number;
  shares: number;
  /** Per share, in units of 1e-10. */
  price: bigint;
  /** Midnight (UTC) of its date. */
  day: number;
  createdAt: number;
  level: number;
  originTransactionId: string | null;
  byInternalTool: boolean;
  requestId: string;
  spentBy: Transaction | null;
  /** Its place in its class's list of outstanding securities while it is outstanding. */
  slot: number;
}

export interface Ratio {
  numerator: number;
  denominator: number;
}

export interface Transaction {
  id: string;
  kind: TransactionKind;
  day: number;
  recordedAt: number;
  security: Security;
  quantity: number;
  price: bigint | null;
  considerationText: string | null;
  reason: string | null;
  balance: Security | null;
  resulting: Security[];
  conversion: Ratio | null;
  fraction: (Ratio & { price: bigint; cash: bigint }) | null;
  splitId: string | null;
  byInternalTool: boolean;
  requestId: string;
}

export interface ClassSplit extends Ratio {
  id: string;
  shareClass: number;
  day: number;
  recordedAt: number;
  authorizedBefore: bigint;
  authorizedAfter: bigint;
  outstandingBefore: number;
  outstandingAfter: number;
  securities: number;
  /** The cash per share its fractions are paid at (none for a whole ratio). */
  fractionPrice: bigint | null;
  requestId: string;
}

export interface SimulatedLedger {
  /** Every security: the original issuances first, then the created ones in creation order. */
  securities: Security[];
  transactions: Transaction[];
  splits: ClassSplit[];
  /** Each class's authorized shares after the splits. */
  authorized: bigint[];
}

/** The classes of the big company (`shareClassesOf`), by index. */
export const COMMON = 0;
export const SEED_PREFERRED = 1;
export const SERIES_A = 2;
/** Seed preferred converts into common at 3 for 2, so an odd quantity leaves half a share. */
export const CONVERSION_RATIO: Ratio = { numerator: 3, denominator: 2 };
/** The status a transaction of each kind leaves its security in. */
export const SPENT_STATUS: Record<TransactionKind, string> = {
  TRANSFER: 'TRANSFERRED',
  CANCELLATION: 'CANCELLED',
  REPURCHASE: 'REPURCHASED',
  CONVERSION: 'CONVERTED',
  REISSUANCE: 'REISSUED',
};

/** The day of `time` (midnight, UTC). */
export const dayOf = (time: number): number => Math.floor(time / DAY_MS) * DAY_MS;

/** A scaled price as numeric text with 10 decimals. */
export function decimal10(scaled: bigint): string {
  const whole = scaled / SCALE;
  const fraction = (scaled % SCALE).toString().padStart(10, '0');
  return `${whole}.${fraction}`;
}

/** price × numerator / denominator, rounded half up to the scale (prices are never negative). */
export function scaledRatio(price: bigint, numerator: number, denominator: number): bigint {
  return (price * BigInt(numerator) * 2n + BigInt(denominator)) / (2n * BigInt(denominator));
}

/** The price per new share that carries `shares` at `price` over into `whole` new ones. */
export const carriedPrice = (price: bigint, shares: number, whole: number): bigint =>
  scaledRatio(price, shares, whole);

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Whole new shares of `quantity` at a ratio, and the fraction left over (reduced), if any. */
export function atRatio(quantity: number, ratio: Ratio): { whole: number; fraction: Ratio | null } {
  const product = quantity * ratio.numerator;
  const whole = Math.floor(product / ratio.denominator);
  const rest = product % ratio.denominator;
  if (rest === 0) return { whole, fraction: null };
  const divisor = gcd(rest, ratio.denominator);
  return {
    whole,
    fraction: { numerator: rest / divisor, denominator: ratio.denominator / divisor },
  };
}
