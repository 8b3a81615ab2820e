import { ApiAuth, ApiUuidParam } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import {
  Body,
  Controller,
  Get,
  Headers,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import { TOTAL_COUNT_HEADER } from '../core/http/pagination';
import { CreateIssuanceDto, IssuanceQueryDto, IssuanceResponseDto } from './dto/issuance.dto';
import { checkIdempotencyKey } from './idempotency-key';
import { IssuancesService } from './issuances.service';

@ApiTags('issuances')
@ApiAuth()
@ApiProblemResponses(400, 403, 429, 500)
@Controller(['api/issuances', 'api/companies/:company_id/issuances'])
export class IssuancesController {
  constructor(private readonly issuances: IssuancesService) {}

  @Get()
  @ApiOperation({
    operationId: 'listIssuances',
    summary: 'Issuances, newest first',
    description:
      'Admins and auditors see all; a shareholder sees only their own. The total is in X-Total-Count.',
  })
  @ApiOkResponse({ type: [IssuanceResponseDto] })
  async list(
    @Query() query: IssuanceQueryDto,
    @Action() context: ActionContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IssuanceResponseDto[]> {
    const page = await this.issuances.list(query, context);
    void reply.header(TOTAL_COUNT_HEADER, String(page.total));
    return page.items;
  }

  @Post()
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'createIssuance',
    summary: 'Issue shares',
    description:
      'total_amount = number_of_shares × price, computed exactly. Refused with 409 AUTHORIZED_SHARES_EXCEEDED when the class would exceed its authorized shares. With an Idempotency-Key (per caller, kept 24 h) a retry replays the first response; the same key with another body gives 422.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Up to 255 visible ASCII characters.',
  })
  @ApiCreatedResponse({ type: IssuanceResponseDto })
  @ApiProblemResponses(404, 409, 413, 415, 422)
  async create(
    @Body() dto: CreateIssuanceDto,
    @Action() context: ActionContext,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IssuanceResponseDto> {
    checkIdempotencyKey(idempotencyKey);
    const result = await this.issuances.issue(dto, context, idempotencyKey);
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.issuance;
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getIssuance',
    summary: 'One issuance (admin, auditor, or the owning shareholder)',
    description: 'Another holder gets 403; an unknown id 404 ISSUANCE_NOT_FOUND.',
  })
  @ApiUuidParam('id', 'The issuance id.')
  @ApiOkResponse({ type: IssuanceResponseDto })
  @ApiProblemResponses(404)
  findOne(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Action() context: ActionContext,
  ): Promise<IssuanceResponseDto> {
    return this.issuances.findOne(id, context);
  }
}
