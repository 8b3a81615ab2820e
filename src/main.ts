import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { createApp } from './app.factory';
import { AppConfigService } from './core/config/app-config.service';
import { runMigrationsExclusively } from './core/db/migrate';
import { DemoDataSeeder } from './issuances/demo-data.seeder';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get(AppConfigService);
  if (config.get('DB_MIGRATE_ON_START')) {
    await runMigrationsExclusively(app.get(DataSource));
  }
  if (config.get('SEED_DEMO_DATA')) {
    await app.get(DemoDataSeeder).seedIfEmpty();
  }
  await app.listen({ port: config.get('PORT'), host: config.get('HOST') });
}

bootstrap().catch((error: unknown) => {
  // The logger may not exist yet (bad configuration): print plainly and exit non-zero.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
