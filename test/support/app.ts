import type { Provider } from '@nestjs/common';
import { CompanyContext } from '../../src/core/tenancy/company-context';
import { DefaultCompany } from '../../src/core/tenancy/default-company';
import { ConfigService } from '@nestjs/config';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { configureApp, createAdapter } from '../../src/app.factory';
import { AppConfigService } from '../../src/core/config/app-config.service';
import { EnvironmentVariables } from '../../src/core/config/env.validation';

export type ConfigOverrides = Partial<EnvironmentVariables>;

/** The real configuration with a few values replaced, for tests of configurable behaviour. */
class OverriddenConfigService extends AppConfigService {
  constructor(
    config: ConfigService<EnvironmentVariables, true>,
    private readonly overrides: ConfigOverrides,
  ) {
    super(config);
  }

  override get<K extends keyof EnvironmentVariables>(key: K): EnvironmentVariables[K] {
    return key in this.overrides
      ? (this.overrides[key] as EnvironmentVariables[K])
      : super.get(key);
  }
}

export interface TestApp {
  app: NestFastifyApplication;
  /**
   * Runs `work` for the app's default company, as a request to an unscoped route would: for tests
   * that call a service or listener directly.
   */
  inDefaultCompany<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Boots the real AppModule on Fastify, as main.ts does, with optional configuration overrides. */
export async function startApp(
  overrides: ConfigOverrides = {},
  customize: (builder: TestingModuleBuilder) => TestingModuleBuilder = (b) => b,
  listenPort?: number,
  providers: Provider[] = [],
): Promise<TestApp> {
  const builder = customize(
    Test.createTestingModule({ imports: [AppModule], providers })
      .overrideProvider(AppConfigService)
      .useFactory({
        factory: (config: ConfigService<EnvironmentVariables, true>) =>
          new OverriddenConfigService(config, overrides),
        inject: [ConfigService],
      }),
  );
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(), {
    bufferLogs: true,
  });
  configureApp(app);
  if (listenPort === undefined) {
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } else {
    await app.listen({ port: listenPort, host: '127.0.0.1' });
  }
  return {
    app,
    inDefaultCompany: async (work) => CompanyContext.run(await app.get(DefaultCompany).id(), work),
    close: () => app.close(),
  };
}
