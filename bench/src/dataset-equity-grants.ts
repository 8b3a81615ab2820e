/**
 * One grant of the equity dataset and what happened to it, decided with the service's own
 * functions (`grantVesting`, `outstandingOf`) at each date, given the grant's earlier
 * transactions, so it takes no more than the service lets it: an exercise (option) or release
 * (RSU) at most what is exercisable (vested, not yet exercised) and, as the service does, a stock
 * issuance in the plan's class at the exercise price (0 for an RSU), `total = quantity × price`
 * exact; a cancellation at most what is outstanding; a termination forfeits exactly what is
 * unvested (vested options stay exercisable 90 days). What is cancelled or forfeited goes back to
 * the pool (`returned_to_pool`) unless the plan retires it. Events are on distinct days after the
 * grant day, recorded on their day (8h to 18h UTC), a termination last; then the expiration the
 * service's sweep records once the window of a terminated grant has closed (`dueExpiration`).
 */
import { totalAmount } from '../../src/core/money/money';
import type { EquityGrantTransaction } from '../../src/equity-plans/equity-grant-transaction.entity';
import type { EquityGrant } from '../../src/equity-plans/equity-grant.entity';
import { expiryOrigin } from '../../src/equity-plans/grant-expiry.service';
import { dueExpiration, grantVesting } from '../../src/equity-plans/grant-vesting';
import { outstandingOf } from '../../src/equity-plans/grant-views';
import type { VestingTermsOcf } from '../../src/equity-plans/vesting/vesting-terms';
import type { EventActor } from '../../src/events';
import { DAY_MS, decimal4, isoDate, type Rng } from './dataset-common';
import type { EquityCalendar, StockPlanRow, VestingTermsRow } from './dataset-equity-model';

/** The stock issuance of an exercise or release (columns of `issuance`). */
export interface IssuanceRow {
  id: string;
  shareholderId: string;
  shareClassId: string;
  numberOfShares: string;
  price: string;
  totalAmount: string;
  currency: string;
  date: string;
  createdAt: string;
  createdBySub: string;
  createdBy: string;
  requestId: string;
}

export interface SimulatedGrant {
  grant: EquityGrant;
  ocf: VestingTermsOcf;
  transactions: EquityGrantTransaction[];
  issuances: IssuanceRow[];
}

export interface GrantRefs {
  calendar: EquityCalendar;
  plan: StockPlanRow;
  day: number;
  holderId: string;
  admin: EventActor;
  rsuOnly: boolean;
}

const HOUR_MS = 3_600_000;
const CURRENCY = 'CHF';

/** A time on `day` between 8h and 18h UTC. */
export const during = (rng: Rng, day: number): Date =>
  new Date(day + 8 * HOUR_MS + Math.floor(rng.random() * 10 * HOUR_MS));

/** A day (UTC midnight, ms) from `from` to `to`, both included, uniformly. */
const between = (rng: Rng, from: number, to: number): number =>
  from + Math.floor(rng.random() * ((to - from) / DAY_MS + 1)) * DAY_MS;

/** The price of a common share on `day` (4 decimals), rising over the years as the issuances'. */
function exercisePrice(calendar: EquityCalendar, day: number): string {
  const progress = (day - calendar.formation) / (calendar.lastIssueDay - calendar.formation);
  return decimal4(BigInt(100 + Math.floor((0.05 + 1.95 * progress * progress) * 5_000)));
}

function compensationOf(rng: Rng, rsuOnly: boolean): EquityGrant['compensationType'] {
  const r = rng.random();
  if (rsuOnly || r >= 0.75) return 'RSU';
  return r < 0.45 ? 'OPTION_ISO' : 'OPTION_NSO';
}

/** The grant, its vesting terms to be set (its columns' order kept). */
function grantOf(rng: Rng, refs: GrantRefs): EquityGrant {
  const type = compensationOf(rng, refs.rsuOnly);
  const rsu = type === 'RSU';
  const grantDate = isoDate(refs.day);
  const expiry = new Date(refs.day);
  expiry.setUTCFullYear(expiry.getUTCFullYear() + 10);
  const shares = rsu ? 500 + rng.random() * 9_500 : 1_000 + rng.random() * 19_000;
  return {
    id: rng.uuid(),
    shareholderId: refs.holderId,
    stockPlanId: refs.plan.id,
    shareClassId: refs.plan.shareClassId,
    compensationType: type,
    quantity: String(Math.floor(shares)),
    exercisePrice: rsu ? null : exercisePrice(refs.calendar, refs.day),
    currency: rsu ? null : CURRENCY,
    grantDate,
    vestingTermsId: null,
    vestingStartDate: grantDate,
    vestingTranches: null,
    expirationDate: rsu ? null : isoDate(expiry.getTime()),
    earlyExercise: false,
    terminationExerciseDays: rsu ? null : 90,
    exercisedQuantity: '0',
    releasedQuantity: '0',
    cancelledQuantity: '0',
    terminatedOn: null,
    expiredOn: null,
    createdAt: during(rng, refs.day),
    createdBySub: refs.admin.sub,
    createdBy: refs.admin.name,
    requestId: rng.uuid(),
  };
}

type EventKind = 'TAKE' | 'CANCELLATION' | 'TERMINATION';

/**
 * What happens to a grant, in date order on distinct days: an exercise or release once a year has
 * passed (25% of options, 30% of RSUs), a cancellation (5%), a termination (8%, last).
 */
function eventsOf(rng: Rng, grantDay: number, last: number, rsu: boolean) {
  const events: Array<{ kind: EventKind; day: number }> = [];
  const after = (days: number) => grantDay + days * DAY_MS;
  if (last >= after(366) && rng.random() < (rsu ? 0.3 : 0.25))
    events.push({ kind: 'TAKE', day: between(rng, after(366), last) });
  if (last >= after(1) && rng.random() < 0.05)
    events.push({ kind: 'CANCELLATION', day: between(rng, after(1), last) });
  if (last >= after(30) && rng.random() < 0.08)
    events.push({ kind: 'TERMINATION', day: between(rng, after(30), last) });
  const end = events.find((e) => e.kind === 'TERMINATION')?.day ?? Infinity;
  const days = new Set<number>();
  return events
    .filter((e) => e.kind === 'TERMINATION' || e.day < end)
    .sort((a, b) => a.day - b.day)
    .filter((e) => !days.has(e.day) && Boolean(days.add(e.day)));
}

interface Step {
  rng: Rng;
  sim: SimulatedGrant;
  refs: GrantRefs;
  day: number;
}

function transactionOf(
  { rng, sim, refs, day }: Step,
  values: Partial<EquityGrantTransaction> & Pick<EquityGrantTransaction, 'kind'>,
): EquityGrantTransaction {
  const transaction: EquityGrantTransaction = {
    id: rng.uuid(),
    grantId: sim.grant.id,
    date: isoDate(day),
    quantity: null,
    conditionId: null,
    reason: null,
    resultingSecurityId: null,
    totalAmount: null,
    fairMarketValue: null,
    settledShares: null,
    cashAmount: null,
    unvestedQuantity: null,
    returnedToPool: '0',
    recordedAt: during(rng, day),
    createdBySub: refs.admin.sub,
    createdBy: refs.admin.name,
    requestId: rng.uuid(),
    ...values,
  };
  sim.transactions.push(transaction);
  return transaction;
}

/** 1 to `most` shares, all of them half of the time. */
const someOf = (rng: Rng, most: bigint): bigint =>
  rng.random() < 0.5 ? most : 1n + BigInt(Math.floor(rng.random() * Number(most)));

/** What the service gives back to the pool: nothing when the plan retires it. */
const returned = (plan: StockPlanRow, shares: bigint): string =>
  plan.defaultCancellationBehavior === 'RETIRE' ? '0' : shares.toString();

/** An exercise (option) or release (RSU) of vested shares: a stock issuance at the price. */
function take(step: Step): void {
  const { rng, sim, refs } = step;
  const { grant } = sim;
  const date = isoDate(step.day);
  const { exercisable } = grantVesting(grant, sim.ocf, sim.transactions, date);
  if (exercisable === 0n) return;
  const quantity = someOf(rng, exercisable).toString();
  const rsu = grant.compensationType === 'RSU';
  const price = grant.exercisePrice ?? '0';
  const securityId = rng.uuid();
  const transaction = transactionOf(step, {
    kind: rsu ? 'RELEASE' : 'EXERCISE',
    quantity,
    resultingSecurityId: securityId,
    totalAmount: grant.exercisePrice === null ? null : totalAmount(quantity, price),
  });
  sim.issuances.push({
    id: securityId,
    shareholderId: grant.shareholderId,
    shareClassId: refs.plan.shareClassId,
    numberOfShares: quantity,
    price,
    totalAmount: totalAmount(quantity, price),
    currency: grant.currency ?? CURRENCY,
    date,
    createdAt: transaction.recordedAt.toISOString(),
    createdBySub: refs.admin.sub,
    createdBy: refs.admin.name,
    requestId: transaction.requestId ?? rng.uuid(),
  });
  if (rsu) grant.releasedQuantity = String(BigInt(grant.releasedQuantity) + BigInt(quantity));
  else grant.exercisedQuantity = String(BigInt(grant.exercisedQuantity) + BigInt(quantity));
}

/** Some or all of what is outstanding. */
function cancel(step: Step): void {
  const { grant } = step.sim;
  const outstanding = outstandingOf(grant);
  if (outstanding === 0n) return;
  const quantity = someOf(step.rng, outstanding);
  transactionOf(step, {
    kind: 'CANCELLATION',
    quantity: quantity.toString(),
    reason: step.rng.random() < 0.5 ? 'Forfeited on departure' : 'Cancelled by agreement',
    returnedToPool: returned(step.refs.plan, quantity),
  });
  grant.cancelledQuantity = String(BigInt(grant.cancelledQuantity) + quantity);
}

/** Everything unvested on the day is forfeited. */
function terminate(step: Step): void {
  const { sim } = step;
  const date = isoDate(step.day);
  const { unvested } = grantVesting(sim.grant, sim.ocf, sim.transactions, date);
  transactionOf(step, {
    kind: 'TERMINATION',
    quantity: unvested.toString(),
    returnedToPool: returned(step.refs.plan, unvested),
  });
  sim.grant.cancelledQuantity = String(BigInt(sim.grant.cancelledQuantity) + unvested);
  sim.grant.terminatedOn = date;
}

/**
 * What the service's expiry sweep would have recorded by the last day: the rest of a grant whose
 * window closed (a terminated one: 90 days for options, none for RSUs), dated the day after it.
 */
function expire(step: Step): void {
  const { sim } = step;
  const due = dueExpiration(sim.grant, isoDate(step.refs.calendar.lastIssueDay));
  if (!due) return;
  const { actor } = expiryOrigin();
  transactionOf(
    { ...step, day: Date.parse(due.date) },
    {
      kind: 'EXPIRATION',
      quantity: due.quantity.toString(),
      reason: 'expired',
      returnedToPool: returned(step.refs.plan, due.quantity),
      createdBySub: actor.sub,
      createdBy: actor.name,
      requestId: null,
    },
  );
  sim.grant.cancelledQuantity = String(BigInt(sim.grant.cancelledQuantity) + due.quantity);
  sim.grant.expiredOn = due.date;
}

const APPLY: Record<EventKind, (step: Step) => void> = {
  TAKE: take,
  CANCELLATION: cancel,
  TERMINATION: terminate,
};

/** A grant on `refs.day` under the terms `termsFor` picks (options' or RSUs'), and its events. */
export function simulateGrant(
  rng: Rng,
  refs: GrantRefs,
  termsFor: (rsu: boolean) => { row: VestingTermsRow; ocf: VestingTermsOcf },
): SimulatedGrant {
  const grant = grantOf(rng, refs);
  const rsu = grant.compensationType === 'RSU';
  const terms = termsFor(rsu);
  grant.vestingTermsId = terms.row.id;
  const sim: SimulatedGrant = { grant, ocf: terms.ocf, transactions: [], issuances: [] };
  for (const event of eventsOf(rng, refs.day, refs.calendar.lastIssueDay, rsu))
    APPLY[event.kind]({ rng, sim, refs, day: event.day });
  expire({ rng, sim, refs, day: refs.calendar.lastIssueDay });
  return sim;
}
