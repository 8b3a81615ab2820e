import { Injectable } from '@nestjs/common';
import { Database } from '../../core/db/database.service';
import { DeliveredEvent, OnOutboxEvent, OutboxService, ProcessedEventsService } from '../../events';
import { certificateSnapshot } from '../certificate-views';
import { CertificatesRepository } from '../persistence/certificates.repository';

const CONSUMER = 'certificates.cancel-on-security-spent';

/**
 * Certificates follow the holdings: when a ledger transaction spends a security, its active
 * certificate becomes cancelled (it keeps verifying, as cancelled, with the transaction as the
 * reason) and a certificate not rendered yet never will be. The new securities get theirs through
 * their issuance.created events. Handled once per event, in one transaction with its
 * certificate.cancelled event.
 */
@Injectable()
export class CancelCertificateOnSecuritySpentListener {
  constructor(
    private readonly db: Database,
    private readonly repository: CertificatesRepository,
    private readonly processed: ProcessedEventsService,
    private readonly outbox: OutboxService,
  ) {}

  @OnOutboxEvent('stock.transaction_recorded')
  async handle(event: DeliveredEvent<'stock.transaction_recorded'>): Promise<void> {
    const { transaction } = event.payload;
    await this.db.transaction(async (tx) => {
      if (!(await this.processed.claim(tx, event.id, CONSUMER))) return;
      const cancelled = await this.repository.cancelForSecurity(
        tx,
        transaction.security_id,
        transaction.id,
        transaction.kind,
        `${transaction.kind} ${transaction.id} on ${transaction.date}`,
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
        { actor: event.actor, requestId: event.requestId },
      );
    });
  }
}
