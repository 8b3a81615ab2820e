/**
 * The big company's equity plans as rows, simulated for `dataset-equity.ts` (which loads them):
 * 2 stock plans in the Common class, 2 vesting terms stored as the service stores its shorthand
 * (`termsFromShorthand`, the shorthand beside them), and grants over the bench's holders with
 * what happened to each (`dataset-equity-grants.ts`). Each plan's pool holds what its grants
 * committed on every day: the first plan's initial reservation a tenth above what was granted
 * before its pool adjustment (at 60% of the years), the adjusted pool, like the second plan's, a
 * quarter above all its grants; `committed_shares` is what was granted less what was given back.
 * Every row's fields are named as its table's columns (camelCase), in their order.
 */
import {
  termsFromShorthand,
  type VestingShorthand,
  type VestingTermsOcf,
} from '../../src/equity-plans/vesting/vesting-terms';
import type { EventActor } from '../../src/events';
import { DAY_MS, isoDate, type Rng } from './dataset-common';
import {
  during,
  simulateGrant,
  type GrantRefs,
  type SimulatedGrant,
} from './dataset-equity-grants';

export interface EquityCalendar {
  /** The company's formation and its last issue day (UTC midnights, ms). */
  formation: number;
  lastIssueDay: number;
}

export interface VestingTermsRow {
  id: string;
  name: string;
  description: string;
  allocationType: string;
  vestingConditions: string;
  shorthand: string;
  createdAt: string;
  createdBySub: string;
  createdBy: string;
}

export interface StockPlanRow {
  id: string;
  name: string;
  shareClassId: string;
  initialSharesReserved: bigint;
  sharesReserved: bigint;
  committedShares: bigint;
  boardApprovalDate: string;
  stockholderApprovalDate: string;
  defaultCancellationBehavior: 'RETURN_TO_POOL' | 'RETIRE';
  createdAt: string;
  updatedAt: string;
  createdBySub: string;
  createdBy: string;
}

export interface PoolAdjustmentRow {
  id: string;
  stockPlanId: string;
  date: string;
  sharesReserved: bigint;
  previousSharesReserved: bigint;
  boardApprovalDate: string;
  recordedAt: string;
  createdBySub: string;
  createdBy: string;
  requestId: string;
}

export interface EquityModel {
  terms: Array<{ row: VestingTermsRow; ocf: VestingTermsOcf }>;
  plans: StockPlanRow[];
  adjustments: PoolAdjustmentRow[];
  grants: SimulatedGrant[];
}

export interface EquityRefs {
  calendar: EquityCalendar;
  holderIds: string[];
  commonClassId: string;
  grants: number;
  admin: EventActor;
}

interface PlanSpec {
  name: string;
  behavior: StockPlanRow['defaultCancellationBehavior'];
  /** Adopted at this share of the company's years; its grants come after. */
  adoptedAt: number;
  /** A pool adjustment (raising it) at this share of the years. */
  adjustedAt?: number;
}

/** The first plan grants options and RSUs (80% of the grants), the second RSUs only. */
const PLANS: readonly PlanSpec[] = [
  { name: 'Equity Incentive Plan', behavior: 'RETURN_TO_POOL', adoptedAt: 0.1, adjustedAt: 0.6 },
  { name: 'RSU Plan', behavior: 'RETIRE', adoptedAt: 0.5 },
];
const FIRST_PLAN_SHARE = 0.8;

/** Options vest monthly, RSUs quarterly, over 4 years after a 1-year cliff. */
const SHORTHANDS: readonly VestingShorthand[] = [
  ['4 years monthly, 1-year cliff', 1, 'CUMULATIVE_ROUND_DOWN'] as const,
  ['4 years quarterly, 1-year cliff', 3, 'CUMULATIVE_ROUNDING'] as const,
].map(([name, every, allocation]) => ({
  name,
  total_months: 48,
  cliff_months: 12,
  frequency_months: every,
  allocation_type: allocation,
}));

function termsOf(rng: Rng, { calendar, admin }: EquityRefs): EquityModel['terms'] {
  const createdAt = new Date(calendar.formation + 30 * DAY_MS + 9 * 3_600_000).toISOString();
  return SHORTHANDS.map((shorthand) => {
    const { object_type: _type, ...ocf } = termsFromShorthand(shorthand);
    const row: VestingTermsRow = {
      id: rng.uuid(),
      name: ocf.name,
      description: ocf.description,
      allocationType: ocf.allocation_type,
      vestingConditions: JSON.stringify(ocf.vesting_conditions),
      shorthand: JSON.stringify(shorthand),
      createdAt,
      createdBySub: admin.sub,
      createdBy: admin.name,
    };
    return { row, ocf };
  });
}

/** The company's day at `share` of its years. */
export function dayAt(calendar: EquityCalendar, share: number): number {
  const span = Math.floor((calendar.lastIssueDay - calendar.formation) / DAY_MS);
  return calendar.formation + Math.floor(span * share) * DAY_MS;
}

function planOf(rng: Rng, spec: PlanSpec, refs: EquityRefs): StockPlanRow {
  const day = dayAt(refs.calendar, spec.adoptedAt);
  const createdAt = during(rng, day).toISOString();
  return {
    id: rng.uuid(),
    name: spec.name,
    shareClassId: refs.commonClassId,
    initialSharesReserved: 0n,
    sharesReserved: 0n,
    committedShares: 0n,
    boardApprovalDate: isoDate(day),
    stockholderApprovalDate: isoDate(day),
    defaultCancellationBehavior: spec.behavior,
    createdAt,
    updatedAt: createdAt,
    createdBySub: refs.admin.sub,
    createdBy: refs.admin.name,
  };
}

/** Whole millions, at least one. */
function millions(shares: bigint): bigint {
  const rounded = ((shares + 999_999n) / 1_000_000n) * 1_000_000n;
  return rounded > 1_000_000n ? rounded : 1_000_000n;
}

const sum = (values: readonly string[]): bigint =>
  values.reduce((total, v) => total + BigInt(v), 0n);

/** The plan's pool and committed shares from its grants; its adjustment, if it has one. */
function fillPool(
  rng: Rng,
  plan: StockPlanRow,
  spec: PlanSpec,
  grants: readonly SimulatedGrant[],
  refs: EquityRefs,
): PoolAdjustmentRow[] {
  const own = grants.filter((g) => g.grant.stockPlanId === plan.id);
  const granted = sum(own.map((g) => g.grant.quantity));
  plan.committedShares =
    granted - sum(own.flatMap((g) => g.transactions.map((t) => t.returnedToPool)));
  plan.sharesReserved = millions((granted * 5n) / 4n);
  plan.initialSharesReserved = plan.sharesReserved;
  if (spec.adjustedAt === undefined) return [];
  const day = dayAt(refs.calendar, spec.adjustedAt);
  const before = own.filter((g) => g.grant.grantDate < isoDate(day)).map((g) => g.grant.quantity);
  plan.initialSharesReserved = millions((sum(before) * 11n) / 10n);
  if (plan.sharesReserved <= plan.initialSharesReserved)
    plan.sharesReserved = plan.initialSharesReserved + 1_000_000n;
  plan.updatedAt = during(rng, day).toISOString();
  return [
    {
      id: rng.uuid(),
      stockPlanId: plan.id,
      date: isoDate(day),
      sharesReserved: plan.sharesReserved,
      previousSharesReserved: plan.initialSharesReserved,
      boardApprovalDate: isoDate(day),
      recordedAt: plan.updatedAt,
      createdBySub: refs.admin.sub,
      createdBy: refs.admin.name,
      requestId: rng.uuid(),
    },
  ];
}

/** The plans, terms and `refs.grants` grants with their transactions (grant 0 is holder 0's). */
export function simulateEquity(rng: Rng, refs: EquityRefs): EquityModel {
  const { calendar, holderIds, admin } = refs;
  const terms = termsOf(rng, refs);
  const plans = PLANS.map((spec) => planOf(rng, spec, refs));
  const grants: SimulatedGrant[] = [];
  for (let i = 0; i < refs.grants; i += 1) {
    const planIndex = rng.random() < FIRST_PLAN_SHARE ? 0 : 1;
    const plan = plans[planIndex];
    const from = Date.parse(plan.boardApprovalDate) + DAY_MS;
    const day =
      from + Math.floor(rng.random() * ((calendar.lastIssueDay - from) / DAY_MS + 1)) * DAY_MS;
    const holderId = holderIds[i === 0 ? 0 : Math.floor(rng.random() * holderIds.length)];
    const grantRefs: GrantRefs = { calendar, plan, day, holderId, admin, rsuOnly: planIndex === 1 };
    grants.push(simulateGrant(rng, grantRefs, (rsu) => terms[rsu ? 1 : 0]));
  }
  const adjustments = plans.flatMap((plan, i) => fillPool(rng, plan, PLANS[i], grants, refs));
  return { terms, plans, adjustments, grants };
}
