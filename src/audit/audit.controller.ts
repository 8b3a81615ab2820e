import { ApiAuth } from '../core/http/openapi';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify';
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
} from './dto/audit-query.dto';

const CSV_COLUMNS = [
  'seq',
  'occurred_at',
  'recorded_at',
  'actor_sub',
  'actor_name',
  'actor_client_id',
  'actor_roles',
  'action',
  'entity_type',
  'entity_id',
  'before',
  'after',
  'request_id',
  'ip',
  'user_agent',
  'outcome',
  'source_event_id',
  'prev_hash',
  'hash',
];

function csvRecord(entry: AuditEntryDto): Record<string, string | number | null> {
  return {
    ...entry,
    actor_sub: entry.actor.sub,
    actor_name: entry.actor.name,
    actor_client_id: entry.actor.client_id,
    actor_roles: entry.actor.roles.join(' '),
    before: entry.before === null ? null : JSON.stringify(entry.before),
    after: entry.after === null ? null : JSON.stringify(entry.after),
  } as unknown as Record<string, string | number | null>;
}

async function* jsonArray(entries: AsyncIterable<AuditEntryDto>): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const entry of entries) {
    yield (first ? '\n' : ',\n') + JSON.stringify(entry);
    first = false;
  }
  yield '\n]\n';
}

/** Read-only by design: there is no route that changes or removes an entry. */
@ApiTags('audit')
@ApiAuth()
@Roles(Role.Admin, Role.Auditor)
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: 'Search the audit log',
    description: 'Filters combine with AND; pages follow next_cursor.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  search(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.search(query);
  }

  @Get('export')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Export the matching entries, streamed (CSV or a JSON array)' })
  export(@Query() query: AuditExportQueryDto, @Res() reply: FastifyReply): void {
    const entries = this.audit.exportEntries(query);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const body =
      query.format === 'csv'
        ? Readable.from(
            (async function* () {
              for await (const e of entries) yield csvRecord(e);
            })(),
          ).pipe(stringify({ header: true, columns: CSV_COLUMNS }))
        : Readable.from(jsonArray(entries));
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
    summary: 'Verify the hash chain',
    description:
      'Reports ok, or the first sequence number that does not verify, plus the head hash.',
  })
  @ApiOkResponse({ type: AuditVerificationDto })
  verify(): Promise<AuditVerificationDto> {
    return this.audit.verify();
  }
}
