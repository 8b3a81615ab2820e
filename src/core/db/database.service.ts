import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Writable } from 'node:stream';
import { Client } from 'pg';
import type { Pool, PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import sql, { join, type Sql } from 'sql-template-tag';
import type {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  TransactionCommitEvent,
} from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AppConfigService } from '../config/app-config.service';
import { CompanyContext } from '../tenancy/company-context';
import { Slots } from '../concurrency/slots';
import { copyLinesOn } from './copy-lines';

export { default as sql, empty, join, raw, Sql } from 'sql-template-tag';

/** Where a statement runs: inside the caller's transaction, or (absent) on the pool. */
export type Scope = EntityManager | undefined;

export interface StatementResult<Row> {
  rows: Row[];
  /** Rows inserted, updated or deleted (for a SELECT: rows returned). */
  count: number;
}

export interface StatementOptions {
  /** Prepare the statement once per connection under this name. */
  name?: string;
  /** The transaction to run in; absent: a transaction of its own on the pool. */
  tx?: Scope;
  /**
   * Run without a company: only for statements that read no company-owned table directly (a
   * health check, a cross-company SECURITY DEFINER function of the schema). Row-level security
   * still applies, so a company-owned table read this way shows nothing.
   */
  unscoped?: boolean;
}

/** The streams of copyLines open at a time when the configuration does not say. */
const DEFAULT_STREAM_CONNECTIONS = 4;

/** Sets the transaction's company; the policies of every company-owned table read it. */
const SET_COMPANY = `SELECT set_config('app.company_id', $1, true)`;

export interface TransactionOptions {
  /**
   * Plan the transaction's named statements once per connection (a generic plan) instead of
   * for every execution. PostgreSQL keeps re-planning a statement whose generic plan it
   * estimates dearer than a custom one, which it does for a lookup by `= ANY($1::uuid[])`
   * even when both plans are the same index scans. Only for short transactions of statements
   * that find their rows by key, such as a ledger write; never for reports, whose best plan
   * depends on the values.
   */
  genericPlans?: boolean;
}

/**
 * The settings a transaction starts with, in its first statement: its company, that the read
 * cache's notifications wait for its commit (ReadCacheNotificationsAfterCommit), and what
 * `options` ask for.
 */
function transactionSettings(companyId: string, options: TransactionOptions): Sql {
  const settings = [
    sql`set_config('app.company_id', ${companyId}, true)`,
    sql`set_config('app.read_cache_deferred', 'on', true)`,
  ];
  if (options.genericPlans)
    settings.push(sql`set_config('plan_cache_mode', 'force_generic_plan', true)`);
  return sql`SELECT ${join(settings, ', ')}`;
}

/** The transaction an `atomically` unit of work runs in, and the company it last set. */
interface Unit {
  tx: EntityManager;
  companyId: string;
  savepoints: number;
  /** The savepoints opened directly in the unit (not inside another). */
  root: SavepointBlock;
}

/**
 * A savepoint in progress: the savepoints opened inside it queue here, one after the other.
 * Savepoints form a stack on the unit's one connection (releasing one releases every savepoint
 * opened after it), so two that overlapped (work started side by side) would undo each other.
 */
interface SavepointBlock {
  children: Promise<void>;
}

/** node-postgres keeps the connection's socket here (not in its typings). */
type PooledClient = PoolClient & { connection?: { stream?: Writable } };

/** TypeORM's query runner keeps its pg connection here (protected in its typings). */
interface RunnerConnection {
  databaseConnection?: PoolClient;
}

interface CommitHooks {
  afterCommit?: Array<() => void>;
}

/**
 * The one way the modules' data-access files run SQL. A statement is a `sql` tagged template
 * (sql-template-tag): values become placeholders, and fragments (an owner module's piece of a
 * statement, such as the outbox's insert) nest without anyone counting `$n` by hand.
 *
 * Every statement runs for the current company (CompanyContext): inside a transaction that first
 * sets `app.company_id` for that transaction only (`set_config(..., true)`, i.e. SET LOCAL), so
 * row-level security shows and accepts only that company's rows, and a pooled connection carries
 * nothing from one transaction to the next. A statement outside the caller's transaction gets a
 * short one of its own on the pool of the TypeORM data source (its driver's `master` pool: same
 * connections and type parsing): BEGIN and the setting, the statement (with a `name`, prepared
 * once per connection) and COMMIT, pipelined into one round trip. `afterCommit` hooks run once the outermost
 * transaction has committed (or at once when there is none). A failed statement is logged through
 * the data source's logger on either path, without its values.
 */
@Injectable()
export class Database implements EntitySubscriberInterface {
  /** The connections that copyLines may have open at a time. */
  private readonly streams: Slots;

  constructor(
    @InjectDataSource() readonly dataSource: DataSource,
    @Optional() config?: AppConfigService,
  ) {
    dataSource.subscribers.push(this);
    // The waiting line is not bounded here: each caller's rate limit bounds it.
    const streams = config?.get('DATABASE_STREAM_CONNECTIONS') ?? DEFAULT_STREAM_CONNECTIONS;
    this.streams = new Slots(streams, Number.MAX_SAFE_INTEGER);
  }

  private readonly units = new AsyncLocalStorage<Unit>();
  /** The savepoint the current work runs inside, if any (its children queue on it). */
  private readonly blocks = new AsyncLocalStorage<SavepointBlock>();

  /**
   * Runs `work` in a transaction for the current company (inside a unit of work: a savepoint of
   * it, planned as the unit is).
   */
  async transaction<T>(
    work: (tx: EntityManager) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    const companyId = CompanyContext.require();
    const unit = this.units.getStore();
    if (unit) return this.inSavepoint(unit, companyId, () => work(unit.tx));
    let changes: Promise<Array<{ pending: string | null }>> | undefined;
    const result = await this.dataSource.transaction(async (tx) => {
      // The company leaves with the work's first statements, ahead of them on the connection
      // (pipelined): no round trip of its own. Its failure, answered first, is the one thrown.
      // The read cache's row notifications wait for the commit (ReadCacheNotificationsAfterCommit).
      const company = this.run(transactionSettings(companyId, options), { tx });
      const [, done] = await Promise.all([company, work(tx)]);
      // Read right ahead of the COMMIT, in its round trip (the connection pipelines them).
      changes = this.rows<{ pending: string | null }>(
        sql`SELECT current_setting('app.read_cache_pending', true) AS pending`,
        { tx, name: 'read_cache_pending' },
      );
      changes.catch(() => undefined); // awaited below, once committed
      return done;
    });
    // Committed. A failed read of the setting failed the transaction (its COMMIT rolled back).
    const [row] = (await changes) ?? [];
    if (row?.pending) this.readCacheChanged(row.pending);
    return result;
  }

  /**
   * Called with each row notification (`issuance:<company>:<id>`, `shareholder:<company>:<id>`,
   * or `issuance:*` for all) of the transactions this process commits, as soon as each commits:
   * this process's read cache forgets them before the transaction's caller sees the commit.
   */
  onReadCacheChange(listener: (payload: string) => void): void {
    this.readCacheListeners.push(listener);
  }

  private readonly readCacheListeners: Array<(payload: string) => void> = [];
  private readCacheOutgoing: string[] = [];

  /**
   * What a committed transaction changed of the cached rows: told to this process's read cache
   * now and, gathered over the current turn of the event loop, NOTIFYed to every instance from a
   * transaction that does not wait for the disk (a notification is a hint; the rows are
   * committed). An instance that stops between a commit and its NOTIFY leaves the others' caches
   * to expire (ISSUANCE_CACHE_TTL_MS).
   */
  private readCacheChanged(pending: string): void {
    const payloads = pending === '*' ? ['issuance:*'] : pending.split(' ');
    for (const payload of payloads)
      for (const listener of this.readCacheListeners) listener(payload);
    if (this.readCacheOutgoing.push(...payloads) > payloads.length) return;
    setImmediate(() => {
      const outgoing = this.readCacheOutgoing;
      this.readCacheOutgoing = [];
      this.pool
        .query({
          name: 'read_cache_notify',
          text: `SELECT set_config('synchronous_commit', 'off', true), count(pg_notify('read_cache', p))
                   FROM unnest($1::text[]) AS p`,
          values: [outgoing],
        })
        .catch((error: Error) => {
          this.dataSource.logger.logQueryError(error, 'read_cache_notify');
        });
    });
  }

  /**
   * Runs `work` as one unit: every transaction and statement it starts, through any module's
   * service, joins one database transaction, committed when `work` resolves and rolled back when
   * it throws (or when `commit` is false: a dry run). Each nested transaction is a savepoint, so
   * a service that catches its own failed statement and retries still can. The company may change
   * inside (a unit that creates a company, then fills it): each statement runs for the current one.
   */
  async atomically<T>(work: () => Promise<T>, commit = true): Promise<T> {
    if (this.units.getStore()) throw new Error('units of work do not nest');
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const root = { children: Promise.resolve() };
      const unit: Unit = { tx: runner.manager, companyId: '', savepoints: 0, root };
      const result = await this.units.run(unit, work);
      if (commit) await runner.commitTransaction();
      else await runner.rollbackTransaction();
      return result;
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }

  /** Whether the caller runs inside an `atomically` unit (whose writes may yet be rolled back). */
  inUnitOfWork(): boolean {
    return this.units.getStore() !== undefined;
  }

  /** Runs `work` in a savepoint of the unit, after the savepoints its siblings opened first. */
  private async inSavepoint<T>(unit: Unit, companyId: string, work: () => Promise<T>): Promise<T> {
    const parent = this.blocks.getStore() ?? unit.root;
    const previous = parent.children;
    let done!: () => void;
    parent.children = new Promise<void>((resolve) => (done = resolve));
    await previous;
    try {
      const block: SavepointBlock = { children: Promise.resolve() };
      return await this.blocks.run(block, () => this.savepoint(unit, companyId, work));
    } finally {
      done();
    }
  }

  private async savepoint<T>(unit: Unit, companyId: string, work: () => Promise<T>): Promise<T> {
    const name = `unit_${++unit.savepoints}`;
    await unit.tx.query(`SAVEPOINT ${name}`);
    if (unit.companyId !== companyId) {
      await unit.tx.query(SET_COMPANY, [companyId]);
      unit.companyId = companyId;
    }
    try {
      const result = await work();
      await unit.tx.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await unit.tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    }
  }

  /**
   * Streams what `read` yields from one REPEATABLE READ, READ ONLY transaction for the current
   * company: every batch sees the same snapshot (an export is consistent as of its start), and
   * each batch is one round trip. The transaction, and its connection, stay open until the
   * consumer has taken the last batch or stops (a client that goes away ends it).
   */
  async *snapshot<T>(read: (tx: EntityManager) => AsyncGenerator<T>): AsyncGenerator<T> {
    const companyId = CompanyContext.require();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query('SET TRANSACTION READ ONLY');
      await runner.query(SET_COMPANY, [companyId]);
      yield* read(runner.manager);
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }

  /**
   * The rows of `statement`, a query of one text column, streamed as PostgreSQL sends them: by
   * COPY … TO STDOUT, one line per row, in chunks of raw bytes (nothing is parsed or kept per row
   * in this process, so a whole ledger streams in constant memory). Each value arrives byte for
   * byte as the query made it, followed by a line feed; a value may hold line breaks itself (a CSV
   * record with a quoted multi-line cell), and then the consumer cannot split the stream by lines.
   *
   * With a transaction `tx` (an export's), it runs in that transaction's snapshot
   * (pg_export_snapshot) and for its company; without, as one statement for the current company
   * (its own snapshot). Either way on a connection of its own for as long as it streams: the
   * pool's connections pipeline, which a COPY cannot share. At most DATABASE_STREAM_CONNECTIONS
   * such connections are open at a time; a further stream waits for one to close. COPY takes no
   * parameters, so the statement's values (strings and numbers only) go into its text as quoted
   * literals. When the consumer stops early, that connection is closed, and with it the COPY.
   */
  async *copyLines(statement: Sql, tx?: EntityManager): AsyncGenerator<Buffer> {
    const release = await this.streams.acquire();
    try {
      const [{ snapshot, company }] = tx
        ? await tx.query<Array<{ snapshot: string | null; company: string }>>(
            `SELECT pg_export_snapshot() AS snapshot, current_setting('app.company_id') AS company`,
          )
        : [{ snapshot: null, company: CompanyContext.require() }];
      const client = new Client({
        connectionString: (this.dataSource.options as PostgresConnectionOptions).url,
        application_name: 'corporate-os-export',
      });
      await client.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        if (snapshot)
          await client.query(`SET TRANSACTION SNAPSHOT ${client.escapeLiteral(snapshot)}`);
        await client.query(SET_COMPANY, [company]);
        yield* copyLinesOn(client, statement);
      } finally {
        await client.end();
      }
    } finally {
      release();
    }
  }

  /** A new entity instance (no statement runs). */
  create<Entity extends object>(target: new () => Entity, values: Partial<Entity>): Entity {
    return this.dataSource.manager.create(target, values as never);
  }

  /** Reads through TypeORM's entity manager, in a transaction for the current company. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.transaction(work);
  }

  async rows<Row = QueryResultRow>(statement: Sql, options: StatementOptions = {}): Promise<Row[]> {
    return (await this.run<Row>(statement, options)).rows;
  }

  async run<Row = QueryResultRow>(
    statement: Sql,
    { name, tx, unscoped }: StatementOptions = {},
  ): Promise<StatementResult<Row>> {
    const runner = tx?.queryRunner;
    if (runner?.isTransactionActive) {
      // Straight on the transaction's connection, as on the pool: statements issued together
      // leave in the order they were issued (pipelined), and a named one is prepared once per
      // connection. TypeORM's own statements (tx.query, entity writes) keep its path.
      const client = (runner as unknown as RunnerConnection).databaseConnection;
      if (!client) throw new Error('a transaction without its connection');
      const query = { name, text: statement.text, values: statement.values };
      const result = await client.query(query).catch((error: Error) => {
        this.dataSource.logger.logQueryError(error, statement.text);
        throw error;
      });
      return { rows: result.rows as Row[], count: result.rowCount ?? result.rows.length };
    }
    const unit = this.units.getStore();
    if (unit && !unscoped)
      return this.inSavepoint(unit, CompanyContext.require(), () =>
        this.run<Row>(statement, { tx: unit.tx }),
      );
    const query = { name, text: statement.text, values: statement.values };
    const result = await (
      unscoped ? this.pool.query(query) : this.inCompanyTransaction(CompanyContext.require(), query)
    ).catch((error: Error) => {
      // As TypeORM does for its own statements: one line, the SQL text but not the values.
      this.dataSource.logger.logQueryError(error, statement.text);
      throw error;
    });
    return { rows: result.rows as Row[], count: result.rowCount ?? result.rows.length };
  }

  /** Runs `hook` once the transaction `tx` has committed; at once when there is none. */
  afterCommit(tx: Scope, hook: () => void): void {
    const runner = (tx ?? this.units.getStore()?.tx)?.queryRunner;
    if (!runner?.isTransactionActive) {
      hook();
      return;
    }
    const data = runner.data as CommitHooks;
    (data.afterCommit ??= []).push(hook);
  }

  /** TypeORM subscriber: the outermost commit of a transaction that registered hooks. */
  afterTransactionCommit(event: TransactionCommitEvent): void {
    const data = event.queryRunner.data as CommitHooks;
    if (!data.afterCommit || event.queryRunner.isTransactionActive) return;
    const hooks = data.afterCommit;
    data.afterCommit = undefined;
    for (const hook of hooks) hook();
  }

  /** A rolled-back transaction's hooks are dropped. */
  afterTransactionRollback(event: TransactionCommitEvent): void {
    if (!event.queryRunner.isTransactionActive)
      (event.queryRunner.data as CommitHooks).afterCommit = undefined;
  }

  /**
   * One statement in a transaction of its own, for `companyId` (a UUID, checked by the context).
   * The pool's connections pipeline (typeorm-options.ts) and the socket is corked while the three
   * messages are queued: they leave in one write, PostgreSQL answers them in order, and the
   * transaction costs one round trip. A row lock the statement takes is held only until the
   * COMMIT right behind it, never for a turn of this process's event loop. A failed statement
   * makes the COMMIT a rollback (PostgreSQL answers COMMIT in a failed transaction with ROLLBACK).
   */
  private async inCompanyTransaction(
    companyId: string,
    query: QueryConfig,
  ): Promise<QueryResult<QueryResultRow>> {
    const client = await this.pool.connect();
    const socket = (client as PooledClient).connection?.stream;
    socket?.cork();
    const settled = Promise.allSettled([
      client.query(`BEGIN; SELECT set_config('app.company_id', '${companyId}', true)`),
      client.query(query),
      client.query('COMMIT'),
    ]);
    socket?.uncork();
    const [begin, result, commit] = await settled;
    // A connection whose BEGIN or COMMIT failed is in an unknown state: it is discarded.
    const broken = [begin, commit].find((outcome) => outcome.status === 'rejected');
    client.release(broken ? (broken.reason as Error) : undefined);
    if (begin.status === 'rejected') throw begin.reason;
    if (result.status === 'rejected') throw result.reason;
    if (commit.status === 'rejected') throw commit.reason;
    return result.value;
  }

  private get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }
}
