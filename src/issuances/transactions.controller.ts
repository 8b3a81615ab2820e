import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import { csvDocument } from '../core/http/csv-cell';
import { ApiAuth, ApiUuidParam } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { LedgerTransactionDto, TransactionPageDto, TransactionQueryDto } from './dto/ledger.dto';
import { ReconciliationDto } from './dto/reconciliation.dto';
import { LedgerQueries } from './ledger-queries.service';
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
