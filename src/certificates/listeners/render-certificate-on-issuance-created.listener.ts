import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DeliveredEvent } from '../../events/delivered-event';
import { OnOutboxEvent } from '../../events/delivered-event';
import { GroupCommit } from '../../events/group-commit';
import { ProcessedEventsService } from '../../events/processed-events.service';
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
  private readonly requests = new GroupCommit<DeliveredEvent<'issuance.created'>>(
    async (events) => {
      await this.dataSource.transaction(async (tx) => {
        const fresh = await this.processed.claimAll(
          tx,
          events.map((event) => event.id),
          CERTIFICATE_CONSUMER,
        );
        const queued = events.filter((event) => fresh.has(event.id));
        if (queued.length === 0) return;
        await tx.query(
          `INSERT INTO certificate_request (issuance_id, actor, request_id)
         SELECT * FROM unnest($1::uuid[], $2::jsonb[], $3::varchar[])
         ON CONFLICT (issuance_id) DO NOTHING`,
          [
            queued.map((event) => event.payload.after.id),
            queued.map((event) => JSON.stringify(event.actor)),
            queued.map((event) => event.requestId),
          ],
        );
      });
      this.worker.queued();
    },
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly processed: ProcessedEventsService,
    private readonly worker: CertificateRenderWorker,
  ) {}

  @OnOutboxEvent('issuance.created')
  handle(event: DeliveredEvent<'issuance.created'>): Promise<void> {
    return this.requests.add(event);
  }
}
