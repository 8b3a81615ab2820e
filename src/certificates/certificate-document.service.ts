import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { toString as qrCode } from 'qrcode';
import { AppConfigService } from '../core/config/app-config.service';
import type { IssuanceFacts } from '../issuances';
import { groupVerificationCode, newVerificationCode } from './certificate-numbering';
import { renderCertificateHtml } from './pdf/certificate-template';
import { PdfRenderer } from './pdf/pdf-renderer';

/** One rendered version of a certificate, ready to store. */
export interface CertificateDocument {
  content: Buffer;
  sha256: string;
  sizeBytes: number;
  verificationCode: string;
  specimen: boolean;
}

export function sha256Hex(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Turns an issuance's facts, its number and a version into the PDF handed to the holder. */
@Injectable()
export class CertificateDocumentService {
  constructor(
    private readonly renderer: PdfRenderer,
    private readonly config: AppConfigService,
  ) {}

  /** SPECIMEN across the page: CERTIFICATE_WATERMARK, or everywhere but production when unset. */
  get watermark(): boolean {
    return this.config.get('CERTIFICATE_WATERMARK') ?? !this.config.isProduction;
  }

  /** The public verification route for a code, as encoded in the QR code. */
  verificationUrl(code: string): string {
    const base = (
      this.config.get('CERTIFICATE_VERIFY_BASE_URL') ?? this.config.publicBaseUrl
    ).replace(/\/+$/, '');
    return `${base}/api/certificates/verify/${code}`;
  }

  async render(
    facts: IssuanceFacts,
    certificateNumber: string,
    version: number,
  ): Promise<CertificateDocument> {
    const verificationCode = newVerificationCode();
    const verificationUrl = this.verificationUrl(verificationCode);
    const specimen = this.watermark;
    const qrSvg = await qrCode(verificationUrl, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 0,
    });
    const content = await this.renderer.render(
      renderCertificateHtml({
        companyLegalName: facts.companyLegalName,
        certificateNumber,
        version,
        holderName: facts.holderName,
        numberOfShares: facts.numberOfShares,
        shareClassName: facts.shareClassName,
        shareClassType: facts.shareClassType,
        parValue: facts.parValue,
        price: facts.price,
        totalAmount: facts.totalAmount,
        currency: facts.currency,
        issueDate: facts.issueDate,
        legendText: facts.legendText,
        verificationCode: groupVerificationCode(verificationCode),
        verificationUrl,
        qrSvg,
        watermark: specimen,
      }),
    );
    return {
      content,
      sha256: sha256Hex(content),
      sizeBytes: content.length,
      verificationCode,
      specimen,
    };
  }
}
