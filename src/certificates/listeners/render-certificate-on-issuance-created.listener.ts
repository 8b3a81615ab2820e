import { Injectable } from '@nestjs/common';
import type { DeliveredEvent } from '../../events/delivered-event';
import { OnOutboxEvent } from '../../events/delivered-event';
import { CertificateIssuer } from '../certificate-issuer.service';

/**
 * Renders and stores the certificate of every new issuance. Runs at least once per event; the
 * issuer makes repeats (and races with the download route) produce nothing new, and records the
 * event as handled in the transaction that stores the certificate.
 */
@Injectable()
export class RenderCertificateOnIssuanceCreatedListener {
  constructor(private readonly issuer: CertificateIssuer) {}

  @OnOutboxEvent('issuance.created')
  async handle(event: DeliveredEvent<'issuance.created'>): Promise<void> {
    await this.issuer.ensureForIssuance(
      event.payload.after.id,
      { actor: event.actor, requestId: event.requestId },
      event.id,
    );
  }
}
