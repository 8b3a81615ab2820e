import { canonicalDecimal, Money, normalizeNumeric, shareCount, totalAmount } from './money';

describe('totalAmount', () => {
  it.each([
    [3, '0.1', '0.3'],
    [10, '0.07', '0.7'],
    [1_000_000, '0.0000000001', '0.0001'],
    [
      999_999_999_999,
      '12345678901234567890.1234567891',
      '12345678901222222211222222221209.8765432109',
    ],
    [7, '0', '0'],
  ])('multiplies %d × %s exactly to %s', (shares, price, expected) => {
    expect(totalAmount(shares, price)).toBe(expected);
  });

  it('is exact where floating point is not', () => {
    expect(3 * 0.1).not.toBe(0.3);
    expect(totalAmount(3, canonicalDecimal(0.1) as string)).toBe('0.3');
  });
});

describe('canonicalDecimal', () => {
  it('accepts JSON numbers and decimal strings and normalises them', () => {
    expect(canonicalDecimal(0.1)).toBe('0.1');
    expect(canonicalDecimal('1.2500')).toBe('1.25');
    expect(canonicalDecimal('0')).toBe('0');
    expect(canonicalDecimal('0.0000000001')).toBe('0.0000000001');
  });

  it.each([
    [-1],
    ['-0.5'],
    ['0.00000000001'],
    [1e21],
    ['1e3'],
    ['abc'],
    [''],
    [NaN],
    [Infinity],
    [null],
    [true],
    ['123456789012345678901'],
  ])('refuses %p', (value) => {
    expect(canonicalDecimal(value)).toBeNull();
  });
});

describe('normalizeNumeric and shareCount', () => {
  it('strips the trailing zeros PostgreSQL pads numerics with', () => {
    expect(normalizeNumeric('0.1000000000')).toBe('0.1');
  });

  it.each([
    ['0.0000000000', '0'],
    ['100.0000000000', '100'],
    ['100', '100'],
    ['1.2500000000', '1.25'],
    ['0.0000000001', '0.0000000001'],
    ['007.50', '7.5'],
    ['12345678901234567890.1234567890', '12345678901234567890.123456789'],
    ['-1.50', '-1.5'],
    ['1e3', '1000'],
  ])('normalises %s exactly as a decimal would (%s)', (raw, expected) => {
    expect(normalizeNumeric(raw)).toBe(expected);
    expect(normalizeNumeric(raw)).toBe(new Money(raw).toFixed());
  });

  it('refuses share counts beyond the exact integer range', () => {
    expect(shareCount('1000')).toBe(1000);
    expect(() => shareCount('9007199254740993')).toThrow();
  });
});
