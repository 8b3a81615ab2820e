import { Module } from '@nestjs/common';
import { CertificatesModule } from '../certificates';
import { IssuancesModule } from '../issuances';
import { ShareholdersModule } from '../shareholders';
import { NotifyHolderOnCertificateCancelledListener } from './listeners/notify-holder-on-certificate-cancelled.listener';
import { NotifyHolderOnCertificateGeneratedListener } from './listeners/notify-holder-on-certificate-generated.listener';
import { MailerService } from './mailer.service';

@Module({
  imports: [IssuancesModule, ShareholdersModule, CertificatesModule],
  providers: [
    MailerService,
    NotifyHolderOnCertificateGeneratedListener,
    NotifyHolderOnCertificateCancelledListener,
  ],
})
export class NotificationsModule {}
