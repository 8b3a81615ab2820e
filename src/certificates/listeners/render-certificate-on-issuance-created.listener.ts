import { Injectable } from '@nestjs/common';
import { Database } from '../../core/db/database.service';
import {
  DeliveredEvent,
  CompanyGroupCommit,
  OnOutboxEvent,
  ProcessedEventsService,
} from '../../events';
import { CertificateQueueRepository } from '../persistence/certificate-queue.repository';
import { CERTIFICATE_CONSUMER } from '../certificate-issuer.service';
import { CertificateRenderWorker } from '../certificate-render.worker';

/**
 * Queues the certificate of every new issuance: a durable render request, written in the same
 * transaction that records the event as handled (events delivered together share one
 * transaction). Rendering happens in CertificateRenderWorker at the browser pool's pace, so a
 * burst of issuances never holds up the audit log or other events.
 */
@Injectable()
export class RenderCertificateOnIssuanceCreatedListener {
  private readonly requests = new CompanyGroupCommit<DeliveredEvent<'issuance.created'>>(
    async (events) => {
      await this.db.transaction(async (tx) => {
        const fresh = await this.processed.claimAll(
          tx,
          events.map((event) => event.id),
          CERTIFICATE_CONSUMER,
        );
        const queued = events.filter((event) => fresh.has(event.id));
        if (queued.length === 0) return;
        await this.queue.enqueue(
          tx,
          queued.map((event) => ({
            issuanceId: event.payload.after.id,
            issuedAt: event.occurredAt,
            actor: event.actor,
            requestId: event.requestId,
          })),
        );
      });
      this.worker.queued();
    },
  );

  constructor(
    private readonly db: Database,
    private readonly queue: CertificateQueueRepository,
    private readonly processed: ProcessedEventsService,
    private readonly worker: CertificateRenderWorker,
  ) {}

  @OnOutboxEvent('issuance.created')
  handle(event: DeliveredEvent<'issuance.created'>): Promise<void> {
    return this.requests.add(event);
  }
}
