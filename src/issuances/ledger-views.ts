import { DomainError } from '../core/errors/domain-error';
import { canonicalDecimal, normalizeNumeric, shareCount } from '../core/money/money';
import type { IssuanceSnapshot } from '../events';
import type { IssuanceResponseDto } from './dto/issuance.dto';
import type { LedgerTransactionDto } from './dto/ledger.dto';
import type { LedgerCursor, LedgerRow, TransactionPlan } from './persistence/ledger.repository';

/** A new security as its issuance.created event records it. */
export function snapshotOf(security: IssuanceResponseDto): IssuanceSnapshot {
  return {
    id: security.id,
    shareholder_id: security.shareholder_id,
    share_class_id: security.share_class_id,
    number_of_shares: security.number_of_shares,
    price: security.price,
    total_amount: security.total_amount,
    currency: security.currency,
    date: security.date,
  };
}

export function decimalOf(value: string | number, field: string): string {
  const canonical = canonicalDecimal(value);
  if (canonical === null) {
    throw new DomainError('VALIDATION_FAILED', `${field} is not a decimal amount.`, {
      errors: [{ field, messages: ['must be a decimal amount'] }],
    });
  }
  return canonical;
}

export function toLedgerTransactionDto(row: LedgerRow): LedgerTransactionDto {
  return {
    id: row.id,
    kind: row.kind,
    date: row.date,
    recorded_at: row.recorded_at.toISOString(),
    security_id: row.security_id,
    shareholder_id: row.shareholder_id,
    share_class_id: row.share_class_id,
    quantity: shareCount(row.quantity),
    price_per_share: row.price_per_share === null ? null : normalizeNumeric(row.price_per_share),
    total_amount: row.total_amount === null ? null : normalizeNumeric(row.total_amount),
    currency: row.currency,
    consideration_text: row.consideration_text,
    reason: row.reason,
    balance_security_id: row.balance_security_id,
    resulting_security_ids: row.resulting_security_ids,
    conversion:
      row.conversion_numerator === null || row.conversion_denominator === null
        ? null
        : {
            numerator: Number(row.conversion_numerator),
            denominator: Number(row.conversion_denominator),
            fraction:
              row.fraction_numerator === null
                ? null
                : {
                    numerator: Number(row.fraction_numerator),
                    denominator: Number(row.fraction_denominator),
                    price_per_share: normalizeNumeric(row.fraction_price_per_share ?? '0'),
                    cash_amount: normalizeNumeric(row.fraction_cash_amount ?? '0'),
                  },
          },
    reversed_transaction_id: row.reversed_transaction_id,
    reversed_by_transaction_id: row.reversed_by_transaction_id,
    ocf_id: row.ocf_id ?? null,
    created_by: row.created_by,
  };
}

export function encodeCursor(row: LedgerRow): string {
  return Buffer.from(JSON.stringify([row.date, row.recorded_key, row.id])).toString('base64url');
}

export function decodeCursor(cursor: string): LedgerCursor {
  try {
    const [date, recordedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as
      unknown[] | [unknown, unknown, unknown];
    if (
      typeof date === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(date) &&
      typeof recordedAt === 'string' &&
      !Number.isNaN(Date.parse(recordedAt)) &&
      typeof id === 'string' &&
      /^[0-9a-f-]{36}$/.test(id)
    )
      return { date, recordedAt, id };
  } catch {
    // fall through
  }
  throw new DomainError('VALIDATION_FAILED', 'cursor is not a cursor this API issued.', {
    errors: [{ field: 'cursor', messages: ['is not a cursor this API issued'] }],
  });
}

/** A transaction just recorded, as the API shows it. */
export function transactionDtoOf(plan: TransactionPlan, recordedAt: Date): LedgerTransactionDto {
  return {
    id: plan.id,
    kind: plan.kind,
    date: plan.date,
    recorded_at: recordedAt.toISOString(),
    security_id: plan.security.id,
    shareholder_id: plan.security.shareholder_id,
    share_class_id: plan.security.share_class_id,
    quantity: Number(plan.quantity),
    price_per_share: plan.pricePerShare === null ? null : normalizeNumeric(plan.pricePerShare),
    total_amount: plan.totalAmount === null ? null : normalizeNumeric(plan.totalAmount),
    currency: plan.currency,
    consideration_text: plan.considerationText,
    reason: plan.reason,
    balance_security_id: plan.balance?.id ?? null,
    resulting_security_ids: plan.resulting.map((r) => r.id),
    conversion: plan.conversion
      ? {
          numerator: Number(plan.conversion.numerator),
          denominator: Number(plan.conversion.denominator),
          fraction: plan.conversion.fraction
            ? {
                numerator: Number(plan.conversion.fraction.numerator),
                denominator: Number(plan.conversion.fraction.denominator),
                price_per_share: normalizeNumeric(plan.conversion.fraction.pricePerShare),
                cash_amount: normalizeNumeric(plan.conversion.fraction.cashAmount),
              }
            : null,
        }
      : null,
    reversed_transaction_id: null,
    reversed_by_transaction_id: null,
    ocf_id: null,
    created_by: plan.createdBy,
  };
}
