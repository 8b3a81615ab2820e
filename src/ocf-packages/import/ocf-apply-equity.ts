import {
  CreateAccelerationDto,
  CreateExerciseDto,
  CreateGrantCancellationDto,
  CreateGrantDto,
  CreatePoolAdjustmentDto,
  CreateReleaseDto,
  CreateStockPlanDto,
  CreateVestingEventDto,
  CreateVestingTermsDto,
  type GrantTransactionResultDto,
} from '../../equity-plans';
import { amount, customIdOf } from './ocf-apply-common';
import { ids, str } from './ocf-graph';
import type { ImportRun } from './ocf-import-run';
import { wholeShares } from './ocf-ledger-check';
import type { Located } from './ocf-normalize';

type Item = Record<string, unknown>;
const shares = (value: unknown) => Number(wholeShares(value) ?? -1);
const DAYS_OF: Record<string, number> = { DAYS: 1, MONTHS: 30, YEARS: 365 };

/**
 * Plans and vesting terms that grants name but the package does not define: imported as
 * placeholders, marked as such in their names. A placeholder plan reserves exactly what the
 * package grants from it; placeholder terms vest nothing until a vesting event is recorded.
 */
export async function importPlaceholders(run: ImportRun): Promise<void> {
  const wanted = new Map<string, { grants: Located[]; total: number }>();
  for (const grant of run.graph.grants.values()) {
    const plan = str(grant.item.stock_plan_id);
    if (plan && !run.plans.has(plan)) {
      const entry = wanted.get(plan) ?? { grants: [], total: 0 };
      entry.grants.push(grant);
      entry.total += shares(grant.item.quantity);
      wanted.set(plan, entry);
    }
    const terms = str(grant.item.vesting_terms_id);
    if (terms && !run.terms.has(terms)) await placeholderTerms(run, grant, terms);
  }
  for (const [id, { grants, total }] of wanted) {
    const [first] = grants;
    const classId =
      run.classes.get(str(first.item.stock_class_id)) ??
      [...run.graph.classes.values()].find((c) => c.item.class_type === 'COMMON')?.item.id;
    const dto = await run.dto(
      CreateStockPlanDto,
      {
        name: `Placeholder: ${id} (not in the package)`.slice(0, 200),
        share_class_id:
          run.classes.get(str(classId)) ?? run.classes.get(str(first.item.stock_class_id)),
        initial_shares_reserved: total,
        default_cancellation_behavior: 'RETURN_TO_POOL',
      },
      first,
    );
    const plan = await run.write(first, () => run.s.plans.create(dto, run.context));
    run.plans.set(id, plan.id);
    run.remember('stock_plan', { id: plan.id, ocfId: id });
    run.warn(
      first,
      `names the stock plan ${id}, which the package does not define: imported as a placeholder reserving the ${total} shares the package grants from it`,
      '/stock_plan_id',
    );
  }
}

async function placeholderTerms(run: ImportRun, grant: Located, id: string): Promise<void> {
  const dto = await run.dto(
    CreateVestingTermsDto,
    {
      name: `Placeholder: ${id} (not in the package)`.slice(0, 200),
      description:
        'Not defined in the imported package: nothing vests until a vesting event is recorded.',
      allocation_type: 'CUMULATIVE_ROUNDING',
      vesting_conditions: [
        {
          id: 'event',
          portion: { numerator: '1', denominator: '1' },
          trigger: { type: 'VESTING_EVENT' },
          next_condition_ids: [],
        },
      ],
    },
    grant,
  );
  const terms = await run.write(grant, () => run.s.terms.create(dto, run.context));
  run.terms.set(id, terms.id);
  run.remember('vesting_terms', { id: terms.id, ocfId: id });
  run.warn(
    grant,
    `names the vesting terms ${id}, which the package does not define: imported as placeholder terms that vest on a vesting event only`,
    '/vesting_terms_id',
  );
}

/** The days a grant stays exercisable after termination (the longest window; months as 30 days). */
function windowDays(run: ImportRun, located: Located): number | undefined {
  const windows = (located.item.termination_exercise_windows as Item[] | undefined) ?? [];
  if (windows.length === 0) return undefined;
  const days = windows.map((w) => Number(w.period) * (DAYS_OF[str(w.period_type)] ?? 1));
  if (new Set(days).size > 1)
    run.warn(
      located,
      `has termination windows of ${[...new Set(days)].join(', ')} days by reason; one window is kept here: the longest`,
      '/termination_exercise_windows',
    );
  return Math.max(...days);
}

export async function grant(run: ImportRun, located: Located): Promise<void> {
  const { item } = located;
  const security = str(item.security_id);
  const start = run.vestingStarts.get(security);
  const vestings = (item.vestings as Item[] | undefined)?.map((v) => ({
    date: v.date,
    quantity: shares(v.amount),
  }));
  const terms = str(item.vesting_terms_id);
  const dto = await run.dto(
    CreateGrantDto,
    {
      shareholder_id: run.need(
        run.holders,
        str(item.stakeholder_id),
        located,
        'stakeholder_id',
        'the stakeholder',
      ),
      ...planOrClass(run, located),
      compensation_type: item.compensation_type,
      quantity: shares(item.quantity),
      exercise_price: priceOf(item)?.amount,
      currency: priceOf(item)?.currency,
      grant_date: item.date,
      vesting_terms_id: terms ? run.terms.get(terms) : undefined,
      vesting_start_date: terms ? (start?.item.date ?? item.date) : undefined,
      vesting: terms ? undefined : vestings,
      expiration_date: item.expiration_date ?? undefined,
      early_exercise: item.early_exercisable ?? undefined,
      termination_exercise_days: windowDays(run, located),
    },
    located,
  );
  const created = await run.write(located, () => run.s.grants.create(dto, run.context));
  run.grants.set(security, created.id);
  run.remember('equity_grant', { id: created.id, ocfId: str(item.id), ocfSecurityId: security });
  run.count(located);
}

/**
 * The plan a grant is from, or for a grant outside any plan (OCF gives no `stock_plan_id`) the
 * class it issues (`stock_class_id`; refused, named, when it gives neither).
 */
function planOrClass(run: ImportRun, located: Located) {
  const { item } = located;
  const plan = str(item.stock_plan_id);
  if (plan)
    return { stock_plan_id: run.need(run.plans, plan, located, 'stock_plan_id', 'the stock plan') };
  if (!str(item.stock_class_id))
    run.fail(
      located,
      'names neither a stock plan nor the stock class it issues',
      '/stock_class_id',
    );
  const shareClass = str(item.stock_class_id);
  return {
    share_class_id: run.need(run.classes, shareClass, located, 'stock_class_id', 'the stock class'),
  };
}

type Record_ = (
  run: ImportRun,
  located: Located,
  grantId: string,
) => Promise<GrantTransactionResultDto>;

const exerciseOrRelease: Record_ = async (run, located, grantId) => {
  const { item } = located;
  const s = run.s.grantTransactions;
  if (!str(item.object_type).endsWith('EXERCISE')) {
    const plain = { date: item.date, quantity: shares(item.quantity) };
    return s.release(grantId, await run.dto(CreateReleaseDto, plain, located), run.context);
  }
  const plain = {
    date: item.date,
    quantity: shares(item.quantity),
    fair_market_value: sarFairMarketValue(run, located),
  };
  return s.exercise(grantId, await run.dto(CreateExerciseDto, plain, located), run.context);
};

/**
 * The fair market value a SAR's exercise was settled at, which OCF 1.2.0 does not record: an
 * SSAR's is the share price of the stock it became; a CSAR's cannot be known (refused, named).
 * Undefined for an option.
 */
function sarFairMarketValue(run: ImportRun, located: Located): unknown {
  const grant = run.graph.grants.get(str(located.item.security_id));
  const type = grant?.item.compensation_type;
  if (type !== 'CSAR' && type !== 'SSAR') return undefined;
  const [resulting] = ids(located.item.resulting_security_ids);
  const stock = resulting ? run.graph.issuances.get(resulting) : undefined;
  const value = amount(stock?.item.share_price);
  if (value === undefined)
    run.fail(
      located,
      type === 'CSAR'
        ? 'settles a cash-settled SAR, whose fair market value OCF 1.2.0 does not record: not imported'
        : 'settles a stock-settled SAR without the stock it became, whose share price is its fair market value',
      '/resulting_security_ids',
    );
  return value;
}

const cancel: Record_ = async (run, located, grantId) => {
  const { item } = located;
  const plain = { date: item.date, quantity: shares(item.quantity), reason: item.reason_text };
  const dto = await run.dto(CreateGrantCancellationDto, plain, located);
  return run.s.grantTransactions.cancel(grantId, dto, run.context);
};

const vestingEvent: Record_ = async (run, located, grantId) => {
  const { item } = located;
  const plain = { date: item.date, condition_id: item.vesting_condition_id };
  const dto = await run.dto(CreateVestingEventDto, plain, located);
  return run.s.grantTransactions.vestingEvent(grantId, dto, run.context);
};

const accelerate: Record_ = async (run, located, grantId) => {
  const { item } = located;
  const plain = { date: item.date, quantity: shares(item.quantity), reason: item.reason_text };
  const dto = await run.dto(CreateAccelerationDto, plain, located);
  return run.s.grantTransactions.accelerate(grantId, dto, run.context);
};

const RECORD: Record<string, Record_> = {
  TX_EQUITY_COMPENSATION_EXERCISE: exerciseOrRelease,
  TX_EQUITY_COMPENSATION_RELEASE: exerciseOrRelease,
  TX_EQUITY_COMPENSATION_CANCELLATION: cancel,
  TX_VESTING_EVENT: vestingEvent,
  TX_VESTING_ACCELERATION: accelerate,
};

/** An exercise, release, cancellation, vesting event or acceleration of a grant. */
export async function grantTransaction(run: ImportRun, located: Located): Promise<void> {
  const { item } = located;
  const type = str(item.object_type);
  if (type === 'TX_VESTING_START') return run.count(located);
  const grantId = run.need(run.grants, str(item.security_id), located, 'security_id', 'the grant');
  const done = await run.write(located, () => RECORD[type](run, located, grantId));
  run.remember('equity_grant_transaction', { id: done.transaction.id, ocfId: str(item.id) });
  run.count(located);
  const ours = done.transaction.resulting_security_id;
  if (ours) await linkStock(run, located, ours);
}

/** A grant's price: an option's exercise price, a SAR's base price (OCF names them apart). */
const priceOf = (item: Item): Item | undefined =>
  (item.compensation_type === 'CSAR' || item.compensation_type === 'SSAR'
    ? (item.base_price ?? item.exercise_price)
    : item.exercise_price) as Item | undefined;

/** The stock an exercise or release became, matched to the package's issuance of it. */
async function linkStock(run: ImportRun, located: Located, ours: string): Promise<void> {
  const [resulting] = ids(located.item.resulting_security_ids);
  if (!resulting) return;
  const issuance = await run.s.issuances.findOne(ours, run.context);
  const theirs = run.graph.issuances.get(resulting);
  if (theirs && shares(theirs.item.quantity) !== issuance.number_of_shares)
    run.fail(
      located,
      `results here in ${issuance.number_of_shares} shares; the package's ${resulting} holds ${str(theirs.item.quantity)}`,
      '/resulting_security_ids/0',
    );
  run.securities.set(resulting, ours);
  const ocfId = theirs ? str(theirs.item.id) : resulting;
  run.remember('issuance', {
    id: ours,
    ocfId,
    ocfSecurityId: resulting,
    customId: theirs ? customIdOf(theirs.item) : null,
  });
  if (theirs) run.count(theirs);
}

export async function adjustPool(run: ImportRun, located: Located): Promise<void> {
  const { item } = located;
  const plan = run.need(
    run.plans,
    str(item.stock_plan_id),
    located,
    'stock_plan_id',
    'the stock plan',
  );
  const dto = await run.dto(
    CreatePoolAdjustmentDto,
    {
      date: item.date,
      shares_reserved: shares(item.shares_reserved),
      board_approval_date: item.board_approval_date,
      stockholder_approval_date: item.stockholder_approval_date,
    },
    located,
  );
  const done = await run.write(located, () => run.s.plans.adjustPool(plan, dto, run.context));
  run.remember('stock_plan_pool_adjustment', { id: done.id, ocfId: str(item.id) });
  run.count(located);
}
