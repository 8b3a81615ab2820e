import { Injectable } from '@nestjs/common';
import { CertificatesService } from '../../certificates';
import { Database } from '../../core/db/database.service';
import { DeliveredEvent, OnOutboxEvent, ProcessedEventsService } from '../../events';
import { IssuanceFactsService } from '../../issuances';
import { MailerService } from '../mailer.service';

const CONSUMER = 'notifications.certificate-cancelled';

/**
 * Tells the holder that a certificate of theirs was cancelled (a transfer, cancellation,
 * repurchase, conversion, reissuance, split or reversal spent its security), with the cancelled
 * document attached for their records; the certificates of what they keep reach them by the
 * certificate.generated mail. Recorded as handled in the transaction committed after the mail
 * was accepted: a crash between the two can repeat a mail, never lose one.
 */
@Injectable()
export class NotifyHolderOnCertificateCancelledListener {
  constructor(
    private readonly db: Database,
    private readonly processed: ProcessedEventsService,
    private readonly facts: IssuanceFactsService,
    private readonly certificates: CertificatesService,
    private readonly mailer: MailerService,
  ) {}

  @OnOutboxEvent('certificate.cancelled')
  async handle(event: DeliveredEvent<'certificate.cancelled'>): Promise<void> {
    // An import brings a company's existing records in: its holders are not told of them again.
    if (event.actor.via === 'ocf-import') return;
    const certificate = event.payload.after;
    const facts = await this.facts.factsFor(certificate.issuance_id);
    const pdf = this.mailer.delivers ? await this.certificates.documentOf(certificate.id) : null;
    await this.db.transaction(async (tx) => {
      if (!(await this.processed.claim(tx, event.id, CONSUMER))) return;
      await this.mailer.send({
        kind: 'certificate.cancelled',
        to: facts.holderEmail,
        subject: `${facts.companyLegalName}: share certificate ${certificate.certificate_number} cancelled`,
        text: [
          `Dear ${facts.holderName},`,
          '',
          `Your certificate ${certificate.certificate_number} for ${facts.numberOfShares} ${facts.shareClassName} shares of ${facts.companyLegalName}`,
          `is cancelled: ${certificate.reason ?? 'the ledger spent its security'}. It is no longer valid; the cancelled document is attached for your records.`,
          'Shares you keep come with a new certificate, sent to you separately.',
        ].join('\n'),
        attachments: [
          {
            filename: `certificate-${certificate.certificate_number}-cancelled.pdf`,
            content: pdf ?? Buffer.alloc(0),
            contentType: 'application/pdf',
          },
        ],
      });
    });
  }
}
