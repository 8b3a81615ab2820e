import { pino, type Logger as PinoLogger } from 'pino';
import type { Logger } from 'typeorm';
import { baseLogOptions } from '../logging/log-options';
import { databaseErrorFields, isExpectedFailure } from './database-error-log';

/**
 * The pino logger to write to now. In the app: the current request's logger (nestjs-pino's
 * PinoLogger#logger), so a line written while serving a request carries its id (`req.id`).
 */
export type CurrentLogger = () => PinoLogger;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const CONTEXT = 'TypeORM';

/**
 * TypeORM's logger, writing JSON lines through pino instead of TypeORM's console loggers. A
 * statement's parameters are never logged: its text holds placeholders only, and a failure is
 * logged with its SQLSTATE, constraint, table and column but without PostgreSQL's `detail`, which
 * quotes the values (see database-error-log.ts).
 *
 * Levels: every statement at trace; a failure the service expects and answers itself (a
 * constraint violation: a taken email is a 409) at debug, any other failure at error; a slow
 * statement (`maxQueryExecutionTime`) at warn; schema and migration progress at info; TypeORM's
 * other messages at debug (which files its globs matched), or warn when TypeORM says warn.
 */
export class PinoTypeOrmLogger implements Logger {
  constructor(private readonly current: CurrentLogger) {}

  // The `_parameters` TypeORM passes along are never read: they are the statement's values.

  logQuery(query: string, _parameters?: unknown[]): void {
    const logger = this.current();
    // Every statement passes here: build nothing unless the line is wanted.
    if (logger.isLevelEnabled('trace'))
      logger.trace({ context: CONTEXT, query: { sql: query } }, 'query');
  }

  logQueryError(error: string | Error, query: string, _parameters?: unknown[]): void {
    const failure = databaseErrorFields(error);
    const level = isExpectedFailure(failure.code) ? 'debug' : 'error';
    this.current()[level]({ context: CONTEXT, query: { sql: query, ...failure } }, 'query failed');
  }

  logQuerySlow(time: number, query: string, _parameters?: unknown[]): void {
    this.current().warn(
      { context: CONTEXT, query: { sql: query, durationMs: time } },
      'slow query',
    );
  }

  logSchemaBuild(message: string): void {
    this.current().info({ context: CONTEXT }, message);
  }

  logMigration(message: string): void {
    this.current().info({ context: CONTEXT }, message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    this.current()[level === 'warn' ? 'warn' : 'debug']({ context: CONTEXT }, text);
  }
}

/**
 * The logger of a data source built outside the app (TypeORM CLI, test and bench setup): a pino
 * logger of its own at LOG_LEVEL (info by default), with the app's base options.
 */
export function standaloneTypeOrmLogger(): PinoTypeOrmLogger {
  const wanted = process.env.LOG_LEVEL ?? 'info';
  const logger = pino(baseLogOptions(LOG_LEVELS.includes(wanted) ? wanted : 'info'));
  return new PinoTypeOrmLogger(() => logger);
}
