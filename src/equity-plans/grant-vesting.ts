import { addDays } from './vesting/vesting-dates';
import { Installment, vestingSchedule } from './vesting/vesting-schedule';
import type { VestingTermsOcf } from './vesting/vesting-terms';
import type { EquityGrantTransaction } from './equity-grant-transaction.entity';
import type { EquityGrant } from './equity-grant.entity';
import { outstandingOf } from './grant-views';

/** A grant's vesting at the end of a day, in whole shares (a FRACTIONAL schedule is rounded down). */
export interface GrantVesting {
  schedule: Array<{ date: string; quantity: number; cumulative: number }>;
  vested: bigint;
  unvested: bigint;
  exercised: bigint;
  exercisable: bigint;
  /** The last day it can be exercised or released (its expiration, or its termination window). */
  expires_on: string | null;
}

/**
 * The grant's schedule as its transactions leave it: its own tranches, or its terms' schedule with
 * the recorded vesting events (all at the grant date without either); an acceleration vests its
 * shares on its date, taken from the latest installments; a cancellation takes its shares from
 * the latest installments too; a termination forfeits every installment after its date, and an
 * expiration every installment from its date on (they never vested while it could be exercised).
 */
export function grantSchedule(
  grant: EquityGrant,
  terms: VestingTermsOcf | null,
  transactions: readonly EquityGrantTransaction[],
): Array<{ date: string; quantity: bigint }> {
  const quantity = BigInt(grant.quantity);
  const events = new Map(
    transactions
      .filter((t) => t.kind === 'VESTING_EVENT' && t.conditionId)
      .map((t) => [t.conditionId as string, t.date]),
  );
  let schedule: Array<{ date: string; quantity: bigint }> = grant.vestingTranches
    ? grant.vestingTranches.map((t) => ({ date: t.date, quantity: BigInt(t.quantity) }))
    : terms && grant.vestingStartDate
      ? vestingSchedule(terms, { quantity, startDate: grant.vestingStartDate, events }).map(whole)
      : [{ date: grant.grantDate, quantity }];
  for (const t of transactions) {
    const shares = BigInt(t.quantity ?? '0');
    if (t.kind === 'VESTING_ACCELERATION') schedule = accelerate(schedule, t.date, shares);
    if (t.kind === 'CANCELLATION') schedule = takeFromEnd(schedule, shares);
    if (t.kind === 'TERMINATION') schedule = schedule.filter((i) => i.date <= t.date);
    if (t.kind === 'EXPIRATION') schedule = schedule.filter((i) => i.date < t.date);
  }
  return schedule.filter((i) => i.quantity > 0n);
}

/** The figures at the end of `asOf`. */
export function grantVesting(
  grant: EquityGrant,
  terms: VestingTermsOcf | null,
  transactions: readonly EquityGrantTransaction[],
  asOf: string,
): GrantVesting {
  const schedule = grantSchedule(grant, terms, transactions);
  let cumulative = 0n;
  let vested = 0n;
  const shown = schedule.map((i) => {
    cumulative += i.quantity;
    if (i.date <= asOf) vested = cumulative;
    return { date: i.date, quantity: Number(i.quantity), cumulative: Number(cumulative) };
  });
  const done = transactions.filter(
    (t) => (t.kind === 'EXERCISE' || t.kind === 'RELEASE') && t.date <= asOf,
  );
  const exercised = done.reduce((sum, t) => sum + BigInt(t.quantity ?? '0'), 0n);
  const expired = transactions.some((t) => t.kind === 'EXPIRATION' && t.date <= asOf);
  const expiresOn = expiryOf(grant);
  const open = !expired && (expiresOn === null || asOf <= expiresOn);
  const ceiling = grant.earlyExercise ? cumulative : vested;
  const exercisable = open && ceiling > exercised ? ceiling - exercised : 0n;
  return {
    schedule: shown,
    vested,
    unvested: cumulative - vested,
    exercised,
    exercisable,
    expires_on: expiresOn,
  };
}

/** The last day it can be exercised: its expiration, or the end of its termination window. */
export function expiryOf(grant: EquityGrant): string | null {
  const window =
    grant.terminatedOn === null
      ? null
      : addDays(grant.terminatedOn, grant.terminationExerciseDays ?? 0);
  if (window && grant.expirationDate)
    return window < grant.expirationDate ? window : grant.expirationDate;
  return window ?? grant.expirationDate;
}

/**
 * The expiration to record on `today`, if any: a grant whose last exercisable day is past, with
 * shares neither exercised, released nor cancelled, and no expiration recorded yet, expires
 * the day after that last day with all of them.
 */
export function dueExpiration(
  grant: EquityGrant,
  today: string,
): { date: string; quantity: bigint } | null {
  const last = expiryOf(grant);
  if (grant.expiredOn || last === null || last >= today) return null;
  const rest = outstandingOf(grant);
  return rest > 0n ? { date: addDays(last, 1), quantity: rest } : null;
}

function whole(installment: Installment): { date: string; quantity: bigint } {
  return {
    date: installment.date,
    quantity: installment.quantity.numerator / installment.quantity.denominator,
  };
}

/** `shares` vest on `date`, taken from the latest installments after it. */
function accelerate(
  schedule: Array<{ date: string; quantity: bigint }>,
  date: string,
  shares: bigint,
): Array<{ date: string; quantity: bigint }> {
  const later = schedule.filter((i) => i.date > date);
  const available = later.reduce((sum, i) => sum + i.quantity, 0n);
  const moved = shares < available ? shares : available;
  const rest = takeFromEnd(later, moved);
  return [...schedule.filter((i) => i.date <= date), { date, quantity: moved }, ...rest].sort(
    (a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0),
  );
}

/** The schedule less `shares`, taken from its latest installments first. */
function takeFromEnd(
  schedule: Array<{ date: string; quantity: bigint }>,
  shares: bigint,
): Array<{ date: string; quantity: bigint }> {
  let left = shares;
  const result = schedule.map((i) => ({ ...i }));
  for (let k = result.length - 1; k >= 0 && left > 0n; k -= 1) {
    const installment = result[k];
    const taken = installment.quantity < left ? installment.quantity : left;
    installment.quantity -= taken;
    left -= taken;
  }
  return result;
}
