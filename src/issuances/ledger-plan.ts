import { randomUUID } from 'node:crypto';
import type { ActionContext } from '../core/http/action-context';
import { MAX_PRICE_DECIMALS, Money, totalAmount } from '../core/money/money';
import type { SecurityStatus } from './issuance.entity';
import type {
  NewSecurity,
  PositionRow,
  SecurityRow,
  TransactionPlan,
} from './persistence/ledger.repository';
import type { TransactionKind } from './stock-transaction.entity';

/** What spending the security means for each kind, before the plan is completed. */
export interface Spending {
  kind: TransactionKind;
  date: string;
  quantity: bigint;
  pricePerShare: string | null;
  considerationText: string | null;
  reason: string | null;
  /** Shares going to others (transfer) or to the same holder anew (reissuance). */
  resulting: Array<{ shareholderId: string; shares: bigint }>;
  /** Whether the unspent rest of the security stays with the holder as a balance security. */
  leavesBalance: boolean;
  /** A conversion as asked for; its terms are read in the transaction (LedgerConversions). */
  convertTo?: ConversionRequest;
  /** A conversion: into which class, at which ratio on its date, the cash price of a fraction. */
  conversion?: ConversionTerms;
}

/** What a conversion request names, before its terms are read. */
export interface ConversionRequest {
  toShareClassId: string;
  fractionPrice: string | null;
}

export interface ConversionTerms {
  targetClassId: string;
  numerator: bigint;
  denominator: bigint;
  fractionPrice: string | null;
}

/** New shares of a conversion: whole ones, and the fraction left (reduced), if any. */
export function convertedShares(
  quantity: bigint,
  terms: Pick<ConversionTerms, 'numerator' | 'denominator'>,
): { whole: bigint; fraction: { numerator: bigint; denominator: bigint } | null } {
  const product = quantity * terms.numerator;
  const whole = product / terms.denominator;
  const rest = product % terms.denominator;
  if (rest === 0n) return { whole, fraction: null };
  const divisor = gcd(rest, terms.denominator);
  return {
    whole,
    fraction: { numerator: rest / divisor, denominator: terms.denominator / divisor },
  };
}

/** The price per new share that carries `shares` at `price` over into `whole` new ones (10 decimals). */
export function carriedPrice(price: string, shares: bigint, whole: bigint): string {
  return new Money(price)
    .mul(shares.toString())
    .div(whole.toString())
    .toDecimalPlaces(MAX_PRICE_DECIMALS)
    .toFixed();
}

/** The cash for a fraction of a share at `price` per share (10 decimals). */
export function fractionCash(
  price: string,
  fraction: { numerator: bigint; denominator: bigint },
): string {
  return new Money(price)
    .mul(fraction.numerator.toString())
    .div(fraction.denominator.toString())
    .toDecimalPlaces(MAX_PRICE_DECIMALS)
    .toFixed();
}

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

const STATUS_OF: Record<TransactionKind, SecurityStatus> = {
  TRANSFER: 'TRANSFERRED',
  CANCELLATION: 'CANCELLED',
  REPURCHASE: 'REPURCHASED',
  REISSUANCE: 'REISSUED',
  CONVERSION: 'CONVERTED',
  REVERSAL: 'REVERSED',
};

/**
 * Everything a terminal transaction writes, from the security it spends (already checked) and what
 * spending it means: a reissuance gives the holder every share anew; a transfer's transferees get
 * the transfer price (else the security's); what is left stays with the holder at the security's
 * price; cancelled and repurchased shares stop being outstanding. A conversion's resulting
 * security holds the whole new shares in the target class (their price carries the converted
 * shares' cost, rounded to 10 decimals); the fraction left is paid in cash at its price.
 */
export function planTransaction(
  security: SecurityRow,
  spending: Spending,
  quantity: bigint,
  context: ActionContext,
): TransactionPlan {
  const rest = BigInt(security.number_of_shares) - quantity;
  const conversion = spending.conversion;
  const converted = conversion ? convertedShares(quantity, conversion) : null;
  const priced = spending.pricePerShare !== null;
  return {
    id: randomUUID(),
    kind: spending.kind,
    status: STATUS_OF[spending.kind],
    date: spending.date,
    security,
    quantity,
    pricePerShare: spending.pricePerShare,
    totalAmount: priced ? totalAmount(quantity.toString(), spending.pricePerShare as string) : null,
    currency: priced ? security.currency : null,
    considerationText: spending.considerationText,
    reason: spending.reason,
    balance:
      spending.leavesBalance && rest > 0n
        ? newSecurity(security, security.shareholder_id, rest, security.price)
        : null,
    resulting: resultingOf(security, spending, quantity),
    retired: RETIRES.has(spending.kind) ? quantity : 0n,
    raised:
      conversion && converted && converted.whole > 0n
        ? { shareClassId: conversion.targetClassId, shares: converted.whole }
        : null,
    conversion: conversion ? conversionDetail(conversion, converted?.fraction ?? null) : null,
    createdBySub: context.principal.sub,
    createdBy: context.principal.actorName,
    requestId: context.meta.requestId,
  };
}

/** Kinds whose shares stop being outstanding in their class. */
const RETIRES = new Set<TransactionKind>(['CANCELLATION', 'REPURCHASE', 'CONVERSION']);

function newSecurity(
  spent: SecurityRow,
  shareholderId: string,
  shares: bigint,
  price: string,
  shareClassId = spent.share_class_id,
): NewSecurity {
  return {
    id: randomUUID(),
    shareholderId,
    shareClassId,
    shares,
    price,
    totalAmount: totalAmount(shares.toString(), price),
  };
}

/** The securities others (or, reissued or converted, the holder) get. */
function resultingOf(security: SecurityRow, spending: Spending, quantity: bigint): NewSecurity[] {
  const conversion = spending.conversion;
  if (conversion) {
    const { whole } = convertedShares(quantity, conversion);
    if (whole === 0n) return [];
    const price = carriedPrice(security.price, quantity, whole);
    return [newSecurity(security, security.shareholder_id, whole, price, conversion.targetClassId)];
  }
  if (spending.kind === 'REISSUANCE')
    return [newSecurity(security, security.shareholder_id, quantity, security.price)];
  return spending.resulting.map((r) =>
    newSecurity(security, r.shareholderId, r.shares, spending.pricePerShare ?? security.price),
  );
}

function conversionDetail(
  conversion: ConversionTerms,
  fraction: { numerator: bigint; denominator: bigint } | null,
): NonNullable<TransactionPlan['conversion']> {
  const price = conversion.fractionPrice;
  return {
    numerator: conversion.numerator,
    denominator: conversion.denominator,
    fraction:
      fraction && price !== null
        ? {
            ...fraction,
            pricePerShare: price,
            cashAmount: fractionCash(price, fraction),
          }
        : null,
  };
}

/**
 * The positions after the transaction, from those before it: the spent security leaves its
 * holder's position in its class, the balance and resulting securities join theirs. The same
 * figures a second read would give, without the round trip.
 */
export function positionsAfter(
  before: readonly PositionRow[],
  plan: TransactionPlan,
): PositionRow[] {
  const shares = new Map(
    before.map((row) => [`${row.shareholder_id}:${row.share_class_id}`, BigInt(row.shares)]),
  );
  const add = (holder: string, shareClass: string, delta: bigint) => {
    const key = `${holder}:${shareClass}`;
    shares.set(key, (shares.get(key) ?? 0n) + delta);
  };
  const security = plan.security;
  add(security.shareholder_id, security.share_class_id, -BigInt(security.number_of_shares));
  for (const created of [...(plan.balance ? [plan.balance] : []), ...plan.resulting])
    add(created.shareholderId, created.shareClassId, created.shares);
  return [...shares]
    .filter(([, n]) => n > 0n)
    .map(([key, n]) => {
      const [shareholder_id, share_class_id] = key.split(':') as [string, string];
      return { shareholder_id, share_class_id, shares: n.toString() };
    })
    .sort((a, b) =>
      a.shareholder_id === b.shareholder_id
        ? a.share_class_id < b.share_class_id
          ? -1
          : 1
        : a.shareholder_id < b.shareholder_id
          ? -1
          : 1,
    );
}
