import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, QueryResultRow } from 'pg';
import type { Sql } from 'sql-template-tag';
import type {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  TransactionCommitEvent,
} from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

export { default as sql, empty, join, raw, Sql } from 'sql-template-tag';

/** Where a statement runs: inside the caller's transaction, or (absent) on the pool. */
export type Scope = EntityManager | undefined;

export interface StatementResult<Row> {
  rows: Row[];
  /** Rows inserted, updated or deleted (for a SELECT: rows returned). */
  count: number;
}

interface CommitHooks {
  afterCommit?: Array<() => void>;
}

/**
 * The one way the modules' data-access files run SQL. A statement is a `sql` tagged template
 * (sql-template-tag): values become placeholders, and fragments (an owner module's piece of a
 * statement, such as the outbox's insert) nest without anyone counting `$n` by hand.
 *
 * Outside a transaction a statement runs on the pool of the TypeORM data source (its driver's
 * `master` pool: same connections and type parsing), without a query runner around it; with a
 * `name` it is prepared once per connection, so PostgreSQL skips parsing and planning it again.
 * Inside a transaction it runs on that transaction's connection. `afterCommit` hooks run once the
 * outermost transaction has committed (or at once when there is none). A failed statement is
 * logged through the data source's logger on either path, without its values.
 */
@Injectable()
export class Database implements EntitySubscriberInterface {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async rows<Row = QueryResultRow>(
    statement: Sql,
    options: { name?: string; tx?: Scope } = {},
  ): Promise<Row[]> {
    return (await this.run<Row>(statement, options)).rows;
  }

  async run<Row = QueryResultRow>(
    statement: Sql,
    { name, tx }: { name?: string; tx?: Scope } = {},
  ): Promise<StatementResult<Row>> {
    const runner = tx?.queryRunner;
    if (runner?.isTransactionActive) {
      const result = await runner.query(statement.text, statement.values, true);
      return { rows: result.records as Row[], count: result.affected ?? result.records.length };
    }
    const result = await this.pool
      .query({ name, text: statement.text, values: statement.values })
      .catch((error: Error) => {
        // As TypeORM does for its own statements: one line, the SQL text but not the values.
        this.dataSource.logger.logQueryError(error, statement.text);
        throw error;
      });
    return { rows: result.rows as Row[], count: result.rowCount ?? result.rows.length };
  }

  /** Runs `hook` once the transaction `tx` has committed; at once when there is none. */
  afterCommit(tx: Scope, hook: () => void): void {
    const runner = tx?.queryRunner;
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

  private get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }
}
