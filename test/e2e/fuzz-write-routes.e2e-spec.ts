import fc from 'fast-check';
import { MAX_SHARES } from '../../src/core/money/money';
import { DefaultCompany } from '../../src/core/tenancy/default-company';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  Api,
  givenCompany,
  givenIssuance,
  givenShareClass,
  givenShareholder,
  unique,
} from '../support/api';
import { startApp, TestApp } from '../support/app';
import { closeDb, db } from '../support/db';
import { Attempt, attempts, Caller, describeAttempt } from '../support/fuzz-requests';
import { tokenFor } from '../support/keycloak';
import {
  OpenApiDocument,
  operationName,
  SchemaObject,
  WriteOperation,
  writeOperations,
} from '../support/openapi-writes';
import { closeRawHttp, rawRequest, RawResponse } from '../support/raw-http';
import { changedCounts, RowCounts } from '../support/row-counts';
import { eventually } from '../support/wait';

/**
 * Property-based fuzzing of every write operation in the app's own OpenAPI document. Every answer
 * must be a success or a 4xx problem+json whose `status` is the HTTP status (with a request id),
 * never a 5xx; and a refused request must write nothing.
 *
 * What "writes nothing" means: on a 4xx the row count of every table of the schema is unchanged,
 * except for the security record. A refusal may be audited (a denied access, a failed login, a
 * refused OCF import): it then adds an `access.denied`, `auth.login_failed` or
 * `ocf.package_refused` event to outbox_event, which the relay turns
 * into an audit_entry and a processed_event. Those three tables are therefore checked through the
 * outbox only: no event of any other type may appear. Every other table, the business tables
 * (shareholder, shareholder_version, company, share_class, issuance, certificate*,
 * idempotency_key) and any table added later, must keep its count exactly. Before each request
 * the test waits until background work (event delivery, certificate renders) has settled, so what
 * it sees is the request's own effect.
 *
 * Reproducible: a fixed seed by default, printed by fast-check on failure. FUZZ_SEED and FUZZ_RUNS
 * (runs per operation) override it; FUZZ_SHRINK=1 lets fast-check shrink a failure (slower, and
 * the database has moved on by then, so a shrunk case may need checking by hand).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_201);
const SHRINK = process.env.FUZZ_SHRINK === '1';

const OUTBOX_ONLY = new Set(['outbox_event', 'audit_entry', 'processed_event']);
/** Refusals that are audited: a denied access, a failed login, a refused OCF import (its one trace). */
const SECURITY_EVENT_TYPES = ['access.denied', 'auth.login_failed', 'ocf.package_refused'];
/** Never send a password guess for a realm user: Keycloak would lock the account for everyone. */
const REALM_USERNAME = /admin|auditor|shareholder/i;
/** The answers must come from the routes, not from the rate limit or a refused admin token. */
const MAX_UNREACHED_SHARE = 0.01;

const letters = () =>
  Array.from({ length: 6 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join(
    '',
  );

describe('every write route under fuzzed input', () => {
  let testApp: TestApp;
  let port: number;
  let doc: OpenApiDocument;
  let rows: RowCounts;
  const tokens: Partial<Record<Caller, string>> = {};
  const ids = {
    holder: '',
    transferee: '',
    shareClass: '',
    certificate: '',
    event: '',
    company: '',
    member: '',
    plan: '',
    grant: '',
    securities: [] as string[],
  };
  let nextSecurity = 0;
  /** The ledger routes spend their security: each attempt takes the next of a pool (then 409s). */
  const security = () => ids.securities[nextSecurity++ % ids.securities.length];
  const statuses = new Map<string, Map<number, number>>();
  let unreached = 0;

  /** Valid values for properties whose examples would collide or point nowhere. */
  const realValues: Record<string, () => unknown> = {
    name: () => unique('Fuzz'),
    email: () => `${unique('fuzz').toLowerCase()}@example.com`,
    user_id: () => randomUUID(),
    certificate_prefix: letters,
    shareholder_id: () => ids.holder,
    to_shareholder_id: () => ids.transferee,
    share_class_id: () => ids.shareClass,
    stock_plan_id: () => ids.plan,
    username: () => 'fuzz-nobody',
    password: () => 'fuzz-wrong-password',
    // The most there can be: a company-wide limit set on the suite's shared company by the fuzz
    // (POST /api/company/authorized-shares-adjustments) never refuses another suite's issuance.
    authorized_shares: () => MAX_SHARES,
  };

  /** A real id for each path template's parameter: the rows made in beforeAll. */
  const realIds: Record<string, () => string> = {
    '/api/shareholders/{id}': () => ids.holder,
    '/api/share-classes/{id}': () => ids.shareClass,
    '/api/certificates/{id}/reissue': () => ids.certificate,
    '/api/certificates/{id}/void': () => ids.certificate,
    // A real event, though not a dead-lettered one: the fuzz cannot make a delivery fail.
    '/api/events/dead-letters/{id}/retry': () => ids.event,
    '/api/companies/{company_id}/members/{id}': () => ids.member,
    '/api/issuances/{id}/transfers': security,
    '/api/issuances/{id}/cancellations': security,
    '/api/issuances/{id}/repurchases': security,
    '/api/issuances/{id}/reissuances': security,
    '/api/issuances/{id}/conversions': security,
    // An original issuance is a ledger line of its own: reversing it is a correction.
    '/api/transactions/{id}/reversal': security,
    '/api/share-classes/{id}/conversion-ratio-adjustments': () => ids.shareClass,
    '/api/share-classes/{id}/splits': () => ids.shareClass,
    '/api/share-classes/{id}/authorized-shares-adjustments': () => ids.shareClass,
    '/api/stock-plans/{id}': () => ids.plan,
    '/api/stock-plans/{id}/pool-adjustments': () => ids.plan,
    ...Object.fromEntries(
      [
        'exercises',
        'releases',
        'cancellations',
        'terminations',
        'vesting-events',
        'vesting-accelerations',
      ].map((route) => [`/api/grants/{id}/${route}`, () => ids.grant]),
    ),
  };

  /**
   * The write operations to fuzz: every unscoped one and the company-only ones (members); not the
   * `…ForCompany` twins under /api/companies/{company_id}/, which are the same handlers.
   */
  const operationsOf = (document: OpenApiDocument) =>
    writeOperations(document).filter((op) => !op.operationId?.endsWith('ForCompany'));

  beforeAll(async () => {
    testApp = await startApp(
      // The fuzz measures answers, not the rate limit; renders may start at once; no periodic
      // audit checkpoint is written between a refused request's before and after counts.
      {
        THROTTLE_LIMIT: 10_000_000,
        THROTTLE_LOGIN_LIMIT: 100_000,
        CERTIFICATE_RENDER_QUIET_MS: 0,
        AUDIT_CHECKPOINT_INTERVAL_MS: 0,
      },
      undefined,
      0,
    );
    port = (testApp.app.getHttpServer().address() as AddressInfo).port;
    const api = new Api(testApp);
    await givenCompany(api);
    ids.holder = (await givenShareholder(api)).id;
    ids.transferee = (await givenShareholder(api)).id;
    ids.shareClass = (await givenShareClass(api)).id;
    for (let i = 0; i < 40; i += 1) {
      const spendable = await givenIssuance(api, {
        shareholder_id: ids.holder,
        share_class_id: ids.shareClass,
        number_of_shares: 1000,
        date: '2020-01-01',
      });
      ids.securities.push(spendable.id);
    }
    const issuance = await givenIssuance(api, {
      shareholder_id: ids.holder,
      share_class_id: ids.shareClass,
      number_of_shares: 10,
    });
    ids.certificate = await eventually(
      async () => {
        const found = await api.get(`/api/certificates/?issuance_id=${issuance.id}`);
        return (found.body as Array<{ id: string }>)[0]?.id;
      },
      30_000,
      'the first certificate',
    );
    const events = await db().query<{ id: string }>('SELECT id FROM outbox_event LIMIT 1');
    ids.event = events.rows[0].id;
    ids.company = await testApp.app.get(DefaultCompany).id();
    const member = await api.post(`/api/companies/${ids.company}/members`, {
      role: 'auditor',
      email: `${unique('fuzz-member').toLowerCase()}@example.com`,
    });
    ids.member = member.body.id;
    const plan = await api.post('/api/stock-plans/', {
      name: unique('Fuzz plan'),
      share_class_id: ids.shareClass,
      initial_shares_reserved: 1_000_000,
      default_cancellation_behavior: 'RETURN_TO_POOL',
    });
    ids.plan = plan.body.id;
    const grant = await api.post('/api/grants/', {
      shareholder_id: ids.holder,
      stock_plan_id: ids.plan,
      compensation_type: 'OPTION_NSO',
      quantity: 100_000,
      exercise_price: '1',
      grant_date: '2020-01-01',
    });
    ids.grant = grant.body.id;
    doc = (await api.get('/docs-json', 'anonymous')).body as OpenApiDocument;
    tokens.admin = await tokenFor('admin');
    tokens.auditor = await tokenFor('auditor');
    rows = await RowCounts.prepare(OUTBOX_ONLY, SECURITY_EVENT_TYPES);
  });
  afterAll(async () => {
    closeRawHttp();
    await testApp.close();
    await closeDb();
  });

  function baseBody(schema: SchemaObject | undefined): Record<string, unknown> {
    const body: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(schema?.properties ?? {})) {
      const value =
        realValues[name]?.() ?? property.example ?? property.default ?? property.enum?.[0];
      if (value !== undefined) body[name] = value;
    }
    return body;
  }

  function headersOf(attempt: Attempt): Record<string, string> {
    const headers: Record<string, string> = { ...attempt.headers };
    if (attempt.contentType !== undefined) headers['content-type'] = attempt.contentType;
    if (attempt.caller === 'forged')
      headers.authorization = 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.';
    else if (attempt.caller !== 'anonymous')
      headers.authorization = `Bearer ${tokens[attempt.caller]}`;
    return headers;
  }

  /** Counts the answer; a rate limit, or an admin token refused, means the route was not reached. */
  function record(op: WriteOperation, attempt: Attempt, response: RawResponse): void {
    const name = operationName(op);
    const seen = statuses.get(name) ?? new Map<number, number>();
    seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
    statuses.set(name, seen);
    const tokenRefused =
      attempt.caller === 'admin' && response.text.includes('"AUTHENTICATION_REQUIRED"');
    if (response.status === 429 || tokenRefused) unreached += 1;
  }

  function problemOffence(response: RawResponse): string | null {
    if (response.status >= 500) return 'a server error';
    if (response.status < 400) return null;
    if (!/^application\/problem\+json/.test(String(response.headers['content-type'])))
      return 'a 4xx that is not application/problem+json';
    if (!response.headers['x-request-id']) return 'a 4xx without x-request-id';
    let problem: { status?: unknown; code?: unknown };
    try {
      problem = JSON.parse(response.text) as typeof problem;
    } catch {
      return 'a problem+json body that is not JSON';
    }
    if (problem.status !== response.status)
      return `a problem whose status (${String(problem.status)}) is not the HTTP status`;
    return typeof problem.code === 'string' ? null : 'a problem without a code';
  }

  async function check(op: WriteOperation, attempt: Attempt): Promise<void> {
    if (op.template === '/api/token')
      fc.pre(!REALM_USERNAME.test(attempt.body?.toString('utf8') ?? ''));
    const before = await rows.settled();
    const response = await rawRequest(port, {
      method: op.method,
      path: attempt.path,
      headers: headersOf(attempt),
      body: attempt.body,
    });
    record(op, attempt, response);
    const offence = problemOffence(response);
    if (offence) throw new Error(`${offence}:\n${describeAttempt(op, attempt, response)}`);
    if (response.status >= 400) {
      const changed = changedCounts(before, (await rows.now()).counts);
      if (changed.length > 0)
        throw new Error(
          `a refused request changed ${changed.join(', ')}:\n${describeAttempt(op, attempt, response)}`,
        );
    } else if (op.template.endsWith('/reissue') && attempt.path.includes(ids.certificate)) {
      ids.certificate = (JSON.parse(response.text) as { id: string }).id; // the version in force
    }
  }

  function summary(): { total: number; lines: string[] } {
    let total = 0;
    const lines = [...statuses].map(([name, seen]) => {
      const sorted = [...seen].sort(([a], [b]) => a - b);
      total += sorted.reduce((sum, [, n]) => sum + n, 0);
      return `${name}: ${sorted.map(([status, n]) => `${status}×${n}`).join(' ')}`;
    });
    return { total, lines };
  }

  it('finds the write operations of the OpenAPI document, each with a real id for its path', () => {
    const operations = operationsOf(doc);
    expect(operations.map(operationName)).toEqual(
      expect.arrayContaining([
        'POST /api/shareholders',
        'PATCH /api/shareholders/{id}',
        'POST /api/companies/{company_id}/members',
      ]),
    );
    const withoutRealId = operations.filter(
      (op) => op.pathParams.some((name) => name !== 'company_id') && !realIds[op.template],
    );
    expect(withoutRealId.map(operationName)).toEqual([]);
  });

  it('answers every fuzzed write with a success or a 4xx problem, and a refusal writes nothing', async () => {
    for (const op of operationsOf(doc)) {
      tokens.admin = await tokenFor('admin'); // renewed once the one held is near its expiry
      tokens.auditor = await tokenFor('auditor');
      const target = {
        op,
        base: () => baseBody(op.bodySchema),
        realId: realIds[op.template],
        companyId: () => ids.company,
      };
      await fc.assert(
        fc.asyncProperty(attempts(target), (attempt) => check(op, attempt)),
        { numRuns: RUNS, seed: SEED, endOnFailure: !SHRINK },
      );
    }
    const { total, lines } = summary();
    console.info(
      `fuzz seed ${SEED}, ${RUNS} runs per operation, ${total} requests\n${lines.join('\n')}`,
    );
    expect(unreached / total).toBeLessThanOrEqual(MAX_UNREACHED_SHARE);
    // Every refused request counts the rows of every table before and after: in the whole suite's
    // database, which the suites before it have filled, that takes twice as long as alone.
  }, 600_000);
});
