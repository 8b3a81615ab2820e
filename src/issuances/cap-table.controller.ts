import { ApiAuth } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { Controller, Get, Query, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ActionContext } from '../core/http/action-context';
import { csvDocument, type CsvValue } from '../core/http/csv-cell';
import { Action } from '../core/http/action-context.decorator';
import { todayUtc } from '../core/http/validators';
import { CapTableService } from './cap-table.service';
import { CapTableDto, CapTableQueryDto } from './dto/cap-table.dto';

@ApiTags('cap table')
@ApiAuth()
@ApiExtraModels(CapTableDto)
@ApiProblemResponses(400, 403, 429, 500)
@Controller(['api/cap-table', 'api/companies/:company_id/cap-table'])
export class CapTableController {
  constructor(private readonly capTable: CapTableService) {}

  @Get()
  @ApiOperation({
    operationId: 'getCapTable',
    summary: 'The cap table as of a date, as known at a time',
    description:
      "Per holder and class: shares held, % of issued shares and % of voting power, plus authorized/issued/unissued per class. Percentages are exact, rounded down to 4 decimals, and the remaining units go to the largest remainders so the displayed figures add up to exactly 100. Admins and auditors see every holder; a shareholder sees only their own row. With basis=fully_diluted, each row also shows the holder's outstanding options and RSUs (vested or not), fully_diluted_shares and fully_diluted_pct, holders with grants only get rows, the plans' available pools are the `pool` row, and totals.fully_diluted_shares is the sum of all three. With known_at, only what the ledger had recorded by then counts (a transaction recorded later, backdated or not, is left out); the answer names both as_of and known_at. ?format=csv gives one row per holder with a `shares:<class name>` column per class; there, text that starts with =, +, -, @, tab or carriage return gets a leading ' so that a spreadsheet does not evaluate it.",
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'The cap table as JSON, or CSV with one row per holder.',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(CapTableDto) } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  async get(
    @Query() query: CapTableQueryDto,
    @Action() context: ActionContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CapTableDto | string> {
    const table = await this.capTable.asOf(
      query.as_of ?? todayUtc(),
      context,
      query.known_at,
      query.basis,
    );
    if (query.format === 'json') return table;
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="cap-table-${table.as_of}.csv"`);
    return toCsv(table);
  }
}

function toCsv(table: CapTableDto): string {
  const classIds = [
    ...new Set(table.holders.flatMap((h) => h.holdings.map((x) => x.share_class_id))),
  ];
  const classNames = new Map(
    table.holders.flatMap((h) =>
      h.holdings.map((x) => [x.share_class_id, x.share_class_name] as const),
    ),
  );
  const header = [
    'shareholder_id',
    'name',
    ...classIds.map((id) => `shares:${classNames.get(id)}`),
    'total_shares',
    'votes',
    'ownership_pct',
    'voting_pct',
    ...(table.basis ? ['options_and_rsus', 'fully_diluted_shares', 'fully_diluted_pct'] : []),
  ];
  const rows = table.holders.map((holder) => {
    const byClass = new Map(holder.holdings.map((x) => [x.share_class_id, x.shares]));
    return [
      holder.shareholder_id,
      holder.name,
      ...classIds.map((id) => byClass.get(id) ?? 0),
      holder.total_shares,
      holder.votes,
      holder.ownership_pct,
      holder.voting_pct,
      ...(table.basis
        ? [
            holder.options_and_rsus ?? 0,
            holder.fully_diluted_shares ?? 0,
            holder.fully_diluted_pct ?? '0.0000',
          ]
        : []),
    ];
  });
  return csvDocument([header, ...rows, ...poolRow(table, classIds.length)]);
}

/** The fully diluted table's pool, as a row of its own under the holders. */
function poolRow(table: CapTableDto, classes: number): CsvValue[][] {
  if (!table.pool) return [];
  const blanks = (n: number) => Array<string>(n).fill('');
  return [
    [
      '',
      'Available in stock plans',
      ...blanks(classes + 5),
      table.pool.available_shares,
      table.pool.fully_diluted_pct,
    ],
  ];
}
