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
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { csvDocument } from '../core/http/csv-cell';
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
  LedgerTransactionDto,
  LedgerTransactionResultDto,
  LineageDto,
  TransactionPageDto,
  TransactionQueryDto,
} from './dto/ledger.dto';
import { checkIdempotencyKey } from './idempotency-key';
import { LedgerQueries } from './ledger-queries.service';
import { LedgerReconciliation } from './ledger-reconciliation.service';
import { ReconciliationDto } from './dto/reconciliation.dto';
import { LedgerResult, LedgerService } from './ledger.service';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'Up to 255 visible ASCII characters; a retry with it replays the first answer.',
};

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

const CSV_COLUMNS = [
  'id',
  'kind',
  'date',
  'recorded_at',
  'security_id',
  'shareholder_id',
  'share_class_id',
  'quantity',
  'price_per_share',
  'total_amount',
  'currency',
  'consideration_text',
  'reason',
  'balance_security_id',
  'resulting_security_ids',
  'conversion_ratio',
  'fraction',
  'fraction_cash_amount',
  'created_by',
] as const;

/** One row per transaction; text written by people is protected against formula injection. */
function transactionsCsv(items: LedgerTransactionDto[]): string {
  return csvDocument([
    CSV_COLUMNS,
    ...items.map((t) => [
      t.id,
      t.kind,
      t.date,
      t.recorded_at,
      t.security_id,
      t.shareholder_id,
      t.share_class_id,
      t.quantity,
      t.price_per_share,
      t.total_amount,
      t.currency,
      t.consideration_text,
      t.reason,
      t.balance_security_id,
      t.resulting_security_ids.join(' '),
      t.conversion ? `${t.conversion.numerator}/${t.conversion.denominator}` : null,
      t.conversion?.fraction
        ? `${t.conversion.fraction.numerator}/${t.conversion.fraction.denominator}`
        : null,
      t.conversion?.fraction?.cash_amount ?? null,
      t.created_by,
    ]),
  ]);
}

/** The ledger: every transaction of every kind, issuances included (admin, auditor). */
@ApiTags('ledger')
@ApiAuth()
@ApiExtraModels(TransactionPageDto)
@ApiProblemResponses(400, 403, 429, 500)
@Roles(Role.Admin, Role.Auditor)
@Controller(['api/transactions', 'api/companies/:company_id/transactions'])
export class TransactionsController {
  constructor(private readonly queries: LedgerQueries) {}

  @Get()
  @ApiOperation({
    operationId: 'listTransactions',
    summary: 'The ledger, in effective order',
    description:
      'Original issuances and every transaction, by effective date, then recorded time. Filters combine with AND; shareholder_id matches the holder of the security spent or issued and the holders who received a resulting security. Pages follow next_cursor.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'A page of the ledger as JSON, or as CSV (one row per transaction).',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(TransactionPageDto) } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  async list(
    @Query() query: TransactionQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TransactionPageDto | string> {
    const page = await this.queries.transactions(query);
    if (query.format === 'json') return page;
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="transactions.csv"');
    if (page.next_cursor) void reply.header('x-next-cursor', page.next_cursor);
    return transactionsCsv(page.items);
  }

  @Get(':id')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'getTransaction',
    summary: 'One ledger transaction',
    description: 'An original issuance (its id is the security id) or a transaction.',
  })
  @ApiUuidParam('id', 'The transaction id.')
  @ApiOkResponse({ type: LedgerTransactionDto })
  @ApiProblemResponses(404)
  findOne(@Param('id', new ParseUUIDPipe()) id: string): Promise<LedgerTransactionDto> {
    return this.queries.findTransaction(id);
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

/** The ledger checked against itself (admin, auditor). */
@ApiTags('ledger')
@ApiAuth()
@ApiProblemResponses(400, 403, 429, 500)
@Roles(Role.Admin, Role.Auditor)
@Controller(['api/ledger', 'api/companies/:company_id/ledger'])
export class LedgerReconciliationController {
  constructor(private readonly reconciliation: LedgerReconciliation) {}

  @Get('reconciliation')
  @ApiOperation({
    operationId: 'reconcileLedger',
    summary: 'Recompute the holdings from the transactions and compare',
    description:
      "Every security's status and every holder's position recomputed from the transactions alone, each transaction's quantities, the class totals, the authorized shares on every date and the live certificates (one active per outstanding security unless its render is pending or it was voided, none for a spent one), all in one snapshot. ok is true when nothing disagrees; each mismatch names what and where.",
  })
  @ApiOkResponse({ type: ReconciliationDto })
  reconcile(): Promise<ReconciliationDto> {
    return this.reconciliation.reconcile();
  }
}
