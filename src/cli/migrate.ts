/**
 * `npm run db:migrate`: the deployment step that runs before the API starts. As the schema owner
 * (DATABASE_MIGRATION_URL) it applies pending migrations and creates or updates the API's login
 * role, named with its password by DATABASE_URL, as a member of corporate_os_app. The API then
 * starts with DATABASE_URL alone and DB_MIGRATE_ON_START=false.
 */
import { provisionDatabase } from '../core/db/provision';

async function main(): Promise<void> {
  const ownerUrl = process.env.DATABASE_MIGRATION_URL;
  const appUrl = process.env.DATABASE_URL;
  if (!ownerUrl || !appUrl) {
    throw new Error('set DATABASE_MIGRATION_URL (schema owner) and DATABASE_URL (the API role)');
  }
  const result = await provisionDatabase({ ownerUrl, appUrl });
  const applied = result.migrations.length ? result.migrations.join(', ') : 'none pending';
  const role = result.created ? 'created' : 'up to date';
  console.log(`migrations: ${applied}; API role "${result.appRole}" ${role}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
