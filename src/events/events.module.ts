import { Global, Module } from '@nestjs/common';
import { DeadLettersController } from './dead-letters.controller';
import { OutboxCommitSubscriber } from './outbox-commit.subscriber';
import { OutboxRelay } from './outbox-relay';
import { OutboxService } from './outbox.service';
import { ProcessedEventsService } from './processed-events.service';
import { SecurityEventsService } from './security-events.service';

@Global()
@Module({
  controllers: [DeadLettersController],
  providers: [
    OutboxService,
    OutboxRelay,
    OutboxCommitSubscriber,
    ProcessedEventsService,
    SecurityEventsService,
  ],
  exports: [OutboxService, OutboxRelay, ProcessedEventsService, SecurityEventsService],
})
export class EventsModule {}
