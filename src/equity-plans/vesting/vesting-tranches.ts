/** One date of a grant's own schedule (OCF `Vesting`: `date`, `amount`): whole shares vest then. */
export interface VestingTranche {
  date: string;
  quantity: number;
}

/** A problem with a grant's own tranches, naming the field as the validation errors do. */
export interface TrancheProblem {
  field: string;
  message: string;
}

/** Tranches a grant may list, at most (a daily schedule over five years fits). */
export const MAX_VESTING_TRANCHES = 2000;

/**
 * What is wrong with a grant's own tranches, or null: each a positive whole number of shares, on
 * dates not before the grant date and strictly increasing, adding up to exactly the grant.
 */
export function trancheProblem(
  tranches: readonly VestingTranche[],
  quantity: bigint,
  grantDate: string,
): TrancheProblem | null {
  if (tranches.length === 0) return { field: 'vesting', message: 'must list at least one tranche' };
  let total = 0n;
  for (const [i, tranche] of tranches.entries()) {
    if (!Number.isSafeInteger(tranche.quantity) || tranche.quantity < 1)
      return { field: `vesting.${i}.quantity`, message: 'must be a positive whole number' };
    if (tranche.date < grantDate)
      return {
        field: `vesting.${i}.date`,
        message: `must not be before the grant date, ${grantDate}`,
      };
    const previous = tranches[i - 1];
    if (previous && tranche.date <= previous.date)
      return {
        field: `vesting.${i}.date`,
        message: `must be after the previous tranche's date, ${previous.date}`,
      };
    total += BigInt(tranche.quantity);
  }
  if (total !== quantity)
    return {
      field: 'vesting',
      message: `quantities must add up to the grant's ${quantity} shares, not ${total}`,
    };
  return null;
}
