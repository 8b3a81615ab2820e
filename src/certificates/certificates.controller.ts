import { ApiAuth, ApiUuidParam } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public, Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import { TOTAL_COUNT_HEADER } from '../core/http/pagination';
import { CertificateIssuer } from './certificate-issuer.service';
import { certificateFilename } from './certificate-views';
import { CertificatesService, CertificateWithContent } from './certificates.service';
import {
  CertificateContentDto,
  CertificateQueryDto,
  CertificateReasonDto,
  CertificateResponseDto,
  CertificateVerificationDto,
  EncodingQueryDto,
} from './dto/certificate.dto';
import { replyWithPdf } from './pdf-response';

const METADATA_OR_BASE64 = {
  schema: {
    // anyOf, not oneOf: the base64 form is the metadata plus its content, so it matches both.
    anyOf: [
      { $ref: getSchemaPath(CertificateResponseDto) },
      { $ref: getSchemaPath(CertificateContentDto) },
    ],
  },
};

const VERSIONING =
  'A reissue keeps the certificate number and adds a version (CS-000001 version 2, file name certificate-CS-000001-v2.pdf), so the number stays the holding’s identity on the register and the per-class sequence stays gap-free; every version keeps its PDF, SHA-256 and its own verification code.';

@ApiTags('certificates')
@ApiProblemResponses(400, 429, 500)
@ApiExtraModels(CertificateResponseDto, CertificateContentDto)
@Controller(['api/certificates', 'api/companies/:company_id/certificates'])
export class CertificatesController {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly issuer: CertificateIssuer,
  ) {}

  @Get()
  @ApiAuth()
  @ApiProblemResponses(403)
  @ApiOperation({
    operationId: 'listCertificates',
    summary: 'Certificates (every stored version), newest first',
    description:
      'Admins and auditors see all; a shareholder sees only their own. Filter by issuance, holder and status (status=active gives the certificates in force). The total is in X-Total-Count.',
  })
  @ApiOkResponse({ type: [CertificateResponseDto] })
  async list(
    @Query() query: CertificateQueryDto,
    @Action() context: ActionContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CertificateResponseDto[]> {
    const page = await this.certificates.list(query, context);
    void reply.header(TOTAL_COUNT_HEADER, String(page.total));
    return page.items.map((certificate) => this.certificates.toResponse(certificate));
  }

  // Public: rate limited per client IP by the global throttler (anonymous callers are counted
  // by IP); the 80-bit random codes make guessing hopeless anyway.
  @Get('verify/:code')
  @Public()
  @ApiProblemResponses(404)
  @ApiOperation({
    operationId: 'verifyCertificate',
    security: [],
    summary: 'Verify a certificate by the code printed on it (public, no token)',
    description:
      'Answers only whether a certificate version has this code, and its status (active, superseded, void, or cancelled when a ledger transaction spent the security), number, class and issue date; never the holder. Case and dashes are ignored. Unknown codes get 404.',
  })
  @ApiOkResponse({ type: CertificateVerificationDto })
  verify(@Param('code') code: string): Promise<CertificateVerificationDto> {
    return this.certificates.verify(code);
  }

  @Get(':id')
  @ApiAuth()
  @ApiUuidParam('id', 'The certificate version id.')
  @ApiProblemResponses(403, 404)
  @ApiOperation({
    operationId: 'getCertificate',
    summary: 'One certificate version (admin, auditor, or the owning shareholder)',
    description: `Metadata; with ?encoding=base64 also the PDF in content_base64. ${VERSIONING}`,
  })
  @ApiOkResponse(METADATA_OR_BASE64)
  async findOne(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: EncodingQueryDto,
    @Action() context: ActionContext,
  ): Promise<CertificateResponseDto | CertificateContentDto> {
    if (query.encoding === 'base64') {
      return this.base64(await this.certificates.content(id, context));
    }
    return this.certificates.toResponse(await this.certificates.findOne(id, context));
  }

  @Get(':id/content')
  @ApiAuth()
  @ApiUuidParam('id', 'The certificate version id.')
  @ApiProblemResponses(403, 404)
  @ApiOperation({
    operationId: 'getCertificateContent',
    summary: 'The PDF of one certificate version, also when superseded or void',
    description:
      'application/pdf with an ETag of its SHA-256 (If-None-Match gives 304); ?encoding=base64 answers JSON with content_base64 instead. X-Certificate-Status tells the version’s status.',
  })
  @ApiProduces('application/pdf', 'application/json')
  @ApiOkResponse({
    description: 'The PDF, or with ?encoding=base64 JSON with content_base64.',
    content: {
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
      'application/json': { schema: { $ref: getSchemaPath(CertificateContentDto) } },
    },
  })
  async content(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: EncodingQueryDto,
    @Action() context: ActionContext,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer | CertificateContentDto | undefined> {
    const certificate = await this.certificates.content(id, context);
    if (query.encoding === 'base64') return this.base64(certificate);
    return replyWithPdf(reply, certificate, ifNoneMatch);
  }

  @Get(':id/versions')
  @ApiAuth()
  @ApiUuidParam('id', 'The id of any version of the certificate.')
  @ApiProblemResponses(403, 404)
  @ApiOperation({
    operationId: 'listCertificateVersions',
    summary: 'The version chain of a certificate, oldest first',
    description: VERSIONING,
  })
  @ApiOkResponse({ type: [CertificateResponseDto] })
  async versions(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Action() context: ActionContext,
  ): Promise<CertificateResponseDto[]> {
    const versions = await this.certificates.versions(id, context);
    return versions.map((certificate) => this.certificates.toResponse(certificate));
  }

  @Post(':id/reissue')
  @Roles(Role.Admin)
  @ApiAuth()
  @ApiUuidParam('id', 'The id of the active certificate version.')
  @ApiProblemResponses(403, 404, 409, 413, 415, 503)
  @ApiOperation({
    operationId: 'reissueCertificate',
    summary: 'Reissue a certificate: a new version with a freshly rendered PDF',
    description: `Only the active version can be reissued (409 CERTIFICATE_SUPERSEDED or CERTIFICATE_VOID otherwise). The previous version becomes superseded and stays downloadable. ${VERSIONING} Emits certificate.reissued. 503 with Retry-After when the renderer is saturated.`,
  })
  @ApiCreatedResponse({ type: CertificateResponseDto })
  async reissue(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CertificateReasonDto,
    @Action() context: ActionContext,
  ): Promise<CertificateResponseDto> {
    return this.certificates.toResponse(await this.issuer.reissue(id, dto.reason, context));
  }

  @Post(':id/void')
  @HttpCode(200)
  @Roles(Role.Admin)
  @ApiAuth()
  @ApiUuidParam('id', 'The id of the active certificate version.')
  @ApiProblemResponses(403, 404, 409, 413, 415)
  @ApiOperation({
    operationId: 'voidCertificate',
    summary: 'Void the active version of a certificate',
    description:
      'The PDF stays stored and downloadable; verification then reports status void, and the issuance has no current certificate (GET /api/issuances/{id}/certificate answers 409 CERTIFICATE_VOID). Emits certificate.voided.',
  })
  @ApiOkResponse({ type: CertificateResponseDto })
  async void(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CertificateReasonDto,
    @Action() context: ActionContext,
  ): Promise<CertificateResponseDto> {
    const voided = await this.issuer.voidCertificate(id, dto.reason, context);
    return this.certificates.toResponse(voided);
  }

  private base64(certificate: CertificateWithContent): CertificateContentDto {
    return {
      ...this.certificates.toResponse(certificate),
      content_base64: certificate.content.toString('base64'),
      content_type: 'application/pdf',
      filename: certificateFilename(certificate),
    };
  }
}
