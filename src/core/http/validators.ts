import { registerDecorator, ValidationOptions } from 'class-validator';
import { canonicalDecimal, MAX_PRICE_DECIMALS, MAX_PRICE_INTEGER_DIGITS } from '../money/money';

/** A real calendar day written YYYY-MM-DD, between 1900 and 2999. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  const year = parsed.getUTCFullYear();
  return (
    !Number.isNaN(parsed.getTime()) &&
    parsed.toISOString().slice(0, 10) === value &&
    year >= 1900 &&
    year <= 2999
  );
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a calendar date written YYYY-MM-DD', ...options },
      validator: { validate: isCalendarDate },
    });
}

/** A non-negative decimal given as a JSON number or a decimal string, up to 10 decimals. */
export function IsDecimalAmount(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDecimalAmount',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `$property must be a non-negative decimal (JSON number or string) with at most ${MAX_PRICE_INTEGER_DIGITS} integer digits and ${MAX_PRICE_DECIMALS} decimals`,
        ...options,
      },
      validator: { validate: (value: unknown) => canonicalDecimal(value) !== null },
    });
}

/** Unicode code points: what PostgreSQL's varchar(n) and JSON Schema's maxLength count. */
function codePoints(value: string): number {
  return value.length - (value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
}

/**
 * A string of at most `max` characters, counted as the database counts them. class-validator's
 * MaxLength counts as validator.js does, which leaves out the variation selectors U+FE0E and
 * U+FE0F: 200 "❤️" (U+2764 U+FE0F) passed MaxLength(200) and then broke varchar(200) with a 500.
 */
export function MaxChars(max: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'maxChars',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [max],
      options: { message: `$property must be at most ${max} characters long`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && (value.length <= max || codePoints(value) <= max),
      },
    });
}

/** Today's date in UTC, as YYYY-MM-DD. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
