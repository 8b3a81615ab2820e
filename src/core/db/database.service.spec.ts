import { DatabaseError } from 'pg';
import type { DataSource } from 'typeorm';
import { CompanyContext, MissingCompanyContextError } from '../tenancy/company-context';
import { Database, sql } from './database.service';

const COMPANY = '0b0e7a34-8f1c-4d3a-9b51-6f0c2a1d9e77';
const SET_COMPANY_TEXT = `SELECT set_config('app.company_id', $1, true)`;
/** What a transaction sends first: its company, and that its read-cache notifications wait. */
const TX_COMPANY_TEXT = `SELECT set_config('app.company_id', $1, true), set_config('app.read_cache_deferred', 'on', true)`;
const READ_PENDING_TEXT = `SELECT current_setting('app.read_cache_pending', true) AS pending`;

/** A pool whose one client records what it was sent; `fail` makes a statement fail. */
function poolWith(fail?: (text: string) => Error | undefined) {
  const sent: string[] = [];
  const release = jest.fn();
  const client = {
    query: jest.fn((query: string | { text: string }) => {
      const text = typeof query === 'string' ? query : query.text;
      sent.push(text);
      const error = fail?.(text);
      return error ? Promise.reject(error) : Promise.resolve({ rows: [{ n: 1 }], rowCount: 1 });
    }),
    release,
  };
  const pool = {
    connect: jest.fn().mockResolvedValue(client),
    query: jest.fn((query: { text: string }) => {
      sent.push(query.text);
      const error = fail?.(query.text);
      return error ? Promise.reject(error) : Promise.resolve({ rows: [], rowCount: 0 });
    }),
  };
  const logQueryError = jest.fn();
  const dataSource = {
    subscribers: [],
    driver: { master: pool },
    logger: { logQueryError },
  } as unknown as DataSource;
  return { db: new Database(dataSource), sent, release, pool, logQueryError };
}

describe('Database on the pool', () => {
  it('runs a statement in a transaction of its own that first sets the company (SET LOCAL)', async () => {
    const { db, sent, release } = poolWith();
    const result = await CompanyContext.run(COMPANY, () =>
      db.run(sql`SELECT count(*) AS n FROM shareholder`),
    );
    expect(result.rows).toEqual([{ n: 1 }]);
    expect(sent).toEqual([
      `BEGIN; SELECT set_config('app.company_id', '${COMPANY}', true)`,
      'SELECT count(*) AS n FROM shareholder',
      'COMMIT',
    ]);
    expect(release).toHaveBeenCalledWith(undefined);
  });

  it('refuses a statement when no company is resolved, and sends nothing', async () => {
    const { db, sent, pool } = poolWith();
    await expect(db.run(sql`SELECT 1 FROM shareholder`)).rejects.toBeInstanceOf(
      MissingCompanyContextError,
    );
    expect(sent).toEqual([]);
    expect(pool.connect).not.toHaveBeenCalled();
  });

  it('runs an unscoped statement on the pool as it is, with no company', async () => {
    const { db, sent, pool } = poolWith();
    await db.run(sql`SELECT app_first_company_id() AS id`, { unscoped: true });
    expect(sent).toEqual(['SELECT app_first_company_id() AS id']);
    expect(pool.connect).not.toHaveBeenCalled();
  });

  it('ends a failed statement’s transaction, logs it without its values, and rethrows', async () => {
    const failure = Object.assign(new DatabaseError('duplicate key value', 0, 'error'), {
      code: '23505',
    });
    const { db, sent, release, logQueryError } = poolWith((text) =>
      text.startsWith('UPDATE') ? failure : undefined,
    );
    const email = 'ada@example.com';
    const statement = sql`UPDATE holder SET email = ${email}`;

    await expect(CompanyContext.run(COMPANY, () => db.run(statement))).rejects.toBe(failure);
    // COMMIT of a failed transaction is its rollback; the connection goes back to the pool.
    expect(sent.slice(1)).toEqual([statement.text, 'COMMIT']);
    expect(release).toHaveBeenCalledWith(undefined);
    expect(logQueryError).toHaveBeenCalledTimes(1);
    expect(logQueryError.mock.calls[0]).toEqual([failure, statement.text]);
    expect(JSON.stringify(logQueryError.mock.calls[0])).not.toContain(email);
  });

  it('discards the connection when its transaction cannot be begun or ended', async () => {
    const lost = new Error('Connection terminated');
    const { db, release } = poolWith(() => lost);
    await expect(CompanyContext.run(COMPANY, () => db.run(sql`SELECT 1`))).rejects.toBe(lost);
    expect(release).toHaveBeenCalledWith(lost);
  });
});

describe('CompanyContext', () => {
  it('accepts only a UUID, so the id can never carry SQL', () => {
    expect(() => CompanyContext.run("x'); DROP TABLE shareholder; --", () => 1)).toThrow(
      /is not a UUID/,
    );
    expect(CompanyContext.run(COMPANY.toUpperCase(), () => CompanyContext.require())).toBe(COMPANY);
  });
});

/**
 * A data source whose one query runner records what it is sent, each statement taking a tick:
 * TypeORM's statements (savepoints, the company) through the runner, the modules' statements
 * straight on its connection.
 */
function unitOfWork() {
  const sent: string[] = [];
  /** What the transaction's read of `app.read_cache_pending` answers. */
  const answers: { pending: string | null } = { pending: null };
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const runner = {
    isTransactionActive: false,
    data: {},
    connect: jest.fn(),
    release: jest.fn(),
    startTransaction: jest.fn(() => {
      runner.isTransactionActive = true;
    }),
    commitTransaction: jest.fn(() => {
      runner.isTransactionActive = false;
      sent.push('COMMIT');
    }),
    rollbackTransaction: jest.fn(() => {
      runner.isTransactionActive = false;
      sent.push('ROLLBACK');
    }),
    query: jest.fn(async (text: string) => {
      await tick();
      sent.push(text);
      return { records: [], affected: 0 };
    }),

    databaseConnection: {
      query: jest.fn(async ({ text }: { text: string }) => {
        await tick();
        sent.push(text);
        if (text === READ_PENDING_TEXT)
          return { rows: [{ pending: answers.pending }], rowCount: 1 };
        return { rows: [], rowCount: 0 };
      }),
    },
    manager: {} as { queryRunner?: unknown; query?: unknown },
  };
  runner.manager = { queryRunner: runner, query: (text: string) => runner.query(text) };
  const dataSource = {
    subscribers: [],
    createQueryRunner: () => runner,
    // TypeORM's transaction(): begun and committed around `work`, on the same runner.
    transaction: async (work: (tx: unknown) => Promise<unknown>) => {
      runner.isTransactionActive = true;
      const result = await work(runner.manager);
      runner.isTransactionActive = false;
      sent.push('COMMIT');
      return result;
    },
    logger: { logQueryError: jest.fn() },
  } as unknown as DataSource;
  return { db: new Database(dataSource), sent, runner, answers };
}

describe('Database.transaction', () => {
  it("sends the transaction's statements on its connection in the order issued, a named one under its name", async () => {
    const { db, sent, runner } = unitOfWork();
    await CompanyContext.run(COMPANY, () =>
      db.transaction((tx) =>
        Promise.all([
          db.run(sql`SELECT ${1}`, { tx, name: 'first' }),
          db.run(sql`SELECT 2`, { tx }),
        ]),
      ),
    );
    expect(sent).toContain('COMMIT');
    expect(runner.databaseConnection.query.mock.calls.map(([query]) => query)).toEqual([
      { name: undefined, text: TX_COMPANY_TEXT, values: [COMPANY] },
      { name: 'first', text: 'SELECT $1', values: [1] },
      { name: undefined, text: 'SELECT 2', values: [] },
      { name: 'read_cache_pending', text: READ_PENDING_TEXT, values: [] },
    ]);
  });

  it("tells this process's read cache what a transaction changed once it committed, and only then", async () => {
    const { db, answers } = unitOfWork();
    const heard: string[] = [];
    db.onReadCacheChange((payload) => heard.push(payload));
    // The NOTIFY to the other instances goes nowhere here: the e2e tests hear it.
    Object.defineProperty(db, 'pool', { value: { query: () => Promise.resolve() } });
    answers.pending = `issuance:${COMPANY}:a shareholder:${COMPANY}:b`;
    await CompanyContext.run(COMPANY, async () => {
      await db.transaction(() => Promise.resolve());
      expect(heard).toEqual([`issuance:${COMPANY}:a`, `shareholder:${COMPANY}:b`]);
      answers.pending = '*';
      await db.transaction(() => Promise.resolve());
      expect(heard.at(-1)).toBe('issuance:*');
      const failing = db.transaction(() => Promise.reject(new Error('refused')));
      await expect(failing).rejects.toThrow('refused');
    });
    expect(heard).toHaveLength(3);
  });

  it('plans the named statements once only when asked (genericPlans), for that transaction', async () => {
    const { db, sent } = unitOfWork();
    await CompanyContext.run(COMPANY, async () => {
      await db.transaction(() => Promise.resolve(), { genericPlans: true });
      await db.transaction(() => Promise.resolve());
    });
    expect(sent[0]).toContain("set_config('plan_cache_mode', 'force_generic_plan', true)");
    expect(sent[0]).toContain("set_config('app.company_id', $1, true)");
    expect(sent.filter((text) => text !== 'COMMIT' && text !== READ_PENDING_TEXT)[1]).toBe(
      TX_COMPANY_TEXT,
    );
  });

  it('logs a failed statement of a transaction without its values, and rethrows it', async () => {
    const { db, runner } = unitOfWork();
    const refused = new Error('refused');
    const answer = runner.databaseConnection.query.getMockImplementation();
    runner.databaseConnection.query.mockImplementation((query: { text: string }) =>
      query.text === 'SELECT $1' ? Promise.reject(refused) : answer!(query),
    );
    await expect(
      CompanyContext.run(COMPANY, () =>
        db.transaction((tx) => db.run(sql`SELECT ${'secret'}`, { tx })),
      ),
    ).rejects.toBe(refused);
    const logger = (db.dataSource.logger as unknown as { logQueryError: jest.Mock }).logQueryError;
    expect(logger).toHaveBeenCalledWith(refused, 'SELECT $1');
  });
});

describe('Database.atomically', () => {
  it('runs work started side by side in savepoints one after the other, never overlapping', async () => {
    const { db, sent } = unitOfWork();
    await CompanyContext.run(COMPANY, () =>
      db.atomically(async () => {
        await Promise.all([
          db.run(sql`SELECT 'a'`),
          db.transaction(async (tx) => {
            await db.run(sql`SELECT 'b'`, { tx });
            await db.run(sql`SELECT 'c'`);
          }),
        ]);
      }),
    );
    expect(sent).toEqual([
      'SAVEPOINT unit_1',
      SET_COMPANY_TEXT,
      "SELECT 'a'",
      'RELEASE SAVEPOINT unit_1',
      'SAVEPOINT unit_2',
      "SELECT 'b'",
      'SAVEPOINT unit_3',
      "SELECT 'c'",
      'RELEASE SAVEPOINT unit_3',
      'RELEASE SAVEPOINT unit_2',
      'COMMIT',
    ]);
  });

  it('rolls a failed savepoint back and lets the work go on; a dry run rolls everything back', async () => {
    const { db, sent } = unitOfWork();
    await CompanyContext.run(COMPANY, () =>
      db.atomically(async () => {
        await expect(db.transaction(() => Promise.reject(new Error('refused')))).rejects.toThrow(
          'refused',
        );
        await db.run(sql`SELECT 'after'`);
      }, false),
    );
    expect(sent).toEqual([
      'SAVEPOINT unit_1',
      SET_COMPANY_TEXT,
      'ROLLBACK TO SAVEPOINT unit_1',
      'SAVEPOINT unit_2',
      "SELECT 'after'",
      'RELEASE SAVEPOINT unit_2',
      'ROLLBACK',
    ]);
  });
});
