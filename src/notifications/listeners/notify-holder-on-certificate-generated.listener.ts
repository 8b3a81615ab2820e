import { Injectable } from '@nestjs/common';
import { CertificatesService } from '../../certificates';
import { Database } from '../../core/db/database.service';
import { DeliveredEvent, OnOutboxEvent, ProcessedEventsService } from '../../events';
import { IssuanceFactsService } from '../../issuances';
import { MailerService } from '../mailer.service';

const CONSUMER = 'notifications';

/**
 * Tells the holder about a new issuance, with its certificate attached: it reacts to the first
 * version of the certificate, so the PDF exists by then. The handled event is recorded in the same
 * transaction, committed only after the mail was accepted; a crash between the two can repeat a
 * mail, never lose one.
 */
@Injectable()
export class NotifyHolderOnCertificateGeneratedListener {
  constructor(
    private readonly db: Database,
    private readonly processed: ProcessedEventsService,
    private readonly facts: IssuanceFactsService,
    private readonly certificates: CertificatesService,
    private readonly mailer: MailerService,
  ) {}

  @OnOutboxEvent('certificate.generated')
  async handle(event: DeliveredEvent<'certificate.generated'>): Promise<void> {
    // An import brings a company's existing records in: its holders are not told of them again.
    if (event.actor.via === 'ocf-import') return;
    const certificate = event.payload.after;
    // Everything the mail needs is read first: the transaction below holds its connection while
    // the mail is sent and must not wait for a second one (events are delivered concurrently).
    const facts = await this.facts.factsFor(certificate.issuance_id);
    // The PDF only when the mail is really sent (the simulated mail logs the file name only).
    const pdf = this.mailer.delivers ? await this.certificates.documentOf(certificate.id) : null;
    await this.db.transaction(async (tx) => {
      if (!(await this.processed.claim(tx, event.id, CONSUMER))) return;
      await this.mailer.send({
        kind: 'issuance.created',
        to: facts.holderEmail,
        subject: `${facts.companyLegalName}: ${facts.numberOfShares} ${facts.shareClassName} shares issued to you`,
        text: [
          `Dear ${facts.holderName},`,
          '',
          `${facts.companyLegalName} has issued you ${facts.numberOfShares} ${facts.shareClassName} shares on ${facts.issueDate}`,
          `at ${facts.price} ${facts.currency} per share (total ${facts.totalAmount} ${facts.currency}).`,
          `Your share certificate ${certificate.certificate_number} is attached.`,
        ].join('\n'),
        attachments: [
          {
            filename: `certificate-${certificate.certificate_number}.pdf`,
            content: pdf ?? Buffer.alloc(0),
            contentType: 'application/pdf',
          },
        ],
      });
    });
  }
}
