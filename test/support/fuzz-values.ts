import fc from 'fast-check';
import type { SchemaObject } from './openapi-writes';

/**
 * fast-check arbitraries for hostile JSON values. Values are JSON *text* fragments, so a body can
 * hold what JSON.stringify cannot write: 1e999, -0, 30-digit integers, duplicate keys, raw nesting.
 */

const json = (value: unknown): string => JSON.stringify(value);
const texts = (values: readonly string[]) => fc.constantFrom(...values.map((value) => json(value)));

// prettier-ignore
const wrongTypes = fc.constantFrom('null', 'true', 'false', '[]', '{}', '[1]', '{"a":1}', '""', '0');

/** A string with one C0 control character or DEL in it (tab, LF and CR are allowed text). */
const controlCharacters = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.oneof(
      fc.integer({ min: 0, max: 8 }),
      fc.constantFrom(11, 12, 127),
      fc.integer({ min: 14, max: 31 }),
    ),
    fc.string({ maxLength: 8 }),
  )
  .map(([before, code, after]) => json(`${before}${String.fromCharCode(code)}${after}`));

/** JSON.stringify writes a lone surrogate as its \uXXXX escape, which parses back to it. */
const loneSurrogates = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.integer({ min: 0xd800, max: 0xdfff }),
    fc.string({ maxLength: 8 }),
  )
  .map(([before, code, after]) => json(`${before}${String.fromCharCode(code)}${after}`));

/** Up to about 1.6 MB of UTF-8, so some bodies pass the 1 MiB limit. */
const hugeStrings = fc
  .tuple(fc.integer({ min: 256, max: 400_000 }), fc.constantFrom('x', 'é', '😀', ' ', '0'))
  .map(([length, unit]) => json(unit.repeat(length)));

/** Arrays or objects nested 2 to 5,000 deep (the rule allows 32). */
const deepNesting = fc
  .tuple(fc.integer({ min: 2, max: 5_000 }), fc.boolean())
  .map(([depth, asArray]) =>
    asArray
      ? `${'['.repeat(depth)}${']'.repeat(depth)}`
      : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );

const hugeNumbers = fc.oneof(
  // prettier-ignore
  fc.constantFrom(
    '1e308', '1e999', '-1e999', '1e-400', '4.9e-324', '-0', '9007199254740993',
    '123456789012345678901234567890', '1000000000000000', '1000000000000001', '1E15', '2e15',
  ),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
);

/** Share counts that are not positive whole numbers (and a few that are, written oddly). */
const badShareCounts = fc.oneof(
  fc.integer({ min: -1_000_000_000, max: 0 }).map(String),
  fc
    .double({ min: -1e6, max: 1e6, noNaN: true })
    .filter((n) => !Number.isInteger(n))
    .map(String),
  fc.constantFrom('0.5', '1.5', '-1', '-0', '1.0', '10e-1', '1e0', '0.1e1'),
  texts(['1', '1000', '-1', '1.5', 'one', '']),
);

const badDates = fc.oneof(
  // prettier-ignore
  texts([
    '2024-02-30', '2023-02-29', '2024-13-01', '2024-00-10', '2024-06-00', '0000-01-01',
    '1899-12-31', '3000-01-01', '99999-01-01', '2024-6-3', '2024-06-30T00:00:00Z', ' 2024-06-30',
    '2024/06/30', '+002024-06-30', '２０２４-０６-３０', 'today', '', '2024-06-30\n',
  ]),
  fc.date({ noInvalidDate: true }).map((date) => json(date.toISOString())),
  fc
    .tuple(
      fc.integer({ min: -99, max: 99_999 }),
      fc.integer({ min: -1, max: 99 }),
      fc.integer({ min: -1, max: 99 }),
    )
    .map(([y, m, d]) => json(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)),
);

// prettier-ignore
const badDecimals = texts([
  '-1', '-0', '-0.0', '1e3', '0x10', '1_000', 'Infinity', 'NaN', '1.', '.5', ' 1 ', '1,5', '１',
  '0.00000000001', '123456789012345678901', '99999999999999999999.9999999999', '', '+1',
]);

const strings = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }).map(json),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map(json),
  fc.emailAddress().map(json),
  fc.uuid().map(json),
  // prettier-ignore
  texts([' ', '   ', '\t', '\r\n', '\ufeff', '\u200b', '\u202e', 'null', 'undefined', '<script>', "' OR 1=1 --"]),
);

/** Any hostile value, for any property. */
export const junkValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: wrongTypes, weight: 3 },
  { arbitrary: strings, weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }).map(json), weight: 2 },
  { arbitrary: hugeNumbers, weight: 2 },
  { arbitrary: controlCharacters, weight: 1 },
  { arbitrary: loneSurrogates, weight: 1 },
  { arbitrary: hugeStrings, weight: 1 },
  { arbitrary: deepNesting, weight: 1 },
);

const isDateExample = (schema: SchemaObject): boolean =>
  typeof schema.example === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(schema.example);

/** A hostile value for one property: anything, or more often what is wrong for its kind. */
export function junkFor(schema: SchemaObject): fc.Arbitrary<string> {
  const typed: Array<fc.Arbitrary<string>> = [];
  if (schema.type === 'number' || schema.type === 'integer')
    typed.push(badShareCounts, hugeNumbers);
  if (isDateExample(schema)) typed.push(badDates);
  // Decimals are declared as `object` (string or number) or as oneOf.
  if (schema.oneOf || schema.type === 'object') typed.push(badDecimals, hugeNumbers);
  if (schema.format === 'uuid') typed.push(fc.uuid().map(json));
  if (schema.enum) typed.push(texts(schema.enum.map((value) => String(value).toLowerCase())));
  if (typed.length === 0) return junkValue;
  return fc.oneof(
    { arbitrary: junkValue, weight: 1 },
    { arbitrary: fc.oneof(...typed), weight: 2 },
  );
}

const calendarDates = fc
  .date({ min: new Date('1900-01-01'), max: new Date('2999-12-31'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

/** Up to 20 integer digits and 10 decimals, as text or (now and then) as a JSON number. */
const decimals = fc.oneof(
  fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }), fc.option(fc.stringMatching(/^\d{1,10}$/)))
    .map(([integer, fraction]) => (fraction ? `${integer}.${fraction}` : String(integer))),
  fc.double({ min: 0, max: 1e6, noNaN: true }),
);

/**
 * Text up to the declared length, the longest allowed included: in characters of one and two
 * UTF-16 units, and in user-perceived characters of two code points (❤️ is U+2764 U+FE0F).
 */
function textUpTo(maxLength = 100): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(maxLength, 100) }),
    fc.constantFrom('x', 'é', '😀').map((unit) => unit.repeat(Math.floor(maxLength / unit.length))),
    fc.constant('\u2764\ufe0f'.repeat(maxLength)),
  );
}

/**
 * A value of the property's own kind, mostly valid: its example, null where allowed, numbers from
 * its minimum to its maximum (both included), calendar dates, decimals, UUIDs, text up to its
 * maximum length. These reach the service and the database rather than the validation.
 */
export function plausibleFor(schema: SchemaObject): fc.Arbitrary<string> {
  if (schema.enum) return fc.constantFrom(...schema.enum).map(json);
  const options: Array<fc.Arbitrary<unknown>> = [];
  if (schema.example !== undefined) options.push(fc.constant(schema.example));
  if (schema.nullable) options.push(fc.constant(null));
  if (schema.type === 'number' || schema.type === 'integer') {
    const min = schema.minimum ?? 0;
    const max = Math.min(schema.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER);
    options.push(fc.integer({ min, max }), fc.constantFrom(min, max));
  } else if (isDateExample(schema)) options.push(calendarDates);
  else if (schema.oneOf || schema.type === 'object') options.push(decimals);
  else if (schema.format === 'uuid') options.push(fc.uuid());
  else options.push(textUpTo(schema.maxLength));
  return fc.oneof(...options).map(json);
}

// prettier-ignore
const extraKeys = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'id', 'company_id', 'created_at', ''),
);

type Entry = readonly [name: string, json: string];

const seldom = <T>(arbitrary: fc.Arbitrary<T[]>): fc.Arbitrary<T[]> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant<T[]>([]) }, { weight: 1, arbitrary });

/**
 * A body built from a valid one (`base()`, made fresh per run). Mostly hostile: one property
 * replaced with a hostile value, so the rest is valid and the value reaches past the first check
 * that would refuse it; sometimes several; now and then required properties left out or up to two
 * added (names of existing ones included, which makes duplicate keys). Otherwise plausible: some
 * properties given values of their own kind, to reach the service and the database.
 */
export function schemaBody(
  schema: SchemaObject,
  base: () => Record<string, unknown>,
): fc.Arbitrary<string> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  const required = schema.required ?? [];
  const replacement = (name: string) =>
    junkFor(properties[name] ?? {}).map((value): Entry => [name, value]);
  const one = names.length ? fc.constantFrom(...names).map((name) => [name]) : fc.constant([]);
  const replaced = fc
    .oneof({ weight: 3, arbitrary: one }, { weight: 1, arbitrary: fc.subarray(names) })
    .chain((picked) => fc.tuple(...picked.map(replacement)));
  const extra = fc.tuple(fc.oneof(extraKeys, fc.constantFrom(...names, 'x')), junkValue);
  const hostile = fc.record({
    replaced,
    dropped: required.length ? seldom(fc.subarray(required, { minLength: 1 })) : fc.constant([]),
    extras: seldom(fc.array(extra, { minLength: 1, maxLength: 2 })),
  });
  const plausible = fc
    .subarray(names)
    .chain((picked) =>
      fc.tuple(
        ...picked.map((name) => plausibleFor(properties[name] ?? {}).map((v): Entry => [name, v])),
      ),
    )
    .map((values) => ({ replaced: values, dropped: [] as string[], extras: [] as Entry[] }));
  return fc
    .oneof({ weight: 3, arbitrary: hostile }, { weight: 1, arbitrary: plausible })
    .map(({ replaced: replacements, dropped, extras }) => {
      const changed = new Set([...dropped, ...replacements.map(([name]) => name)]);
      const kept = Object.entries(base())
        .filter(([name]) => !changed.has(name))
        .map(([name, value]): Entry => [name, json(value)]);
      const entries: Entry[] = [...kept, ...replacements, ...extras];
      return `{${entries.map(([name, value]) => `${json(name)}:${value}`).join(',')}}`;
    });
}
