import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ForbiddenError } from '../core/auth/auth.errors';
import { hasAnyRole } from '../core/auth/principal';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import type { Page } from '../core/http/pagination';
import { IssuancesService } from '../issuances/issuances.service';
import { ShareholdersService } from '../shareholders/shareholders.service';
import { CertificateDocumentService } from './certificate-document.service';
import { Certificate, CertificateStatus } from './certificate.entity';
import { CertificateIssuer } from './certificate-issuer.service';
import { normalizeVerificationCode } from './certificate-numbering';
import { toCertificateResponse, toVerification } from './certificate-views';
import { CertificateNotFoundError, CertificateVoidError } from './certificates.errors';
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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly issuer: CertificateIssuer,
    private readonly issuances: IssuancesService,
    private readonly shareholders: ShareholdersService,
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
    // A certificate rendered by this very call still holds its PDF.
    return hasContent(current) ? current : this.withContent(current.id);
  }

  async findOne(id: string, context: ActionContext): Promise<Certificate> {
    const certificate = await this.dataSource.manager.findOne(Certificate, { where: { id } });
    if (!certificate) throw new CertificateNotFoundError(`Certificate ${id} does not exist.`);
    await this.assertCanRead(certificate, context);
    return certificate;
  }

  async content(id: string, context: ActionContext): Promise<CertificateWithContent> {
    await this.findOne(id, context);
    return this.withContent(id);
  }

  /** Every version of the certificate's issuance, oldest first. */
  async versions(id: string, context: ActionContext): Promise<Certificate[]> {
    const certificate = await this.findOne(id, context);
    return this.dataSource.manager.find(Certificate, {
      where: { issuanceId: certificate.issuanceId },
      order: { version: 'ASC' },
    });
  }

  async list(query: CertificateQueryDto, context: ActionContext): Promise<Page<Certificate>> {
    let shareholderId = query.shareholder_id;
    if (!hasAnyRole(context.principal, [Role.Admin, Role.Auditor])) {
      const own = await this.shareholders.ownShareholderId(context);
      if (!own || (shareholderId !== undefined && shareholderId !== own)) {
        return { items: [], total: 0 };
      }
      shareholderId = own;
    }
    const builder = this.dataSource.manager.createQueryBuilder(Certificate, 'c');
    if (shareholderId) builder.andWhere('c.shareholder_id = :shareholderId', { shareholderId });
    if (query.issuance_id) {
      builder.andWhere('c.issuance_id = :issuanceId', { issuanceId: query.issuance_id });
    }
    if (query.status) builder.andWhere('c.status = :status', { status: query.status });
    const [items, total] = await builder
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'ASC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    return { items, total };
  }

  /** Public: whether a code belongs to a certificate, and only its status, number, class and date. */
  async verify(code: string): Promise<CertificateVerificationDto> {
    const normalized = normalizeVerificationCode(code);
    const certificate = normalized
      ? await this.dataSource.manager.findOne(Certificate, {
          where: { verificationCode: normalized },
        })
      : null;
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
    const certificate = await this.dataSource.manager
      .createQueryBuilder(Certificate, 'c')
      .addSelect('c.content')
      .where('c.id = :id', { id })
      .getOne();
    if (!certificate?.content) {
      throw new CertificateNotFoundError(`Certificate ${id} does not exist.`);
    }
    return certificate as CertificateWithContent;
  }

  private async assertCanRead(certificate: Certificate, context: ActionContext): Promise<void> {
    if (hasAnyRole(context.principal, [Role.Admin, Role.Auditor])) return;
    const own = await this.shareholders.ownShareholderId(context);
    if (own === null || own !== certificate.shareholderId) {
      throw new ForbiddenError('This certificate belongs to another shareholder.');
    }
  }
}
