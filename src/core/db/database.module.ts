import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PinoLogger } from 'nestjs-pino';
import { AppConfigService } from '../config/app-config.service';
import { Database } from './database.service';
import { PinoTypeOrmLogger } from './typeorm-logger';
import { buildDataSourceOptions } from './typeorm-options';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfigService, PinoLogger],
      useFactory: (config: AppConfigService, logger: PinoLogger) => ({
        ...buildDataSourceOptions(
          config.get('DATABASE_URL'),
          config.get('DATABASE_POOL_SIZE'),
          // The request's logger when there is one (its lines carry the request id).
          new PinoTypeOrmLogger(() => logger.logger),
        ),
        autoLoadEntities: false,
      }),
    }),
  ],
  providers: [Database],
  exports: [Database],
})
export class DatabaseModule {}
