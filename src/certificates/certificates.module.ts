import { Module } from '@nestjs/common';
import { IssuancesModule } from '../issuances/issuances.module';
import { ShareholdersModule } from '../shareholders/shareholders.module';
import { CertificateDocumentService } from './certificate-document.service';
import { CertificateIssuer } from './certificate-issuer.service';
import { CertificateNumberingService } from './certificate-numbering.service';
import { CertificateRenderWorker } from './certificate-render.worker';
import { CertificatesController } from './certificates.controller';
import { CertificatesService } from './certificates.service';
import { IssuanceCertificateController } from './issuance-certificate.controller';
import { RenderCertificateOnIssuanceCreatedListener } from './listeners/render-certificate-on-issuance-created.listener';
import { PdfRenderer } from './pdf/pdf-renderer';

@Module({
  imports: [IssuancesModule, ShareholdersModule],
  controllers: [CertificatesController, IssuanceCertificateController],
  providers: [
    PdfRenderer,
    CertificateDocumentService,
    CertificateNumberingService,
    CertificateIssuer,
    CertificatesService,
    CertificateRenderWorker,
    RenderCertificateOnIssuanceCreatedListener,
  ],
  exports: [CertificatesService],
})
export class CertificatesModule {}
