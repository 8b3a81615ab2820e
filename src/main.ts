import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createApp } from './app.factory';
import { AppConfigService } from './core/config/app-config.service';
import { checkLeastPrivilege } from './core/db/least-privilege';
import { runMigrationsExclusively } from './core/db/migrate';
import { provisionDatabase } from './core/db/provision';
import { OutboxRelay } from './events';
import { CompanyContext } from './core/tenancy/company-context';
import { DefaultCompany } from './core/tenancy/default-company';
import { DemoMembersSeeder } from './companies';
import { DemoDataSeeder } from './issuances';

/**
 * Graceful shutdown, in this order: stop accepting connections and let in-flight requests finish
 * (new requests on open connections get 503), deliver the outbox events of everything that was
 * acknowledged, then close the rest (relay, browser pool, database pool).
 */
function stopGracefully(app: NestFastifyApplication): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: closing the HTTP server and finishing in-flight requests`);
    await app.getHttpAdapter().getInstance().close();
    const drained = await app
      .get(OutboxRelay)
      .drain(app.get(AppConfigService).get('SHUTDOWN_DRAIN_TIMEOUT_MS'));
    logger.log(`delivered ${drained} pending events; closing`);
    await app.close();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, (received) => {
      stop(received).catch((error: unknown) => {
        logger.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      });
    });
  }
}

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get(AppConfigService);
  const dataSource = app.get(DataSource);
  if (config.get('DB_MIGRATE_ON_START')) {
    const ownerUrl = config.get('DATABASE_MIGRATION_URL');
    if (ownerUrl) await provisionDatabase({ ownerUrl, appUrl: config.get('DATABASE_URL') });
    else await runMigrationsExclusively(dataSource);
  }
  await checkLeastPrivilege(dataSource, {
    production: config.isProduction,
    allowPrivileged: config.get('DATABASE_ALLOW_PRIVILEGED_ROLE'),
  });
  if (config.get('SEED_DEMO_DATA')) {
    // The demo data goes to the default company (the first one, on a new deployment).
    const companyId = await app.get(DefaultCompany).id();
    await CompanyContext.run(companyId, async () => {
      await app.get(DemoDataSeeder).seedIfEmpty();
      await app.get(DemoMembersSeeder).seedIfNone();
    });
  }
  stopGracefully(app);
  await app.listen({ port: config.get('PORT'), host: config.get('HOST') });
}

bootstrap().catch((error: unknown) => {
  // The logger may not exist yet (bad configuration): print plainly and exit non-zero.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
