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
import type { FastifyReply } from 'fastify';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import { csvDocument } from '../core/http/csv-cell';
import { ApiAuth, ApiUuidParam } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { LedgerTransactionDto, TransactionPageDto, TransactionQueryDto } from './dto/ledger.dto';
import { ReconciliationDto } from './dto/reconciliation.dto';
import { CreateReversalDto, ReversalResultDto } from './dto/reversal.dto';
import { checkIdempotencyKey, IDEMPOTENCY_HEADER } from './idempotency-key';
import { LedgerQueries } from './ledger-queries.service';
import { LedgerReversals } from './ledger-reversals.service';
import { LedgerReconciliation } from './ledger-reconciliation.service';

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
  'reversed_transaction_id',
  'reversed_by_transaction_id',
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
      t.reversed_transaction_id,
      t.reversed_by_transaction_id,
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
  constructor(
    private readonly queries: LedgerQueries,
    private readonly reversals: LedgerReversals,
  ) {}

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

  @Post(':id/reversal')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'reverseTransaction',
    summary: 'Correct the ledger by reversing one transaction or issuance',
    description:
      "Records a REVERSAL, effective on the reversed line's date: the securities the line created become REVERSED (their certificates cancelled), the security a transaction spent is outstanding again (with a new certificate version). The reversed line stays in the ledger with reversed_by_transaction_id; GET /api/cap-table with known_at before the reversal still shows it in effect. 409 LATER_TRANSACTION_EXISTS (naming it) when a security the line created was spent since, TRANSACTION_ALREADY_REVERSED, TRANSACTION_NOT_REVERSIBLE for a reversal or one reissuance of a class split, AUTHORIZED_SHARES_EXCEEDED when restored shares would exceed the authorized shares on any date.",
  })
  @ApiUuidParam('id', 'The transaction id, or the id of an original issuance.')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: ReversalResultDto })
  @ApiProblemResponses(404, 409, 413, 415, 422)
  async reverse(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateReversalDto,
    @Action() context: ActionContext,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReversalResultDto> {
    checkIdempotencyKey(key);
    const { result, replayed } = await this.reversals.reverse(id, dto, context, key);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return result;
  }
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
