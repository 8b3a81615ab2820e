/**
 * Calendar arithmetic of vesting dates, on ISO calendar dates (`YYYY-MM-DD`, no time zone).
 *
 * Month periods follow OCF `VestingDayOfMonth`: `01`–`28` vest on that day; `29_…`, `30_…` and
 * `31_OR_LAST_DAY_OF_MONTH` on that day or, in shorter months, the month's last day;
 * `VESTING_START_DAY_OR_LAST_DAY_OF_MONTH` on the vesting start's day of month, or the month's last
 * day when it has fewer days. Every installment date is counted from the condition's anchor (n ×
 * length months on), never from the previous installment, so a clamped February does not pull
 * March back: a start on 31 January vests on 28 (29) February, 31 March, 30 April, 31 May, …
 */
export type VestingDayOfMonth = string;

const DAY_MS = 86_400_000;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function parseDate(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

export function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The day of month a rule gives in a month with `last` days, for a vesting start on `startDay`. */
export function dayOfMonth(rule: VestingDayOfMonth, startDay: number, last: number): number {
  if (rule === 'VESTING_START_DAY_OR_LAST_DAY_OF_MONTH') return Math.min(startDay, last);
  const fixed = /^(\d{2})(?:_OR_LAST_DAY_OF_MONTH)?$/.exec(rule);
  if (!fixed) throw new Error(`unknown day_of_month ${rule}`);
  return Math.min(Number(fixed[1]), last);
}

/** `anchor` plus `months` calendar months, on the rule's day of that month. */
export function addMonths(
  anchor: string,
  months: number,
  rule: VestingDayOfMonth,
  startDay: number,
): string {
  const { year, month } = parseDate(anchor);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return formatDate(
    targetYear,
    targetMonth,
    dayOfMonth(rule, startDay, daysInMonth(targetYear, targetMonth)),
  );
}

export function addDays(anchor: string, days: number): string {
  return new Date(Date.parse(`${anchor}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
