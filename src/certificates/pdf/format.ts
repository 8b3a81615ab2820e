const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const group = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** 1234567 → "1,234,567". */
export function formatShares(count: number): string {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`bad share count ${count}`);
  return group(String(count));
}

/**
 * A canonical decimal string as printed money: thousands grouped, at least two decimals, and every
 * significant decimal kept (a par value of 0.0001 must not print as 0.00). Works on the text, so
 * no precision is lost.
 */
export function formatAmount(decimal: string): string {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!match) throw new RangeError(`not a non-negative decimal: ${decimal}`);
  const integer = match[1].replace(/^0+(?=\d)/, '');
  const fraction = (match[2] ?? '').replace(/0+$/, '').padEnd(2, '0');
  return `${group(integer)}.${fraction}`;
}

/** "2024-06-30" → "30 June 2024": unambiguous in every locale. */
export function formatIssueDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${isoDate}`);
  return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1]} ${match[1]}`;
}
