import type { AllocationType } from './allocation';

/** OCF 1.2.0 `VestingCondition` (types/vesting/VestingCondition.schema.json), as stored. */
export interface VestingCondition {
  id: string;
  description?: string;
  /** Of the whole security, or (`remainder`) of what has not vested yet. */
  portion?: { numerator: string; denominator: string; remainder?: boolean };
  /** A fixed number of shares. */
  quantity?: string;
  trigger: VestingTrigger;
  /** Every condition that can trigger after this one, highest priority first. */
  next_condition_ids: string[];
}

export type VestingTrigger =
  | { type: 'VESTING_START_DATE' }
  | { type: 'VESTING_SCHEDULE_ABSOLUTE'; date: string }
  | {
      type: 'VESTING_SCHEDULE_RELATIVE';
      period: {
        length: number;
        type: 'MONTHS' | 'DAYS';
        occurrences: number;
        day_of_month?: string;
      };
      relative_to_condition_id: string;
    }
  | { type: 'VESTING_EVENT' };

/** OCF 1.2.0 `VestingTerms` (objects/VestingTerms.schema.json). */
export interface VestingTermsOcf {
  id?: string;
  object_type?: 'VESTING_TERMS';
  name: string;
  description: string;
  allocation_type: AllocationType;
  vesting_conditions: VestingCondition[];
  comments?: string[];
}

/** The common case: `total_months` of vesting every `frequency_months`, after a cliff. */
export interface VestingShorthand {
  name: string;
  total_months: number;
  cliff_months: number;
  frequency_months: number;
  allocation_type: AllocationType;
}

const START_DAY = 'VESTING_START_DAY_OR_LAST_DAY_OF_MONTH';

/**
 * The OCF terms the shorthand stands for, shaped like OCF's own sample "4yr-1yr-cliff-schedule":
 * a start condition, the cliff (its periods' share of the whole, at once) and the installments
 * after it, each a `frequency_months` period's share. The cliff and the total must be multiples
 * of the frequency (checked by the caller).
 */
export function termsFromShorthand(shorthand: VestingShorthand): VestingTermsOcf {
  const { total_months: total, cliff_months: cliff, frequency_months: every } = shorthand;
  const periods = total / every;
  const cliffPeriods = cliff / every;
  const rest = periods - cliffPeriods;
  const conditions: VestingCondition[] = [
    {
      id: 'vesting-start',
      quantity: '0',
      trigger: { type: 'VESTING_START_DATE' },
      next_condition_ids: [cliff > 0 ? 'cliff' : 'installments'],
    },
  ];
  if (cliff > 0)
    conditions.push({
      id: 'cliff',
      description: `${cliffPeriods}/${periods} after ${cliff} months`,
      portion: { numerator: String(cliffPeriods), denominator: String(periods) },
      trigger: relative(cliff, 1, 'vesting-start'),
      next_condition_ids: rest > 0 ? ['installments'] : [],
    });
  if (rest > 0)
    conditions.push({
      id: 'installments',
      description: `1/${periods} every ${every} months`,
      portion: { numerator: '1', denominator: String(periods) },
      trigger: relative(every, rest, cliff > 0 ? 'cliff' : 'vesting-start'),
      next_condition_ids: [],
    });
  return {
    object_type: 'VESTING_TERMS',
    name: shorthand.name,
    description:
      cliff > 0
        ? `${cliff}-month cliff, then vesting every ${every} months over ${total} months in all`
        : `Vesting every ${every} months over ${total} months`,
    allocation_type: shorthand.allocation_type,
    vesting_conditions: conditions,
  };
}

function relative(length: number, occurrences: number, to: string): VestingTrigger {
  return {
    type: 'VESTING_SCHEDULE_RELATIVE',
    period: { length, type: 'MONTHS', occurrences, day_of_month: START_DAY },
    relative_to_condition_id: to,
  };
}
