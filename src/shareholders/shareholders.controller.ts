import { ApiAuth, ApiUuidParam } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
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
import { csvDocument } from '../core/http/csv-cell';
import { Action } from '../core/http/action-context.decorator';
import { TOTAL_COUNT_HEADER } from '../core/http/pagination';
import {
  CreateShareholderDto,
  ExportQueryDto,
  ShareholderQueryDto,
  ShareholderResponseDto,
  ShareholderVersionDto,
  UpdateShareholderDto,
} from './dto/shareholder.dto';
import { ShareholdersService } from './shareholders.service';

const EXPORT_COLUMNS: Array<keyof ShareholderResponseDto> = [
  'id',
  'name',
  'email',
  'type',
  'phone',
  'address',
  'tax_id',
  'user_id',
  'total_shares',
  'version',
  'created_at',
  'updated_at',
];

@ApiTags('shareholders')
@ApiAuth()
@ApiProblemResponses(400, 429, 500)
@Controller(['api/shareholders', 'api/companies/:company_id/shareholders'])
export class ShareholdersController {
  constructor(private readonly shareholders: ShareholdersService) {}

  @Get()
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'listShareholders',
    summary: 'List shareholders with their total shares',
    description: 'Sorted by name. The total number of matches is in the X-Total-Count header.',
  })
  @ApiOkResponse({ type: [ShareholderResponseDto] })
  @ApiProblemResponses(403)
  async list(
    @Query() query: ShareholderQueryDto,
    @Action() context: ActionContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ShareholderResponseDto[]> {
    const page = await this.shareholders.list(query, context.principal);
    void reply.header(TOTAL_COUNT_HEADER, String(page.total));
    return page.items;
  }

  @Post()
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'createShareholder',
    summary: 'Create a shareholder',
    description: 'Emails are unique regardless of case: a duplicate gives 409 and stores nothing.',
  })
  @ApiCreatedResponse({ type: ShareholderResponseDto })
  @ApiProblemResponses(403, 409, 413, 415)
  create(
    @Body() dto: CreateShareholderDto,
    @Action() context: ActionContext,
  ): Promise<ShareholderResponseDto> {
    return this.shareholders.create(dto, context);
  }

  @Get('me')
  @ApiOperation({
    operationId: 'getMyShareholder',
    summary: 'The shareholder record of the caller',
    description:
      'Linked by the token `sub`, or on first access by the verified email; 404 when no record is linked to the login.',
  })
  @ApiOkResponse({ type: ShareholderResponseDto })
  @ApiProblemResponses(404)
  me(@Action() context: ActionContext): Promise<ShareholderResponseDto> {
    return this.shareholders.findMine(context);
  }

  @Get('export')
  @Roles(Role.Admin)
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    operationId: 'exportShareholders',
    summary: 'Export every shareholder as JSON or CSV',
    description:
      "In CSV, text that starts with =, +, -, @, tab or carriage return gets a leading ' so that a spreadsheet does not evaluate it.",
  })
  @ApiOkResponse({
    description: 'Every holder: a JSON array, or CSV with a header row.',
    content: {
      'application/json': {
        schema: { type: 'array', items: { $ref: getSchemaPath(ShareholderResponseDto) } },
      },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  @ApiProblemResponses(403)
  @Header('cache-control', 'no-store')
  async export(
    @Query() query: ExportQueryDto,
    @Action() context: ActionContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ShareholderResponseDto[] | string> {
    const rows = await this.shareholders.exportAll(context.principal);
    if (query.format === 'json') return rows;
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="shareholders.csv"');
    const records = rows.map((row) => EXPORT_COLUMNS.map((column) => row[column]));
    return csvDocument([EXPORT_COLUMNS, ...records]);
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getShareholder',
    summary: 'One shareholder (admin, auditor, or the holder themself)',
    description:
      'With total shares and version. Auditors see the tax id masked; another holder gets 403.',
  })
  @ApiUuidParam('id', 'The shareholder id.')
  @ApiOkResponse({ type: ShareholderResponseDto })
  @ApiProblemResponses(403, 404)
  findOne(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Action() context: ActionContext,
  ): Promise<ShareholderResponseDto> {
    return this.shareholders.findOne(id, context);
  }

  @Patch(':id')
  @Roles(Role.Admin)
  @HttpCode(200)
  @ApiOperation({
    operationId: 'updateShareholder',
    summary: 'Change a shareholder profile',
    description: 'Only the fields sent change; each change becomes a new version in the history.',
  })
  @ApiUuidParam('id', 'The shareholder id.')
  @ApiOkResponse({ type: ShareholderResponseDto })
  @ApiProblemResponses(403, 404, 409, 413, 415)
  update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateShareholderDto,
    @Action() context: ActionContext,
  ): Promise<ShareholderResponseDto> {
    return this.shareholders.update(id, dto, context);
  }

  @Get(':id/history')
  @Roles(Role.Admin, Role.Auditor)
  @ApiOperation({
    operationId: 'getShareholderHistory',
    summary: 'Every version of the profile: who changed what, when, before and after',
    description: 'Oldest first, one entry per version of the record.',
  })
  @ApiUuidParam('id', 'The shareholder id.')
  @ApiOkResponse({ type: [ShareholderVersionDto] })
  @ApiProblemResponses(403, 404)
  history(@Param('id', new ParseUUIDPipe()) id: string): Promise<ShareholderVersionDto[]> {
    return this.shareholders.history(id);
  }
}
