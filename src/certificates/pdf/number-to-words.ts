const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
/** Short scale, as used on US and UK share certificates alike. */
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion'];

function belowThousand(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const parts: string[] = [];
  if (hundreds > 0) parts.push(`${ONES[hundreds]} hundred`);
  if (rest >= 20) {
    const unit = rest % 10;
    parts.push(
      unit === 0 ? TENS[Math.floor(rest / 10)] : `${TENS[Math.floor(rest / 10)]}-${ONES[unit]}`,
    );
  } else if (rest > 0) {
    parts.push(ONES[rest]);
  }
  return parts.join(' ');
}

/**
 * A whole number in English words, lower case, without "and": 1234 → "one thousand two hundred
 * thirty-four". Share counts are safe integers (at most 10^15 here), so the short scale up to
 * quadrillions covers every value this accepts.
 */
export function numberToWords(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${value} is not a non-negative safe integer`);
  }
  if (value === 0) return ONES[0];
  const groups: string[] = [];
  let rest = value;
  for (let scale = 0; rest > 0; scale += 1) {
    const group = rest % 1000;
    if (group > 0)
      groups.unshift(
        scale === 0 ? belowThousand(group) : `${belowThousand(group)} ${SCALES[scale]}`,
      );
    rest = Math.floor(rest / 1000);
  }
  return groups.join(' ');
}

/** "one thousand" → "One thousand", as printed in a sentence. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
