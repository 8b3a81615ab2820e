import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './typeorm-options';

/** Data source for the TypeORM CLI (`npm run migration:*`); the app builds the same options. */
const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL must be set to run the TypeORM CLI');
}

export default new DataSource(buildDataSourceOptions(url));
