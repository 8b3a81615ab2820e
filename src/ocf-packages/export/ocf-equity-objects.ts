import type {
  ExportGrantRow,
  ExportGrantTransactionRow,
  ExportPlanRow,
  ExportPoolAdjustmentRow,
  ExportVestingTermsRow,
} from '../../equity-plans';
import { compact, type OcfObject, type OcfRefs } from './ocf-objects';

const TERMINATION_REASONS = [
  'VOLUNTARY_OTHER',
  'VOLUNTARY_GOOD_CAUSE',
  'VOLUNTARY_RETIREMENT',
  'INVOLUNTARY_OTHER',
  'INVOLUNTARY_DEATH',
  'INVOLUNTARY_DISABILITY',
  'INVOLUNTARY_WITH_CAUSE',
] as const;

export function stockPlanObject(plan: ExportPlanRow, refs: OcfRefs): OcfObject {
  return compact({
    object_type: 'STOCK_PLAN',
    id: plan.ocf_id ?? plan.id,
    plan_name: plan.name,
    board_approval_date: plan.board_approval_date,
    stockholder_approval_date: plan.stockholder_approval_date,
    initial_shares_reserved: plan.initial_shares_reserved,
    default_cancellation_behavior: plan.default_cancellation_behavior,
    stock_class_ids: [refs.shareClass(plan.share_class_id)],
  });
}

export function vestingTermsObject(terms: ExportVestingTermsRow): OcfObject {
  return {
    object_type: 'VESTING_TERMS',
    id: terms.ocf_id ?? terms.id,
    name: terms.name,
    description: terms.description,
    allocation_type: terms.allocation_type,
    vesting_conditions: terms.vesting_conditions,
  };
}

export function poolAdjustmentObject(adjustment: ExportPoolAdjustmentRow): OcfObject {
  return compact({
    object_type: 'TX_STOCK_PLAN_POOL_ADJUSTMENT',
    id: adjustment.ocf_id ?? adjustment.id,
    date: adjustment.date,
    stock_plan_id: adjustment.plan_ref,
    board_approval_date: adjustment.board_approval_date,
    stockholder_approval_date: adjustment.stockholder_approval_date,
    shares_reserved: adjustment.shares_reserved,
  });
}

/**
 * A grant as its OCF TX_EQUITY_COMPENSATION_ISSUANCE; its one termination window (the same for
 * every reason of termination) as one window per OCF reason. A SAR's price is its `base_price`
 * (OCF requires it, and no exercise price); `expiration_date` is always there (null: none).
 */
export function grantObject(grant: ExportGrantRow, refs: OcfRefs): OcfObject {
  const days = grant.termination_exercise_days;
  const price =
    grant.exercise_price && grant.currency
      ? { amount: grant.exercise_price, currency: grant.currency }
      : undefined;
  const sar = grant.compensation_type === 'CSAR' || grant.compensation_type === 'SSAR';
  const object = compact({
    object_type: 'TX_EQUITY_COMPENSATION_ISSUANCE',
    id: grant.ocf_id ?? grant.id,
    date: grant.grant_date,
    security_id: grant.security_ref,
    custom_id: grant.security_ref,
    stakeholder_id: refs.holder(grant.shareholder_id),
    security_law_exemptions: [],
    stock_plan_id: grant.plan_ref,
    stock_class_id: refs.shareClass(grant.share_class_id),
    compensation_type: grant.compensation_type,
    quantity: grant.quantity,
    exercise_price: sar ? undefined : price,
    base_price: sar ? price : undefined,
    early_exercisable: grant.early_exercise,
    vesting_terms_id: grant.vesting_terms_ref,
    vestings: grant.vesting_tranches?.map((t) => ({ date: t.date, amount: String(t.quantity) })),
    termination_exercise_windows:
      days === null
        ? []
        : TERMINATION_REASONS.map((reason) => ({ reason, period: days, period_type: 'DAYS' })),
  });
  return { ...object, expiration_date: grant.expiration_date };
}

/** The grant's vesting start (OCF TX_VESTING_START): its start condition met on its start date. */
export function vestingStartObject(
  grant: ExportGrantRow,
  startConditionId: string | undefined,
): OcfObject | null {
  if (!grant.vesting_start_date || !startConditionId) return null;
  return {
    object_type: 'TX_VESTING_START',
    id: `${grant.ocf_id ?? grant.id}-vesting-start`,
    date: grant.vesting_start_date,
    security_id: grant.security_ref,
    vesting_condition_id: startConditionId,
  };
}

/**
 * A grant transaction as OCF records it. A termination (its unvested part cancelled) and an
 * expiration (what was left when the exercise window closed) are OCF cancellations; a
 * termination with nothing to cancel has no OCF object. A SAR exercise's settlement, which OCF
 * 1.2.0 has no field for, is its `consideration_text`, its delivered shares (an SSAR's) its
 * resulting security.
 */
export function grantTransactionObject(
  t: ExportGrantTransactionRow,
  resulting: string | null,
  currency: string,
): OcfObject | null {
  const base = { id: t.ocf_id ?? t.id, date: t.date, security_id: t.security_ref };
  switch (t.kind) {
    case 'EXERCISE': {
      const value = `at a fair market value of ${t.fair_market_value} per share`;
      const cash = `${t.currency} ${t.cash_amount}`;
      const settlement =
        t.settled_shares === '0'
          ? `Settled in cash: ${cash} ${value}`
          : `Settled in stock: ${t.settled_shares} shares, and ${cash} in cash, ${value}`;
      return compact({
        object_type: 'TX_EQUITY_COMPENSATION_EXERCISE',
        ...base,
        quantity: t.quantity,
        resulting_security_ids: resulting ? [resulting] : [],
        consideration_text: t.fair_market_value === null ? undefined : settlement,
      });
    }
    case 'RELEASE':
      return {
        object_type: 'TX_EQUITY_COMPENSATION_RELEASE',
        ...base,
        settlement_date: t.date,
        release_price: { amount: '0', currency },
        quantity: t.quantity,
        resulting_security_ids: resulting ? [resulting] : [],
      };
    case 'VESTING_EVENT':
      return { object_type: 'TX_VESTING_EVENT', ...base, vesting_condition_id: t.condition_id };
    case 'VESTING_ACCELERATION':
      return compact({
        object_type: 'TX_VESTING_ACCELERATION',
        ...base,
        quantity: t.quantity,
        reason_text: t.reason ?? 'accelerated',
      });
    default:
      if (!t.quantity || t.quantity === '0') return null;
      return {
        object_type: 'TX_EQUITY_COMPENSATION_CANCELLATION',
        ...base,
        quantity: t.quantity,
        reason_text: t.reason ?? t.kind.toLowerCase(),
      };
  }
}
