import { canonicalDecimal, Money } from '../core/money/money';
import type { CompensationType } from './equity-grant.entity';
import { invalid } from './equity-plans.errors';

/** How an exercised stock appreciation right is paid: whole shares and cash. */
export interface SarSettlement {
  /** The fair market value per share the exercise was settled at, canonical decimal text. */
  fairMarketValue: string;
  /** quantity × (fair market value − base price), exact. */
  appreciation: string;
  /** Whole shares delivered: none for a CSAR. */
  settledShares: bigint;
  /** What is paid in cash: the appreciation less the delivered shares at fair market value. */
  cashAmount: string;
}

const isSar = (type: CompensationType) => type === 'CSAR' || type === 'SSAR';

/**
 * The fair market value an exercise is settled at: required for a SAR (its value is the
 * appreciation above the base price on the day), refused for anything else (an option holder
 * pays the exercise price whatever the shares are worth). Null for a grant that is not a SAR.
 */
export function fairMarketValueOf(type: CompensationType, given: unknown): string | null {
  if (!isSar(type)) {
    if (given !== undefined)
      throw invalid('fair_market_value', 'applies to stock appreciation rights only');
    return null;
  }
  if (given === undefined || given === null)
    throw invalid('fair_market_value', 'is required to settle a stock appreciation right');
  const value = canonicalDecimal(given);
  if (value === null) throw invalid('fair_market_value', 'must be a decimal amount');
  return value;
}

/**
 * The settlement of `quantity` SARs exercised at `fairMarketValue` over `basePrice` (the grant's
 * exercise price). The holder pays nothing and receives the appreciation: a CSAR all in cash; an
 * SSAR in the whole shares it buys at fair market value, floor(appreciation ÷ fair market value),
 * and the fraction of a share left over in cash (which may be 0). A SAR at or below its base
 * price is worth nothing and is not exercised: 400 naming `fair_market_value`. Exact throughout.
 */
export function settleSar(
  type: 'CSAR' | 'SSAR',
  quantity: bigint,
  basePrice: string,
  fairMarketValue: string,
): SarSettlement {
  const value = new Money(fairMarketValue);
  const base = new Money(basePrice);
  if (value.lte(base))
    throw invalid(
      'fair_market_value',
      `must be greater than the base price of ${base.toFixed()} (the SAR has no value otherwise)`,
    );
  const appreciation = value.minus(base).mul(quantity.toString());
  const shares = type === 'SSAR' ? appreciation.divToInt(value) : new Money(0);
  return {
    fairMarketValue: value.toFixed(),
    appreciation: appreciation.toFixed(),
    settledShares: BigInt(shares.toFixed()),
    cashAmount: appreciation.minus(shares.mul(value)).toFixed(),
  };
}

/** The settlement of an exercise of a grant of `type`, or null when it is not a SAR. */
export function sarSettlementOf(
  grant: { compensationType: CompensationType; exercisePrice: string | null },
  quantity: bigint,
  given: unknown,
): SarSettlement | null {
  const value = fairMarketValueOf(grant.compensationType, given);
  if (value === null) return null;
  if (grant.exercisePrice === null) throw new Error('a SAR without a base price');
  return settleSar(grant.compensationType as 'CSAR' | 'SSAR', quantity, grant.exercisePrice, value);
}

/** The settlement columns of a grant transaction: a SAR exercise's, none for anything else. */
export function settlementColumns(sar: SarSettlement | null): {
  fairMarketValue: string | null;
  settledShares: string | null;
  cashAmount: string | null;
} {
  return {
    fairMarketValue: sar?.fairMarketValue ?? null,
    settledShares: sar ? sar.settledShares.toString() : null,
    cashAmount: sar?.cashAmount ?? null,
  };
}
