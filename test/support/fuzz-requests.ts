import fc from 'fast-check';
import { schemaBody } from './fuzz-values';
import type { WriteOperation } from './openapi-writes';
import type { RawResponse } from './raw-http';

/** fast-check arbitraries for whole hostile requests to one write operation. */

export type Caller = 'admin' | 'auditor' | 'anonymous' | 'forged';

export interface Attempt {
  kind: string;
  caller: Caller;
  path: string;
  contentType?: string;
  body?: Buffer;
  /** Idempotency-Key (where the operation takes one), x-request-id, user-agent. */
  headers: Record<string, string>;
}

export interface FuzzTarget {
  op: WriteOperation;
  /** A valid body, made fresh per run (unique names and emails, real ids). */
  base: () => Record<string, unknown>;
  /** A real id for the path parameter, when the path has one. */
  realId?: () => string;
  /** The company of a route under /api/companies/{company_id}/ (always a real one). */
  companyId?: () => string;
}

/** fc.anything with every option on, written as JSON (bigints as digit strings). */
const anythingAsJson = fc
  .anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
  })
  .map(
    (value) =>
      JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ?? '',
  );

const malformedJson = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  // prettier-ignore
  fc.constantFrom(
    '', ' ', '{', '{"a":', '{"a":1,}', "{'a':1}", '{"a":1}{"b":2}', '{"a":1} x', 'NaN', 'undefined',
    '{"a":NaN}', '{"a":Infinity}', '{"a":01}', '{"a":.5}', '\ufeff{"a":1}', '{"a":"\\x00"}',
    '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":"\\ud800"}', '{"a":1,"a":2}',
  ),
);

const formBodies = fc.oneof(
  fc
    .dictionary(fc.string({ maxLength: 10 }), fc.string({ unit: 'binary', maxLength: 20 }))
    .map((entries) => new URLSearchParams(entries).toString()),
  fc.constantFrom(
    'name=a&name=b',
    'a[b]=1',
    '__proto__[x]=1',
    'name=%00',
    'name=%ZZ',
    '=&=&',
    '&&&',
    'x',
  ),
);

// prettier-ignore
const otherContentTypes = fc.constantFrom(
  'text/plain', 'text/plain; charset=utf-8', 'application/xml', 'multipart/form-data',
  'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/octet-stream',
  'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/problem+json',
  'application/vnd.api+json', 'APPLICATION/JSON', 'application/json;', 'application/jsonx', '*/*',
  ';', 'application/json, text/plain', 'x/y; a="', `application/json; ${'p=1; '.repeat(200)}`,
);

/** A path segment that is not an id: any text (percent-encoded as UTF-8), or a crafted one. */
const junkSegment = fc.oneof(
  fc
    .string({ unit: 'binary', maxLength: 40 })
    .map((value) => encodeURIComponent(value.toWellFormed())),
  // prettier-ignore
  fc.constantFrom(
    '', '%', '%ZZ', '%00', '%C0%AF', '%ED%A0%80', '%FF', '..', '.', '%2e%2e', '%2F', 'null', '-1',
    '1e3', '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
    '%7B00000000-0000-0000-0000-000000000000%7D', 'x'.repeat(101),
  ),
);

/** Header text Node lets a client send (visible ASCII and Latin-1), long ones included. */
const headerJunk = fc.string({
  unit: fc
    .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff }))
    .map((code) => String.fromCharCode(code)),
  maxLength: 300,
});

type Body = Pick<Attempt, 'kind' | 'contentType' | 'body'>;

const asJson = (kind: string) => (text: string | Buffer) => ({
  kind,
  contentType: 'application/json',
  body: Buffer.from(text),
});

function bodies({ op, base }: FuzzTarget): fc.Arbitrary<Body> {
  const someText = fc.oneof(
    formBodies,
    malformedJson,
    fc.constant(null).map(() => JSON.stringify(base())),
  );
  return fc.oneof(
    { weight: 6, arbitrary: schemaBody(op.bodySchema ?? {}, base).map(asJson('schema')) },
    {
      weight: 2,
      arbitrary: fc.jsonValue().map((value) => asJson('jsonValue')(JSON.stringify(value))),
    },
    { weight: 1, arbitrary: anythingAsJson.map(asJson('anything')) },
    { weight: 1, arbitrary: malformedJson.map(asJson('malformed')) },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 80 })
        .map((bytes) => asJson('bytes')(Buffer.from(bytes))),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(otherContentTypes, someText).map(([contentType, text]) => ({
        kind: 'content type',
        contentType,
        body: Buffer.from(text),
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Body>(
        { kind: 'no body' },
        { kind: 'no content type', body: Buffer.from('{"a":1}') },
      ),
    },
  );
}

/** The path with its parameter a real id, a random UUID or junk. */
function paths({ op, realId, companyId }: FuzzTarget): fc.Arbitrary<string> {
  const inCompany = (path: string): string => {
    if (!op.pathParams.includes('company_id')) return path;
    if (!companyId) throw new Error(`no company for ${op.method} ${op.template}`);
    return path.replace('{company_id}', companyId());
  };
  if (op.pathParams.every((name) => name === 'company_id'))
    return fc.constant(null).map(() => inCompany(op.template));
  if (!realId) throw new Error(`no real id for the path parameter of ${op.method} ${op.template}`);
  return fc
    .oneof(
      { weight: 4, arbitrary: fc.constant(null).map(realId) },
      { weight: 1, arbitrary: fc.uuid() },
      { weight: 2, arbitrary: junkSegment },
    )
    .map((id) => inCompany(op.template).replace(/\{[^}]+\}/, id));
}

function headers(op: WriteOperation): fc.Arbitrary<Record<string, string>> {
  const idempotencyKey = fc.oneof(
    fc.constantFrom('fuzz-key-a', 'fuzz-key-b'),
    fc.uuid(),
    headerJunk,
  );
  return fc.record(
    {
      ...(op.headerParams.includes('Idempotency-Key') ? { 'idempotency-key': idempotencyKey } : {}),
      'x-request-id': fc.oneof(headerJunk, fc.constantFrom('fuzz-request', 'r'.repeat(128))),
      'user-agent': headerJunk,
    },
    { requiredKeys: [] },
  );
}

/** Mostly an admin (the route is reached); now and then an auditor, nobody, or a forged token. */
const callers = fc.oneof(
  { weight: 16, arbitrary: fc.constant<Caller>('admin') },
  { weight: 1, arbitrary: fc.constantFrom<Caller>('auditor', 'anonymous', 'forged') },
);

/** Hostile requests to one operation; fast-check prints them as describeAttempt does. */
export function attempts(target: FuzzTarget): fc.Arbitrary<Attempt> {
  return fc
    .record({
      path: paths(target),
      caller: callers,
      body: bodies(target),
      headers: headers(target.op),
    })
    .map(({ body, ...rest }) => ({ ...rest, ...body }))
    .map((attempt) =>
      Object.assign(attempt, { [fc.toStringMethod]: () => describeAttempt(target.op, attempt) }),
    );
}

/** The request (its body cut to 300 characters) and, when given, the answer. */
export function describeAttempt(
  op: WriteOperation,
  attempt: Attempt,
  response?: RawResponse,
): string {
  const body = attempt.body?.toString('utf8') ?? '';
  const shown = body.length > 300 ? `${body.slice(0, 300)}… (${body.length} characters)` : body;
  const lines = [
    `${op.method} ${attempt.path} as ${attempt.caller} [${attempt.kind}]`,
    `  content-type: ${attempt.contentType ?? '(none)'}; headers: ${JSON.stringify(attempt.headers)}`,
    `  body: ${JSON.stringify(shown)}`,
  ];
  if (response) {
    const type = String(response.headers['content-type']);
    lines.push(`  answer: ${response.status} ${type} ${response.text.slice(0, 500)}`);
  }
  return lines.join('\n');
}
