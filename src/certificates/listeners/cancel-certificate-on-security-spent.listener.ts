import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../../core/db/database.service';
import {
  DeliveredEvent,
  EventOrigin,
  OnOutboxEvent,
  OutboxService,
  ProcessedEventsService,
} from '../../events';
import { CertificateRenderWorker } from '../certificate-render.worker';
import { certificateSnapshot } from '../certificate-views';
import { CertificateQueueRepository } from '../persistence/certificate-queue.repository';
import { CertificatesRepository } from '../persistence/certificates.repository';

const CONSUMER = 'certificates.cancel-on-security-spent';

/**
 * Certificates follow the holdings: when a ledger transaction spends a security, its active
 * certificate becomes cancelled (it keeps verifying, as cancelled, with the transaction as the
 * reason) and a certificate not rendered yet never will be. The new securities get theirs through
 * their issuance.created events. A reversal cancels the certificates of the securities it
 * withdraws and queues a new version of the restored security's. Handled once per event, in one
 * transaction with its certificate.cancelled events.
 */
@Injectable()
export class CancelCertificateOnSecuritySpentListener {
  constructor(
    private readonly db: Database,
    private readonly repository: CertificatesRepository,
    private readonly queue: CertificateQueueRepository,
    private readonly processed: ProcessedEventsService,
    private readonly outbox: OutboxService,
    private readonly worker: CertificateRenderWorker,
  ) {}

  @OnOutboxEvent('stock.transaction_recorded')
  async handle(event: DeliveredEvent<'stock.transaction_recorded'>): Promise<void> {
    const { transaction } = event.payload;
    const reversal = transaction.reversal;
    const spent = reversal ? reversal.withdrawn_security_ids : [transaction.security_id];
    const reason = `${transaction.kind} ${transaction.id} on ${transaction.date}`;
    const origin = { actor: event.actor, requestId: event.requestId };
    const queued = await this.db.transaction(async (tx) => {
      if (!(await this.processed.claim(tx, event.id, CONSUMER))) return false;
      for (const securityId of spent)
        await this.cancel(tx, securityId, transaction.id, transaction.kind, reason, origin);
      const restored = reversal?.restored_security_id;
      if (!restored) return false;
      await this.repository.reinstate(tx, restored);
      await this.queue.enqueue(tx, [
        { issuanceId: restored, issuedAt: event.occurredAt, ...origin },
      ]);
      return true;
    });
    if (queued) this.worker.queued();
  }

  private async cancel(
    tx: EntityManager,
    securityId: string,
    transactionId: string,
    kind: string,
    reason: string,
    origin: EventOrigin,
  ): Promise<void> {
    const cancelled = await this.repository.cancelForSecurity(
      tx,
      securityId,
      transactionId,
      kind,
      reason,
    );
    if (!cancelled) return;
    await this.outbox.publish(
      tx,
      {
        type: 'certificate.cancelled',
        aggregateType: 'certificate',
        aggregateId: cancelled.after.id,
        payload: {
          before: certificateSnapshot(cancelled.before),
          after: certificateSnapshot(cancelled.after),
        },
      },
      origin,
    );
  }
}
