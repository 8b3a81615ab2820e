import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../../core/db/database.service';
import {
  CompanyGroupCommit,
  DeliveredEvent,
  EventOrigin,
  OnOutboxEvent,
  OutboxService,
  ProcessedEventsService,
} from '../../events';
import { CertificateRenderWorker } from '../certificate-render.worker';
import { certificateSnapshot } from '../certificate-views';
import { CertificateQueueRepository } from '../persistence/certificate-queue.repository';
import {
  CancelledCertificate,
  CertificatesRepository,
} from '../persistence/certificates.repository';

const CONSUMER = 'certificates.cancel-on-security-spent';

type Recorded = DeliveredEvent<'stock.transaction_recorded'>;

interface Cancelled {
  certificate: { before: CancelledCertificate; after: CancelledCertificate } | null;
  origin: EventOrigin;
}

const originOf = (event: Recorded): EventOrigin => ({
  actor: event.actor,
  requestId: event.requestId,
});

/**
 * Certificates follow the holdings: when a ledger transaction spends a security, its active
 * certificate becomes cancelled (it keeps verifying, as cancelled, with the transaction as the
 * reason) and a certificate not rendered yet never will be. The new securities get theirs through
 * their issuance.created events. A reversal cancels the certificates of the securities it
 * withdraws and queues a new version of the restored security's. Handled once per event; the
 * events delivered together are handled in one transaction, in delivery order, with their
 * certificate.cancelled events.
 */
@Injectable()
export class CancelCertificateOnSecuritySpentListener {
  private readonly groups = new CompanyGroupCommit<Recorded>(async (events) => {
    const queued = await this.db.transaction((tx) => this.handleAll(tx, events));
    if (queued) this.worker.queued();
  });

  constructor(
    private readonly db: Database,
    private readonly repository: CertificatesRepository,
    private readonly queue: CertificateQueueRepository,
    private readonly processed: ProcessedEventsService,
    private readonly outbox: OutboxService,
    private readonly worker: CertificateRenderWorker,
  ) {}

  @OnOutboxEvent('stock.transaction_recorded')
  handle(event: Recorded): Promise<void> {
    return this.groups.add(event);
  }

  /**
   * The events this consumer has not handled yet, in order. The cancellations of consecutive
   * events leave together (PostgreSQL runs them in the order they were issued); a reversal that
   * restores a security waits for those before it, and the ones after it wait for it. Answers
   * whether a render was queued.
   */
  private async handleAll(tx: EntityManager, events: Recorded[]): Promise<boolean> {
    const fresh = await this.processed.claimAll(
      tx,
      events.map((event) => event.id),
      CONSUMER,
    );
    const cancelled: Array<Promise<Cancelled>> = [];
    let queued = false;
    for (const event of events.filter((candidate) => fresh.has(candidate.id))) {
      const { transaction } = event.payload;
      const reversal = transaction.reversal;
      const spent = reversal ? reversal.withdrawn_security_ids : [transaction.security_id];
      const reason = `${transaction.kind} ${transaction.id} on ${transaction.date}`;
      for (const securityId of spent) {
        cancelled.push(
          this.repository
            .cancelForSecurity(tx, securityId, transaction.id, transaction.kind, reason)
            .then((certificate) => ({ certificate, origin: originOf(event) })),
        );
      }
      const restored = reversal?.restored_security_id;
      if (!restored) continue;
      await Promise.all(cancelled);
      await this.repository.reinstate(tx, restored);
      await this.queue.enqueue(tx, [
        { issuanceId: restored, issuedAt: event.occurredAt, ...originOf(event) },
      ]);
      queued = true;
    }
    await Promise.all((await Promise.all(cancelled)).map((done) => this.published(tx, done)));
    return queued;
  }

  private async published(tx: EntityManager, { certificate, origin }: Cancelled): Promise<void> {
    if (!certificate) return;
    await this.outbox.publish(
      tx,
      {
        type: 'certificate.cancelled',
        aggregateType: 'certificate',
        aggregateId: certificate.after.id,
        payload: {
          before: certificateSnapshot(certificate.before),
          after: certificateSnapshot(certificate.after),
        },
      },
      origin,
    );
  }
}
