import { Controller, Get, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import { ApiAuth } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { checkpointExportChunks } from './audit-checkpoint-export';
import { AuditCheckpointService } from './audit-checkpoint.service';
import {
  AuditCheckpointCreatedDto,
  AuditCheckpointExportQueryDto,
  AuditCheckpointPageDto,
  AuditCheckpointPublicKeyDto,
  AuditCheckpointQueryDto,
} from './dto/audit-checkpoint.dto';

const KEEP =
  'Keep a checkpoint (its JSON) and the public key outside the system: GET /api/audit/verify?checkpoint=<base64 of that JSON> later proves the chain still holds it, and the signature can be checked offline (README, "Audit checkpoints").';

/** Signed checkpoints of the audit chain's head; none can be changed or removed. */
@ApiTags('audit')
@ApiAuth()
@ApiProblemResponses(400, 403, 429, 500)
@Roles(Role.Admin, Role.Auditor)
@Controller(['api/audit/checkpoints', 'api/companies/:company_id/audit/checkpoints'])
export class AuditCheckpointsController {
  constructor(private readonly checkpoints: AuditCheckpointService) {}

  @Get()
  @ApiOperation({
    operationId: 'listAuditCheckpoints',
    summary: 'List the signed checkpoints of the audit chain',
    description: `Newest first unless order=asc; pages follow next_cursor. Each states the sequence number and hash of the head at recorded_at, signed with Ed25519 over payload. ${KEEP}`,
  })
  @ApiOkResponse({ type: AuditCheckpointPageDto })
  list(@Query() query: AuditCheckpointQueryDto): Promise<AuditCheckpointPageDto> {
    return this.checkpoints.page(query);
  }

  @Get('export')
  @ApiProduces('application/json', 'application/x-ndjson')
  @ApiOperation({
    operationId: 'exportAuditCheckpoints',
    summary: 'Export every checkpoint, streamed (a JSON array or NDJSON)',
    description: `In NDJSON each line is one checkpoint, as listed. ${KEEP}`,
  })
  export(@Query() query: AuditCheckpointExportQueryDto, @Res() reply: FastifyReply): void {
    const batches = this.checkpoints.exportBatches(query.order);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const body = Readable.from(checkpointExportChunks(query.format, batches), {
      objectMode: false,
    });
    void reply
      .header(
        'content-type',
        query.format === 'ndjson'
          ? 'application/x-ndjson; charset=utf-8'
          : 'application/json; charset=utf-8',
      )
      .header(
        'content-disposition',
        `attachment; filename="audit-checkpoints-${stamp}.${query.format}"`,
      )
      .header('cache-control', 'no-store')
      .send(body);
  }

  @Get('public-keys')
  @ApiOperation({
    operationId: 'listAuditCheckpointPublicKeys',
    summary: 'The public keys that verify checkpoints, by key id',
    description:
      'The signing key (signing: true) and any kept after a rotation to verify older checkpoints (AUDIT_CHECKPOINT_PUBLIC_KEYS). PEM, SPKI; key_id is the first 16 hex digits of the SHA-256 of its DER form.',
  })
  @ApiOkResponse({ type: [AuditCheckpointPublicKeyDto] })
  publicKeys(): AuditCheckpointPublicKeyDto[] {
    return this.checkpoints.publicKeys();
  }

  @Post()
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'createAuditCheckpoint',
    summary: 'Make a checkpoint of the current head now (admin)',
    description:
      'For instance before an export. 201 with the new checkpoint; 200 with the latest one when the head has one already. The entries since the previous checkpoint are verified first: 409 AUDIT_CHAIN_BROKEN when one does not. Checkpoints are also made every AUDIT_CHECKPOINT_INTERVAL_MS while the head moves.',
  })
  @ApiCreatedResponse({ type: AuditCheckpointCreatedDto })
  @ApiOkResponse({ type: AuditCheckpointCreatedDto })
  @ApiProblemResponses(409)
  async create(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuditCheckpointCreatedDto> {
    const outcome = await this.checkpoints.checkpoint();
    void reply.status(outcome.created ? 201 : 200);
    return outcome;
  }
}
