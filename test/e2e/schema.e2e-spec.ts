import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/core/db/typeorm-options';

describe('database schema', () => {
  it('matches the entities exactly: regenerating a migration yields no change', async () => {
    const dataSource = new DataSource(
      buildDataSourceOptions(process.env.TEST_DATABASE_OWNER_URL as string, 1),
    );
    await dataSource.initialize();
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
      expect(await dataSource.showMigrations()).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });
});
