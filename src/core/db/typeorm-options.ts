import { join } from 'node:path';
import type { DataSourceOptions, Logger } from 'typeorm';
import { standaloneTypeOrmLogger } from './typeorm-logger';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * The one set of TypeORM options, shared by the app and the TypeORM CLI. The schema only ever
 * comes from `migrations/`: `synchronize` stays off everywhere. TypeORM logs through pino (see
 * typeorm-logger.ts): the app hands in its own logger, anything else gets a standalone one.
 */
export function buildDataSourceOptions(
  url: string,
  poolSize = 10,
  logger: Logger = standaloneTypeOrmLogger(),
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [join(ROOT, 'src', '**', '*.entity.{ts,js}')],
    migrations: [join(ROOT, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logger,
    extra: {
      max: poolSize,
      application_name: 'corporate-os',
      // node-postgres sends a query without waiting for the answer to the one before it: a
      // statement's own company transaction (BEGIN and the company, the statement, COMMIT; see
      // Database) costs one round trip instead of three. Code that awaits each statement, as
      // TypeORM's query runner does, behaves as without it.
      pipeline: true,
    },
  };
}
