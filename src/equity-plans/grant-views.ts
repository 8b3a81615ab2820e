import { normalizeNumeric, shareCount } from '../core/money/money';
import type { GrantResponseDto } from './dto/grant.dto';
import type { GrantTransactionDto } from './dto/grant-transaction.dto';
import type { EquityGrantTransaction } from './equity-grant-transaction.entity';
import type { EquityGrant } from './equity-grant.entity';

export function outstandingOf(grant: EquityGrant): bigint {
  return (
    BigInt(grant.quantity) -
    BigInt(grant.exercisedQuantity) -
    BigInt(grant.releasedQuantity) -
    BigInt(grant.cancelledQuantity)
  );
}

export function toGrantResponse(grant: EquityGrant): GrantResponseDto {
  const outstanding = outstandingOf(grant);
  const used = BigInt(grant.exercisedQuantity) + BigInt(grant.releasedQuantity);
  return {
    id: grant.id,
    shareholder_id: grant.shareholderId,
    stock_plan_id: grant.stockPlanId,
    share_class_id: grant.shareClassId,
    compensation_type: grant.compensationType,
    quantity: shareCount(grant.quantity),
    exercise_price: grant.exercisePrice === null ? null : normalizeNumeric(grant.exercisePrice),
    currency: grant.currency,
    grant_date: grant.grantDate,
    vesting_terms_id: grant.vestingTermsId,
    vesting_start_date: grant.vestingStartDate,
    vesting: grant.vestingTranches ?? null,
    expiration_date: grant.expirationDate,
    early_exercise: grant.earlyExercise,
    termination_exercise_days: grant.terminationExerciseDays,
    exercised: shareCount(grant.exercisedQuantity),
    released: shareCount(grant.releasedQuantity),
    cancelled: shareCount(grant.cancelledQuantity),
    outstanding: Number(outstanding),
    terminated_on: grant.terminatedOn,
    expired_on: grant.expiredOn ?? null,
    status: statusOf(outstanding, used, grant.expiredOn ?? null),
    created_at: grant.createdAt.toISOString(),
    ocf_id: grant.ocfSecurityId ?? null,
  };
}

function statusOf(outstanding: bigint, used: bigint, expiredOn: string | null): string {
  if (outstanding > 0n) return 'OUTSTANDING';
  if (expiredOn !== null) return 'EXPIRED';
  return used > 0n ? 'EXERCISED' : 'CANCELLED';
}

export function toGrantTransactionDto(t: EquityGrantTransaction): GrantTransactionDto {
  return {
    id: t.id,
    grant_id: t.grantId,
    kind: t.kind,
    date: t.date,
    quantity: t.quantity === null ? null : shareCount(t.quantity),
    condition_id: t.conditionId,
    reason: t.reason,
    resulting_security_id: t.resultingSecurityId,
    total_amount: t.totalAmount === null ? null : normalizeNumeric(t.totalAmount),
    fair_market_value: t.fairMarketValue === null ? null : normalizeNumeric(t.fairMarketValue),
    settled_shares: t.settledShares === null ? null : shareCount(t.settledShares),
    cash_amount: t.cashAmount === null ? null : normalizeNumeric(t.cashAmount),
    unvested_quantity: t.unvestedQuantity === null ? null : shareCount(t.unvestedQuantity),
    returned_to_pool: shareCount(t.returnedToPool),
    recorded_at: t.recordedAt.toISOString(),
  };
}
