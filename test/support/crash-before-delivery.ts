/**
 * A fault for a child app (startChildApp's `preload`): the process is SIGKILLed as the relay
 * delivers the first issuance.created event, that is after the relay claimed the row and before
 * it marks it delivered. Loaded before src/main.ts, it adds its module to AppModule's imports, so
 * the application registers it as one of its own; nothing in the product knows of it.
 */
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { AppModule } from '../../src/app.module';
import { OnOutboxEvent } from '../../src/events';

@Injectable()
class CrashOnIssuanceDelivery {
  // Synchronous: the process dies before any other listener of the event reaches the database.
  @OnOutboxEvent('issuance.created')
  handle(): void {
    process.kill(process.pid, 'SIGKILL');
  }
}

@Module({ providers: [CrashOnIssuanceDelivery] })
class CrashBeforeDeliveryModule {}

const imports: unknown[] = Reflect.getMetadata(MODULE_METADATA.IMPORTS, AppModule) ?? [];
Reflect.defineMetadata(MODULE_METADATA.IMPORTS, [...imports, CrashBeforeDeliveryModule], AppModule);
