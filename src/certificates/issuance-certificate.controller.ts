import { ApiAuth, ApiUuidParam } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { Controller, Get, Headers, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import { CertificatesService } from './certificates.service';
import { replyWithPdf } from './pdf-response';

@ApiTags('certificates')
@ApiAuth()
@ApiProblemResponses(400, 403, 429, 500)
@Controller(['api/issuances', 'api/companies/:company_id/issuances'])
export class IssuanceCertificateController {
  constructor(private readonly certificates: CertificatesService) {}

  @Get(':id/certificate')
  @ApiOperation({
    operationId: 'getIssuanceCertificate',
    summary: "The issuance's current share certificate as PDF",
    description:
      'Admin, auditor, or the owning shareholder (another holder 403, unknown issuance 404). Rendered on the spot if the event listener has not done it yet, with the same idempotency: never a second certificate or number. Content-Disposition names the certificate number and version; the ETag is the SHA-256 (If-None-Match gives 304). A reissue keeps the number and adds a version; a voided certificate answers 409 CERTIFICATE_VOID, one whose security a ledger transaction spent 409 CERTIFICATE_CANCELLED. 503 with Retry-After when the renderer is saturated.',
  })
  @ApiUuidParam('id', 'The issuance id.')
  @ApiProblemResponses(404, 409, 503)
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    description: 'The PDF.',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  async download(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Action() context: ActionContext,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer | undefined> {
    const certificate = await this.certificates.currentForIssuance(id, context);
    return replyWithPdf(reply, certificate, ifNoneMatch);
  }
}
