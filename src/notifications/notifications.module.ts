import { Module } from '@nestjs/common';
import { CertificatesModule } from '../certificates/certificates.module';
import { IssuancesModule } from '../issuances/issuances.module';
import { ShareholdersModule } from '../shareholders/shareholders.module';
import { NotifyHolderOnCertificateGeneratedListener } from './listeners/notify-holder-on-certificate-generated.listener';
import { MailerService } from './mailer.service';

@Module({
  imports: [IssuancesModule, ShareholdersModule, CertificatesModule],
  providers: [MailerService, NotifyHolderOnCertificateGeneratedListener],
})
export class NotificationsModule {}
