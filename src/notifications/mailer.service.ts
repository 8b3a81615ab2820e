import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfigService } from '../core/config/app-config.service';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Identifies the notification in logs; never personal data beyond the recipient. */
  kind: string;
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

/**
 * Sends mail through SMTP_URL with nodemailer, or, when it is unset, writes the notification as a
 * structured log line (the simulated email of development setups).
 */
@Injectable()
export class MailerService implements OnModuleDestroy {
  private readonly logger = new Logger('Notifications');
  private readonly transport?: Transporter;

  constructor(private readonly config: AppConfigService) {
    const url = config.get('SMTP_URL');
    if (url) this.transport = createTransport(url);
  }

  /** Whether mail leaves the process (SMTP_URL set); otherwise it is only logged. */
  get delivers(): boolean {
    return this.transport !== undefined;
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (!this.transport) {
      this.logger.log(
        {
          notification: mail.kind,
          to: mail.to,
          subject: mail.subject,
          attachments: (mail.attachments ?? []).map((a) => a.filename),
        },
        'Notification (simulated email: SMTP_URL is not set)',
      );
      return;
    }
    await this.transport.sendMail({
      from: this.config.get('NOTIFICATION_FROM'),
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      attachments: mail.attachments,
    });
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
