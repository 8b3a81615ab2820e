import { DomainError } from '../core/errors/domain-error';

export class StockPlanNotFoundError extends DomainError {
  constructor(id: string, field?: string) {
    super(
      'STOCK_PLAN_NOT_FOUND',
      `Stock plan ${id} does not exist.`,
      field ? { errors: [{ field, messages: ['is not a stock plan of this company'] }] } : {},
    );
  }
}

export class VestingTermsNotFoundError extends DomainError {
  constructor(id: string, field?: string) {
    super(
      'VESTING_TERMS_NOT_FOUND',
      `Vesting terms ${id} do not exist.`,
      field ? { errors: [{ field, messages: ['are not vesting terms of this company'] }] } : {},
    );
  }
}

export class GrantNotFoundError extends DomainError {
  constructor(id: string) {
    super('GRANT_NOT_FOUND', `Grant ${id} does not exist.`);
  }
}

export class PoolExhaustedError extends DomainError {
  constructor(plan: string, figures: { available: bigint; requested: bigint; date?: string }) {
    super(
      'POOL_EXHAUSTED',
      `Granting ${figures.requested} shares from ${plan} would exceed its pool: ${figures.available} available${figures.date ? ` on ${figures.date}` : ''}.`,
      {
        errors: [{ field: 'quantity', messages: [`must be at most ${figures.available}`] }],
        extensions: {
          available_shares: Number(figures.available),
          requested_shares: Number(figures.requested),
        },
      },
    );
  }
}

export class GrantNotExercisableError extends DomainError {
  constructor(id: string, why: string) {
    super('GRANT_NOT_EXERCISABLE', `Grant ${id} cannot be exercised or released: ${why}`, {
      extensions: { grant_id: id },
    });
  }
}

export class QuantityExceedsExercisableError extends DomainError {
  constructor(requested: bigint, exercisable: bigint, date: string) {
    super(
      'QUANTITY_EXCEEDS_EXERCISABLE',
      `${requested} shares asked for, but ${exercisable} are exercisable on ${date}.`,
      {
        errors: [{ field: 'quantity', messages: [`must be at most ${exercisable}`] }],
        extensions: {
          requested_shares: Number(requested),
          exercisable_shares: Number(exercisable),
        },
      },
    );
  }
}

export function invalid(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${field} ${message}.`, {
    errors: [{ field, messages: [message] }],
  });
}
