import { Injectable } from '@nestjs/common';
import type { ActionContext } from '../core/http/action-context';
import type { Page } from '../core/http/pagination';
import { IssuancesService } from '../issuances';
import { HolderAccess } from '../shareholders';
import { CertificateDocumentService } from './certificate-document.service';
import { Certificate, CertificateStatus } from './certificate.entity';
import { CertificateIssuer } from './certificate-issuer.service';
import { normalizeVerificationCode } from './certificate-numbering';
import { toCertificateResponse, toVerification } from './certificate-views';
import {
  CertificateCancelledError,
  CertificateNotFoundError,
  CertificateVoidError,
} from './certificates.errors';
import { CertificatesRepository } from './persistence/certificates.repository';
import type {
  CertificateQueryDto,
  CertificateResponseDto,
  CertificateVerificationDto,
} from './dto/certificate.dto';

/** A certificate with its PDF bytes loaded. */
export type CertificateWithContent = Certificate & { content: Buffer };

function hasContent(certificate: Certificate): certificate is CertificateWithContent {
  return Buffer.isBuffer(certificate.content);
}

/**
 * Reading certificates. Admins and auditors read every certificate; a shareholder only those of
 * their own issuances (403 otherwise, deny by default). Writes live in CertificateIssuer.
 */
@Injectable()
export class CertificatesService {
  constructor(
    private readonly repository: CertificatesRepository,
    private readonly issuer: CertificateIssuer,
    private readonly issuances: IssuancesService,
    private readonly access: HolderAccess,
    private readonly documents: CertificateDocumentService,
  ) {}

  toResponse(certificate: Certificate): CertificateResponseDto {
    return toCertificateResponse(
      certificate,
      this.documents.verificationUrl(certificate.verificationCode),
    );
  }

  /**
   * The current PDF of an issuance, rendered now if the listener has not done it yet (same
   * idempotency as the listener). 404/403 come from the issuance's own access rule.
   */
  async currentForIssuance(
    issuanceId: string,
    context: ActionContext,
  ): Promise<CertificateWithContent> {
    await this.issuances.findOne(issuanceId, context);
    const current = await this.issuer.ensureForIssuance(issuanceId, context);
    if (current.status === CertificateStatus.Void) {
      throw new CertificateVoidError(current.certificateNumber, current.version);
    }
    if (current.status === CertificateStatus.Cancelled) {
      throw new CertificateCancelledError(
        `Certificate ${current.certificateNumber} version ${current.version} is cancelled (${current.cancellationReason ?? 'its security was spent'}); the securities that came from it have certificates of their own. GET /api/certificates/${current.id}/content still serves this PDF.`,
      );
    }
    // A certificate rendered by this very call still holds its PDF.
    return hasContent(current) ? current : this.withContent(current.id);
  }

  async findOne(id: string, context: ActionContext): Promise<Certificate> {
    const certificate = await this.repository.find(undefined, id);
    if (!certificate) throw new CertificateNotFoundError(`Certificate ${id} does not exist.`);
    await this.access.assertMaySee(
      context,
      certificate.shareholderId,
      'This certificate belongs to another shareholder.',
    );
    return certificate;
  }

  async content(id: string, context: ActionContext): Promise<CertificateWithContent> {
    await this.findOne(id, context);
    return this.withContent(id);
  }

  /** Every version of the certificate's issuance, oldest first. */
  async versions(id: string, context: ActionContext): Promise<Certificate[]> {
    const certificate = await this.findOne(id, context);
    return this.repository.versions(certificate.issuanceId);
  }

  async list(query: CertificateQueryDto, context: ActionContext): Promise<Page<Certificate>> {
    const scope = await this.access.scope(context);
    let shareholderId = query.shareholder_id;
    if (!scope.all) {
      if (
        !scope.shareholderId ||
        (shareholderId !== undefined && shareholderId !== scope.shareholderId)
      )
        return { items: [], total: 0 };
      shareholderId = scope.shareholderId;
    }
    return this.repository.list({
      shareholderId,
      issuanceId: query.issuance_id,
      status: query.status,
      limit: query.limit,
      offset: query.offset,
    });
  }

  /** Public: whether a code belongs to a certificate, and only its status, number, class and date. */
  async verify(code: string): Promise<CertificateVerificationDto> {
    const normalized = normalizeVerificationCode(code);
    const certificate = normalized ? await this.repository.findByCode(normalized) : null;
    if (!certificate) {
      throw new CertificateNotFoundError('No certificate has this verification code.');
    }
    return toVerification(certificate);
  }

  /**
   * The PDF bytes of one certificate version, for other modules acting as the system (the
   * notifications mailer); no access check, so never expose it to a caller's request directly.
   */
  async documentOf(id: string): Promise<Buffer> {
    return (await this.withContent(id)).content;
  }

  private async withContent(id: string): Promise<CertificateWithContent> {
    const certificate = await this.repository.withContent(id);
    if (!certificate?.content) {
      throw new CertificateNotFoundError(`Certificate ${id} does not exist.`);
    }
    return certificate as CertificateWithContent;
  }
}
