import { capitalize, numberToWords } from './number-to-words';

describe('numberToWords', () => {
  it.each([
    [0, 'zero'],
    [1, 'one'],
    [13, 'thirteen'],
    [20, 'twenty'],
    [21, 'twenty-one'],
    [99, 'ninety-nine'],
    [100, 'one hundred'],
    [101, 'one hundred one'],
    [110, 'one hundred ten'],
    [999, 'nine hundred ninety-nine'],
    [1000, 'one thousand'],
    [1001, 'one thousand one'],
    [1234, 'one thousand two hundred thirty-four'],
    [10_000, 'ten thousand'],
    [100_000, 'one hundred thousand'],
    [1_000_000, 'one million'],
    [1_000_001, 'one million one'],
    [2_500_000, 'two million five hundred thousand'],
    [1_000_000_000, 'one billion'],
    [1_000_000_000_000, 'one trillion'],
    [1_000_000_000_000_000, 'one quadrillion'],
    [
      Number.MAX_SAFE_INTEGER,
      'nine quadrillion seven trillion one hundred ninety-nine billion two hundred fifty-four million seven hundred forty thousand nine hundred ninety-one',
    ],
  ])('writes %p as %p', (value, words) => {
    expect(numberToWords(value)).toBe(words);
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('refuses %p', (value) => {
    expect(() => numberToWords(value)).toThrow(RangeError);
  });

  it('capitalizes the first letter only', () => {
    expect(capitalize(numberToWords(1234))).toBe('One thousand two hundred thirty-four');
  });
});
