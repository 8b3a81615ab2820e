import { ApiAuth } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import { AuditService } from './audit.service';
import {
  AuditEntryDto,
  AuditExportQueryDto,
  AuditPageDto,
  AuditQueryDto,
  AuditVerificationDto,
  AuditVerifyQueryDto,
} from './dto/audit-query.dto';

/** Read-only by design: there is no route that changes or removes an entry. */
@ApiTags('audit')
@ApiAuth()
@ApiProblemResponses(400, 403, 429, 500)
@Roles(Role.Admin, Role.Auditor)
@Controller(['api/audit', 'api/companies/:company_id/audit'])
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    operationId: 'searchAuditLog',
    summary: 'Search the audit log',
    description: 'Filters combine with AND; pages follow next_cursor.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @Header('content-type', 'application/json; charset=utf-8')
  search(@Query() query: AuditQueryDto): Promise<string> {
    return this.audit.search(query);
  }

  @Get('export')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    operationId: 'exportAuditLog',
    summary: 'Export the matching entries, streamed (CSV or a JSON array)',
    description:
      "In CSV, text that starts with =, +, -, @, tab or carriage return (a username, a user agent) gets a leading ' so that a spreadsheet does not evaluate it.",
  })
  @ApiOkResponse({
    description: 'The matching entries: a JSON array, or CSV with a header row.',
    content: {
      'application/json': {
        schema: { type: 'array', items: { $ref: getSchemaPath(AuditEntryDto) } },
      },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  export(@Query() query: AuditExportQueryDto, @Res() reply: FastifyReply): void {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    // Byte mode: the stream pulls the next chunk only once the previous one has drained below its
    // high-water mark, so a slow client holds the database's COPY back.
    const body = Readable.from(this.audit.exportBody(query, query.format), { objectMode: false });
    void reply
      .header(
        'content-type',
        query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      )
      .header('content-disposition', `attachment; filename="audit-${stamp}.${query.format}"`)
      .header('cache-control', 'no-store')
      .send(body);
  }

  @Get('verify')
  @ApiOperation({
    operationId: 'verifyAuditChain',
    summary: 'Verify the hash chain, against the latest checkpoint and optionally a saved one',
    description:
      'Reports ok, or the first sequence number that does not verify (its links, its hash, its search text) with reason_code, plus the head hash. The chain is also held against the latest stored checkpoint (TRUNCATED when it ends below it) and, with ?checkpoint=, against a checkpoint saved earlier (its sequence number, or the base64 of its JSON): signed by a known key, and its entry still in the chain with its hash (else CHECKPOINT_NOT_IN_CHAIN, CHECKPOINT_SIGNATURE_INVALID, CHECKPOINT_KEY_UNKNOWN, CHECKPOINT_NOT_FOUND). 400 when checkpoint is neither.',
  })
  @ApiOkResponse({ type: AuditVerificationDto })
  verify(@Query() query: AuditVerifyQueryDto): Promise<AuditVerificationDto> {
    return this.audit.verify(query.checkpoint);
  }
}
