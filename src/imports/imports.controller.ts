import { Controller, Get, Header, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import { DomainError } from '../core/errors/domain-error';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import { ApiAuth } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { CsvBody, IMPORT_BODY_LIMIT_BYTES } from './csv-body';
import { ImportQueryDto, ImportResultDto } from './dto/import.dto';
import {
  describeColumns,
  IMPORT_KINDS,
  ImportKind,
  isImportKind,
  templateOf,
} from './import-columns';
import { ImportsService, MAX_IMPORT_ROWS } from './imports.service';

const COMMON = `A text/csv body (UTF-8, commas or, in a header without commas, semicolons; RFC 4180 quoting), its first row the header row (columns in any order and any case, optional ones may be left out; the template lists them all), at most ${MAX_IMPORT_ROWS} rows. All or nothing: every row is checked first, and any error refuses the whole file with 400 VALIDATION_FAILED listing every error in \`errors\` as {row, column, message, code} (row counts the header as row 1, as a spreadsheet does); then the rows are written in one transaction, each exactly as the single-row route writes it (history, audit entry, events), and the first row that route refuses (e.g. 409 AUTHORIZED_SHARES_EXCEEDED) rolls everything back, answered with that row's code and its error in \`errors\`. A cell written \`'+…\` (this service's CSV export of text starting with = + - @) reads without the quote. ?dry_run=true checks and writes everything, then rolls it all back: 200, nothing stored.`;

const SHAREHOLDERS = `Creates one holder per row, as POST /api/shareholders/ does. Columns: ${describeColumns('shareholders')}. An email that a holder of the company already has, or an earlier row, is an error (an import never changes a holder). ${COMMON}`;

const ISSUANCES = `Issues shares, one issuance per row, as POST /api/issuances/ does (certificate, authorized shares, audit entry and events included). Columns: ${describeColumns('issuances')}. Holders are matched by email among the company's existing holders, classes by name. ${COMMON}`;

const csvExample = (kind: ImportKind, rows: string[]): string =>
  [templateOf(kind).trimEnd(), ...rows].join('\n') + '\n';

const CSV_BODY = (kind: ImportKind, rows: string[]) =>
  ApiBody({
    description: `The CSV, its first row the header row: GET /api/imports/${kind}/template.`,
    schema: { type: 'string', example: csvExample(kind, rows) },
  });

@ApiTags('imports')
@ApiAuth()
@ApiProblemResponses(400, 403, 429, 500)
@Controller(['api/imports', 'api/companies/:company_id/imports'])
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post('shareholders')
  @Roles(Role.Admin)
  @RouteConfig({ bodyLimit: IMPORT_BODY_LIMIT_BYTES })
  @ApiOperation({
    operationId: 'importShareholders',
    summary: 'Import shareholders from CSV',
    description: SHAREHOLDERS,
  })
  @ApiConsumes('text/csv')
  @CSV_BODY('shareholders', [
    'Ada Lovelace,ada@example.com,INDIVIDUAL,+44 20 7946 0958,"12 St James Square, London",GB123456789,',
  ])
  @ApiCreatedResponse({ type: ImportResultDto, description: 'Every row imported.' })
  @ApiOkResponse({ type: ImportResultDto, description: 'Dry run: what would be imported.' })
  @ApiProblemResponses(409, 413, 415, 422)
  importShareholders(
    @CsvBody() csv: string,
    @Query() query: ImportQueryDto,
    @Action() context: ActionContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportResultDto> {
    return this.answer(this.imports.importShareholders(csv, isDryRun(query), context), reply);
  }

  @Post('issuances')
  @Roles(Role.Admin)
  @RouteConfig({ bodyLimit: IMPORT_BODY_LIMIT_BYTES })
  @ApiOperation({
    operationId: 'importIssuances',
    summary: 'Import issuances from CSV',
    description: ISSUANCES,
  })
  @ApiConsumes('text/csv')
  @CSV_BODY('issuances', ['ada@example.com,Common,1000,0.01,2024-06-30,EUR'])
  @ApiCreatedResponse({ type: ImportResultDto, description: 'Every row imported.' })
  @ApiOkResponse({ type: ImportResultDto, description: 'Dry run: what would be imported.' })
  @ApiProblemResponses(404, 409, 413, 415, 422)
  importIssuances(
    @CsvBody() csv: string,
    @Query() query: ImportQueryDto,
    @Action() context: ActionContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportResultDto> {
    return this.answer(this.imports.importIssuances(csv, isDryRun(query), context), reply);
  }

  @Get(':kind/template')
  @Roles(Role.Admin, Role.Auditor)
  @ApiOperation({
    operationId: 'getImportTemplate',
    summary: 'The CSV template of an import',
    description:
      'The header row of the import, every column in its documented order; fill in one row per record below it.',
  })
  @ApiParam({ name: 'kind', enum: IMPORT_KINDS, description: 'What the import creates.' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The header row.', schema: { type: 'string' } })
  @ApiProblemResponses(404)
  @Header('cache-control', 'no-store')
  template(@Param('kind') kind: string, @Res({ passthrough: true }) reply: FastifyReply): string {
    if (!isImportKind(kind))
      throw new DomainError('NOT_FOUND', 'There is no such import: shareholders or issuances.');
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${kind}-import-template.csv"`);
    return templateOf(kind);
  }

  /** 201 when the rows were imported, 200 for a dry run (nothing was created). */
  private async answer(
    result: Promise<ImportResultDto>,
    reply: FastifyReply,
  ): Promise<ImportResultDto> {
    const done = await result;
    if (done.dry_run) void reply.status(200);
    return done;
  }
}

const isDryRun = (query: ImportQueryDto): boolean => query.dry_run === 'true';
