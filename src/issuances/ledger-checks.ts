import { DomainError } from '../core/errors/domain-error';
import { todayUtc } from '../core/http/validators';
import { ShareholderNotFoundError } from '../shareholders';
import { TransactionDateInvalidError } from './issuances.errors';
import type { Spending } from './ledger-plan';
import type { SecurityRow } from './persistence/ledger.repository';

const DAY_MS = 86_400_000;

/**
 * A transaction's effective date: not before its security's own date, nor later than today
 * (UTC) plus `toleranceDays` (LEDGER_FUTURE_DATE_TOLERANCE_DAYS).
 */
export function checkDate(date: string, security: SecurityRow, toleranceDays: number): void {
  if (date < security.date)
    throw new TransactionDateInvalidError(
      `must be on or after the security's own date, ${security.date}`,
    );
  checkNotLaterThanTolerated(date, toleranceDays);
}

/** Not later than today (UTC) plus `toleranceDays`. */
export function checkNotLaterThanTolerated(date: string, toleranceDays: number): void {
  const latest = new Date(Date.parse(todayUtc()) + toleranceDays * DAY_MS)
    .toISOString()
    .slice(0, 10);
  if (date > latest)
    throw new TransactionDateInvalidError(
      `must not be later than ${latest} (today, UTC, plus ${toleranceDays} days)`,
    );
}

/**
 * A transfer's transferees: each named once, other holders than the security's, each a holder
 * of the company.
 */
export function checkTransferees(
  spending: Spending,
  security: SecurityRow,
  existing: Set<string>,
): void {
  const ids = spending.resulting.map((r) => r.shareholderId);
  const twice = ids.findIndex((id, index) => ids.indexOf(id) !== index);
  if (twice >= 0) {
    throw new DomainError('VALIDATION_FAILED', 'A transferee is named twice.', {
      errors: [{ field: `transfers.${twice}.to_shareholder_id`, messages: ['is named twice'] }],
    });
  }
  const self = ids.indexOf(security.shareholder_id);
  if (self >= 0) {
    throw new DomainError('VALIDATION_FAILED', 'A transfer goes to another holder.', {
      errors: [
        {
          field: `transfers.${self}.to_shareholder_id`,
          messages: ['is the holder of the security'],
        },
      ],
    });
  }
  const missing = ids.findIndex((id) => !existing.has(id));
  if (missing >= 0) {
    throw new ShareholderNotFoundError(ids[missing], {
      field: `transfers.${missing}.to_shareholder_id`,
    });
  }
}
