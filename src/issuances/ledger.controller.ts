import { LineageDto } from './dto/lineage.dto';
import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
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
import { ApiAuth, ApiUuidParam } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import {
  CreateCancellationDto,
  CreateConversionDto,
  CreateReissuanceDto,
  CreateRepurchaseDto,
  CreateTransferDto,
  LedgerTransactionResultDto,
} from './dto/ledger.dto';
import { checkIdempotencyKey, IDEMPOTENCY_HEADER } from './idempotency-key';
import { LedgerQueries } from './ledger-queries.service';
import { LedgerResult, LedgerService } from './ledger.service';

const SPENDS =
  'Spends the whole security (409 SECURITY_ALREADY_SPENT, naming the transaction, when it is spent already, also under concurrent requests); 422 TRANSACTION_DATE_INVALID for a date before the security or in the future, 422 QUANTITY_EXCEEDS_SECURITY for more than it holds. Its certificate is cancelled; every new security gets one.';

/** The terminal transactions of a security (admin), and its lineage. */
@ApiTags('ledger')
@ApiAuth()
@ApiProblemResponses(400, 403, 429, 500)
@Controller(['api/issuances', 'api/companies/:company_id/issuances'])
export class SecurityTransactionsController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly queries: LedgerQueries,
  ) {}

  @Post(':id/transfers')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'transferSecurity',
    summary: 'Transfer shares of a security to one or several holders',
    description: `Each transferee gets a resulting security; what is left stays with the holder as a balance security. ${SPENDS}`,
  })
  @ApiUuidParam('id', 'The security (issuance) id.')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: LedgerTransactionResultDto })
  @ApiProblemResponses(404, 409, 413, 415, 422)
  transfer(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateTransferDto,
    @Action() context: ActionContext,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LedgerTransactionResultDto> {
    checkIdempotencyKey(key);
    return answered(this.ledger.transfer(id, dto, context, key), reply);
  }

  @Post(':id/cancellations')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'cancelSecurity',
    summary: 'Cancel all or part of a security',
    description: `Part leaves a balance security. The cancelled shares are no longer outstanding. ${SPENDS}`,
  })
  @ApiUuidParam('id', 'The security (issuance) id.')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: LedgerTransactionResultDto })
  @ApiProblemResponses(404, 409, 413, 415, 422)
  cancel(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateCancellationDto,
    @Action() context: ActionContext,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LedgerTransactionResultDto> {
    checkIdempotencyKey(key);
    return answered(this.ledger.cancel(id, dto, context, key), reply);
  }

  @Post(':id/repurchases')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'repurchaseSecurity',
    summary: 'Buy back all or part of a security',
    description: `total_amount = quantity × price_per_share, exact. Part leaves a balance security. ${SPENDS}`,
  })
  @ApiUuidParam('id', 'The security (issuance) id.')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: LedgerTransactionResultDto })
  @ApiProblemResponses(404, 409, 413, 415, 422)
  repurchase(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateRepurchaseDto,
    @Action() context: ActionContext,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LedgerTransactionResultDto> {
    checkIdempotencyKey(key);
    return answered(this.ledger.repurchase(id, dto, context, key), reply);
  }

  @Post(':id/conversions')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'convertSecurity',
    summary: 'Convert all or part of a security into the class its class converts into',
    description: `New shares = quantity × the ratio in force on the date (numerator / denominator), rounded down; a fraction of a share left over is paid out in cash at fraction_price_per_share (required then) and recorded exactly. 422 CONVERSION_NOT_DEFINED when the class does not convert into to_share_class_id; 409 AUTHORIZED_SHARES_EXCEEDED when the new class would exceed its authorized shares. Part leaves a balance. ${SPENDS}`,
  })
  @ApiUuidParam('id', 'The security (issuance) id.')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: LedgerTransactionResultDto })
  @ApiProblemResponses(404, 409, 413, 415, 422)
  convert(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateConversionDto,
    @Action() context: ActionContext,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LedgerTransactionResultDto> {
    checkIdempotencyKey(key);
    return answered(this.ledger.convert(id, dto, context, key), reply);
  }

  @Post(':id/reissuances')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'reissueSecurity',
    summary: 'The same holding as a new security, under a new certificate',
    description: `For a lost certificate or a new legend: the holder keeps every share. ${SPENDS}`,
  })
  @ApiUuidParam('id', 'The security (issuance) id.')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: LedgerTransactionResultDto })
  @ApiProblemResponses(404, 409, 413, 415, 422)
  reissue(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateReissuanceDto,
    @Action() context: ActionContext,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LedgerTransactionResultDto> {
    checkIdempotencyKey(key);
    return answered(this.ledger.reissue(id, dto, context, key), reply);
  }

  @Get(':id/lineage')
  @Roles(Role.Admin, Role.Auditor)
  @ApiOperation({
    operationId: 'getSecurityLineage',
    summary: 'Where a security came from and what came of it',
    description:
      'Every security back to the original issuance and forward to the outstanding pieces of today, with the transactions between them (admin, auditor).',
  })
  @ApiUuidParam('id', 'The security (issuance) id.')
  @ApiOkResponse({ type: LineageDto })
  @ApiProblemResponses(404)
  lineage(@Param('id', new ParseUUIDPipe()) id: string): Promise<LineageDto> {
    return this.queries.lineage(id);
  }
}

async function answered(
  pending: Promise<LedgerResult>,
  reply: FastifyReply,
): Promise<LedgerTransactionResultDto> {
  const { result, replayed } = await pending;
  if (replayed) void reply.header('idempotent-replayed', 'true');
  return result;
}
