import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * The one set of TypeORM options, shared by the app and the TypeORM CLI. The schema only ever
 * comes from `migrations/`: `synchronize` stays off everywhere.
 */
export function buildDataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [join(ROOT, 'src', '**', '*.entity.{ts,js}')],
    migrations: [join(ROOT, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    extra: {
      max: poolSize,
      application_name: 'corporate-os',
    },
  };
}
