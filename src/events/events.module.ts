import { Global, Module } from '@nestjs/common';
import { SECURITY_EVENTS } from '../core/security/security-events.port';
import { DeadLettersController } from './dead-letters.controller';
import { OutboxRelay } from './outbox-relay';
import { OutboxRepository } from './events.repository';
import { OutboxService } from './outbox.service';
import { ProcessedEventsService } from './processed-events.service';
import { SecurityEventsService } from './security-events.service';

/** The outbox, its relay and listener idempotency; global, since every module writes events. */
@Global()
@Module({
  controllers: [DeadLettersController],
  providers: [
    OutboxRepository,
    OutboxService,
    OutboxRelay,
    ProcessedEventsService,
    SecurityEventsService,
    { provide: SECURITY_EVENTS, useExisting: SecurityEventsService },
  ],
  exports: [OutboxService, OutboxRelay, ProcessedEventsService, SECURITY_EVENTS],
})
export class EventsModule {}
