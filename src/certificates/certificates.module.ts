import { Module } from '@nestjs/common';
import { IssuancesModule } from '../issuances';
import { ShareholdersModule } from '../shareholders';
import { CertificateDocumentService } from './certificate-document.service';
import { CertificateIssuer } from './certificate-issuer.service';
import { CertificateNumbersModule } from './certificate-numbers.module';
import { CertificateNumberingService } from './certificate-numbering.service';
import { CertificateRenderWorker } from './certificate-render.worker';
import { CertificatesController } from './certificates.controller';
import { CertificatesService } from './certificates.service';
import { IssuanceCertificateController } from './issuance-certificate.controller';
import { CancelCertificateOnSecuritySpentListener } from './listeners/cancel-certificate-on-security-spent.listener';
import { RenderCertificateOnIssuanceCreatedListener } from './listeners/render-certificate-on-issuance-created.listener';
import { CertificateQueueRepository } from './persistence/certificate-queue.repository';
import { CertificatesRepository } from './persistence/certificates.repository';
import { PdfRenderer } from './pdf/pdf-renderer';

@Module({
  imports: [IssuancesModule, ShareholdersModule, CertificateNumbersModule],
  controllers: [CertificatesController, IssuanceCertificateController],
  providers: [
    CertificatesRepository,
    CertificateQueueRepository,
    PdfRenderer,
    CertificateDocumentService,
    CertificateNumberingService,
    CertificateIssuer,
    CertificatesService,
    CertificateRenderWorker,
    RenderCertificateOnIssuanceCreatedListener,
    CancelCertificateOnSecuritySpentListener,
  ],
  exports: [CertificatesService],
})
export class CertificatesModule {}
