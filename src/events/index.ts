/** The events module's public surface: what other modules may import. */
export { OnOutboxEvent, type DeliveredEvent } from './delivered-event';
export * from './event-map';
export { EventsModule } from './events.module';
export { backoffMs, OutboxRelay } from './outbox-relay';
export type { EventActor } from './outbox-event.entity';
export {
  originOf,
  OutboxService,
  type EventOrigin,
  type InsertEvent,
  type PublishedEvent,
} from './outbox.service';
export { CompanyGroupCommit, GroupCommit } from './group-commit';
export { ProcessedEventsService } from './processed-events.service';
