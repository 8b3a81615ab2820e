import type { DataSource, Migration } from 'typeorm';

/** Arbitrary but fixed key: only one process applies migrations at a time. */
const MIGRATION_LOCK_KEY = 7_241_003;

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so several instances starting at
 * once do not race each other.
 */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    await runner.release();
  }
}
