import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DeliveredEvent } from '../../events/delivered-event';
import { OnOutboxEvent } from '../../events/delivered-event';
import { ProcessedEventsService } from '../../events/processed-events.service';
import { CERTIFICATE_CONSUMER } from '../certificate-issuer.service';
import { CertificateRenderWorker } from '../certificate-render.worker';

/**
 * Queues the certificate of every new issuance: a durable render request, written in the same
 * transaction that records the event as handled. Rendering happens in CertificateRenderWorker at
 * the browser pool's pace, so a burst of issuances never holds up the audit log or other events.
 */
@Injectable()
export class RenderCertificateOnIssuanceCreatedListener {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly processed: ProcessedEventsService,
    private readonly worker: CertificateRenderWorker,
  ) {}

  @OnOutboxEvent('issuance.created')
  async handle(event: DeliveredEvent<'issuance.created'>): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      if (!(await this.processed.claim(tx, event.id, CERTIFICATE_CONSUMER))) return;
      await tx.query(
        `INSERT INTO certificate_request (issuance_id, actor, request_id) VALUES ($1, $2, $3)
         ON CONFLICT (issuance_id) DO NOTHING`,
        [event.payload.after.id, JSON.stringify(event.actor), event.requestId],
      );
    });
    this.worker.wake();
  }
}
