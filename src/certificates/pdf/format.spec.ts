import { formatAmount, formatIssueDate, formatShares } from './format';

describe('certificate formatting', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1234567, '1,234,567'],
    [1_000_000_000_000_000, '1,000,000,000,000,000'],
  ])('groups the share count %p as %p', (count, text) => {
    expect(formatShares(count)).toBe(text);
  });

  it.each([
    ['0', '0.00'],
    ['1', '1.00'],
    ['1.5', '1.50'],
    ['19.99', '19.99'],
    ['1234.5678', '1,234.5678'],
    ['0.0001', '0.0001'],
    ['0.1000000000', '0.10'],
    ['100000000000000000000.0000000001', '100,000,000,000,000,000,000.0000000001'],
  ])('prints the amount %p as %p, keeping every significant decimal', (decimal, text) => {
    expect(formatAmount(decimal)).toBe(text);
  });

  it('refuses an amount that is not a decimal', () => {
    expect(() => formatAmount('1e5')).toThrow(RangeError);
  });

  it('writes the issue date with the month in words', () => {
    expect(formatIssueDate('2024-06-30')).toBe('30 June 2024');
    expect(formatIssueDate('2019-01-05')).toBe('5 January 2019');
  });
});
