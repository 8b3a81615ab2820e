import { unique } from '../support/api';
import { ChildApp, startChildApp } from '../support/child-app';
import { tokenFor } from '../support/keycloak';
import { eventually } from '../support/wait';

interface LogLine {
  level: number;
  msg: string;
  context?: string;
  req?: { id?: string };
  query?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * The app as production runs it (its own process, JSON logs on stdout) at debug level, so that
 * even the lines of refused writes are there to inspect.
 */
describe('failed statements in the logs', () => {
  let child: ChildApp;
  let authorization: string;

  beforeAll(async () => {
    child = await startChildApp({ LOG_LEVEL: 'debug' }, [], { captureOutput: true });
    authorization = `Bearer ${await tokenFor('admin')}`;
  });
  afterAll(async () => {
    child.process.kill('SIGTERM');
    await child.exited;
  });

  const send = (method: string, path: string, body: object) =>
    fetch(`${child.url}${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  /** The lines logged while serving the request `requestId`, once its failed statement is in. */
  const linesOf = (requestId: string): Promise<LogLine[]> =>
    eventually(() => {
      const lines = child.stdout.map((line) => JSON.parse(line) as LogLine);
      const mine = lines.filter((line) => line.req?.id === requestId);
      return Promise.resolve(mine.some((line) => line.msg === 'query failed') ? mine : undefined);
    });

  it('logs a refused write as one JSON line with the constraint, without the values', async () => {
    const name = unique('Holder');
    const email = `${name.toLowerCase()}@example.com`;
    const taxId = `TX-${unique('tax')}`;
    const first = await send('POST', '/api/shareholders/', { name, email, tax_id: taxId });
    expect(first.status).toBe(201);

    const twinName = unique('Twin');
    const twin = await send('POST', '/api/shareholders/', {
      name: twinName,
      email: email.toUpperCase(),
      tax_id: taxId,
    });
    expect(twin.status).toBe(409);
    const other = await send('POST', '/api/shareholders/', {
      name: unique('Other'),
      email: `${unique('other')}@example.com`,
    });
    const otherId = ((await other.json()) as { id: string }).id;
    const renamed = await send('PATCH', `/api/shareholders/${otherId}`, { email });
    expect(renamed.status).toBe(409);

    for (const [response, statement] of [
      [twin, /^INSERT INTO "shareholder"/],
      [renamed, /^UPDATE "shareholder" SET/],
    ] as const) {
      const lines = await linesOf(response.headers.get('x-request-id') as string);
      const failures = lines.filter((line) => line.msg === 'query failed');
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({
        level: 20,
        context: 'TypeORM',
        query: {
          code: '23505',
          constraint: 'uq_shareholder_email_lower',
          table: 'shareholder',
          message: 'duplicate key value violates unique constraint "uq_shareholder_email_lower"',
        },
      });
      expect(failures[0].query?.sql).toMatch(statement);
      expect(failures[0].query).not.toHaveProperty('detail');
      // Nothing at error level: the service answered the refusal itself.
      expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    }

    // Every line the process wrote is JSON on stdout, and none holds a value of those requests.
    expect(child.stdout.length).toBeGreaterThan(0);
    expect(child.stderr).toEqual([]);
    const output = child.stdout.map((line) => JSON.stringify(JSON.parse(line))).join('\n');
    for (const value of [email, name, twinName, taxId])
      expect(output.toLowerCase()).not.toContain(value.toLowerCase());
  });
});
