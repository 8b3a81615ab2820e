import { addAmounts, allocate, Amount, lcm, reduce } from './allocation';
import { addDays, addMonths, parseDate } from './vesting-dates';
import type { VestingCondition, VestingTermsOcf } from './vesting-terms';

/** One date of a vesting schedule: what vests then, and all vested by then. */
export interface Installment {
  date: string;
  quantity: Amount;
  cumulative: Amount;
}

/** What a grant brings to its terms: its quantity, start and recorded vesting events. */
export interface VestingInput {
  quantity: bigint;
  startDate: string;
  /** Event-based conditions met, by condition id. */
  events?: ReadonlyMap<string, string>;
}

/** A condition's vesting on one date, before allocation: a fraction of the whole or a quantity. */
interface Tranche {
  date: string;
  order: number;
  portion?: Amount;
  remainder?: Amount;
  quantity?: bigint;
}

/** Most units of the common portion a schedule may have (a daily schedule over 20 years fits). */
export const MAX_UNITS = 100_000n;

/**
 * The full vesting schedule of a grant under OCF terms, as the events recorded so far make it:
 * from the start condition (the VESTING_START_DATE trigger), each condition in turn, taking the
 * next condition that triggers first (priority order on the same date; an event counts once it is
 * recorded). Relative conditions vest their portion on each of their occurrences; an absolute one
 * on its date; an event on the day it was recorded. The whole-share amounts follow the terms'
 * allocation type over the whole grant (see allocation.ts), so the installments sum to the grant
 * when every portion has vested; a `remainder` portion takes that fraction of what is unvested.
 */
export function vestingSchedule(terms: VestingTermsOcf, input: VestingInput): Installment[] {
  const fractions = toFractions(walk(terms, input));
  const units = fractions.reduce(
    (all, f) => (f.portion ? lcm(all, f.portion.denominator) : all),
    commonUnits(terms.vesting_conditions),
  );
  if (units > MAX_UNITS)
    throw new Error(`the terms' portions need ${units} units, more than ${MAX_UNITS}`);
  const weights = fractions.map((f) =>
    f.portion ? (f.portion.numerator * units) / f.portion.denominator : 0n,
  );
  const unvested = units - sum(weights);
  if (unvested < 0n) throw new Error('the terms vest more than the whole grant');
  // Units not vested yet (conditions still to trigger) come after every tranche vested so far.
  const allocated = allocate(input.quantity, [...weights, unvested], terms.allocation_type);
  let cumulative: Amount = { numerator: 0n, denominator: 1n };
  const installments: Installment[] = [];
  fractions.forEach((tranche, i) => {
    const fixed =
      tranche.quantity !== undefined ? { numerator: tranche.quantity, denominator: 1n } : null;
    const quantity = fixed ?? allocated[i];
    cumulative = addAmounts(cumulative, quantity);
    const last = installments.at(-1);
    if (last && last.date === tranche.date) {
      last.quantity = addAmounts(last.quantity, quantity);
      last.cumulative = cumulative;
    } else if (quantity.numerator !== 0n)
      installments.push({ date: tranche.date, quantity, cumulative });
  });
  return installments;
}

/** What had vested by the end of `asOf`. */
export function vestedAsOf(schedule: readonly Installment[], asOf: string): Amount {
  let vested: Amount = { numerator: 0n, denominator: 1n };
  for (const installment of schedule) if (installment.date <= asOf) vested = installment.cumulative;
  return vested;
}

function sum(values: readonly bigint[]): bigint {
  return values.reduce((total, v) => total + v, 0n);
}

/** The least common denominator of every portion of the terms (1 when there are none). */
export function commonUnits(conditions: readonly VestingCondition[]): bigint {
  return conditions.reduce(
    (units, c) => (c.portion && !c.portion.remainder ? lcm(units, reduced(c).denominator) : units),
    1n,
  );
}

function reduced(condition: VestingCondition): Amount {
  const portion = condition.portion as NonNullable<VestingCondition['portion']>;
  return reduce({ numerator: BigInt(portion.numerator), denominator: BigInt(portion.denominator) });
}

/** Remainder portions become fractions of the whole, from what had vested before them. */
function toFractions(tranches: Tranche[]): Tranche[] {
  let vested: Amount = { numerator: 0n, denominator: 1n };
  return tranches.map((tranche) => {
    if (!tranche.remainder) {
      if (tranche.portion) vested = addAmounts(vested, tranche.portion);
      return tranche;
    }
    const unvested = reduce({
      numerator: vested.denominator - vested.numerator,
      denominator: vested.denominator,
    });
    const portion = reduce({
      numerator: tranche.remainder.numerator * unvested.numerator,
      denominator: tranche.remainder.denominator * unvested.denominator,
    });
    vested = addAmounts(vested, portion);
    return { ...tranche, portion, remainder: undefined };
  });
}

/** The tranches along the path the terms take, in date order. */
function walk(terms: VestingTermsOcf, input: VestingInput): Tranche[] {
  const byId = new Map(terms.vesting_conditions.map((c) => [c.id, c]));
  const start = terms.vesting_conditions.find((c) => c.trigger.type === 'VESTING_START_DATE');
  const startDay = parseDate(input.startDate).day;
  const dates = new Map<string, string>();
  const tranches: Tranche[] = [];
  let current = start ?? firstTriggered(terms.vesting_conditions, dates, input, startDay);
  const seen = new Set<string>();
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    const occurred = occurrences(current, dates, input, startDay);
    if (occurred.length === 0) break;
    dates.set(current.id, occurred.at(-1) as string);
    for (const date of occurred) tranches.push(trancheOf(current, date, tranches.length));
    const next = current.next_condition_ids
      .map((id) => byId.get(id))
      .filter((c): c is VestingCondition => !!c);
    current = firstTriggered(next, dates, input, startDay);
  }
  return tranches.sort((a, b) =>
    a.date === b.date ? a.order - b.order : a.date < b.date ? -1 : 1,
  );
}

function trancheOf(condition: VestingCondition, date: string, order: number): Tranche {
  if (condition.quantity !== undefined)
    return { date, order, quantity: BigInt(condition.quantity) };
  if (!condition.portion) return { date, order, quantity: 0n };
  return condition.portion.remainder
    ? { date, order, remainder: reduced(condition) }
    : { date, order, portion: reduced(condition) };
}

/** Of `candidates`, the one whose first occurrence comes first (priority order on a tie). */
function firstTriggered(
  candidates: readonly VestingCondition[],
  dates: Map<string, string>,
  input: VestingInput,
  startDay: number,
): VestingCondition | undefined {
  let best: { condition: VestingCondition; date: string } | undefined;
  for (const condition of candidates) {
    const [first] = occurrences(condition, dates, input, startDay);
    if (first !== undefined && (!best || first < best.date)) best = { condition, date: first };
  }
  return best?.condition;
}

/** The dates a condition vests on, given the dates of the conditions before it. */
function occurrences(
  condition: VestingCondition,
  dates: Map<string, string>,
  input: VestingInput,
  startDay: number,
): string[] {
  const trigger = condition.trigger;
  switch (trigger.type) {
    case 'VESTING_START_DATE':
      return [input.startDate];
    case 'VESTING_SCHEDULE_ABSOLUTE':
      return [trigger.date];
    case 'VESTING_EVENT': {
      const date = input.events?.get(condition.id);
      return date ? [date] : [];
    }
    case 'VESTING_SCHEDULE_RELATIVE': {
      const anchor = dates.get(trigger.relative_to_condition_id);
      if (!anchor) return [];
      const { length, type, occurrences: count, day_of_month: rule } = trigger.period;
      return Array.from({ length: count }, (_, i) =>
        type === 'DAYS'
          ? addDays(anchor, length * (i + 1))
          : addMonths(
              anchor,
              length * (i + 1),
              rule ?? 'VESTING_START_DAY_OR_LAST_DAY_OF_MONTH',
              startDay,
            ),
      );
    }
  }
}
