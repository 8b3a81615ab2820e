import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import { ApiAuth } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { todayUtc } from '../core/http/validators';
import { OcfExportQueryDto } from './dto/ocf-export.dto';
import { OcfExportService } from './export/ocf-export.service';
import type { PackagePart } from './export/ocf-package';
import { jsonPackage, zipPackage } from './export/ocf-writer';

@ApiTags('ocf')
@ApiAuth()
@ApiProblemResponses(400, 403, 409, 429, 500)
@Roles(Role.Admin, Role.Auditor)
@Controller(['api/ocf', 'api/companies/:company_id/ocf'])
export class OcfExportController {
  constructor(private readonly exports: OcfExportService) {}

  @Get('export')
  @ApiProduces('application/zip', 'application/json')
  @ApiOperation({
    operationId: 'exportOcfPackage',
    summary: 'The whole cap table as an Open Cap Format 1.2.0 package (streamed)',
    description:
      'A .ocf.zip with Manifest.ocf.json (ocf_version 1.2.0, the issuer, as_of, generated_at and the md5 of every file) and one file per kind: stakeholders, stock classes, stock legend templates, stock plans, vesting terms, valuations and transactions. Every item validates against the official 1.2.0 schema of its object_type. Objects keep the OCF ids they were imported with, else their own ids, so two exports of the same ledger differ only in generated_at. The ledger is exported as known now: a reversed transaction and its reversal are left out (as of every date the ledger reads as if it had never been recorded), except the reversal of an original issuance, which is a TX_STOCK_RETRACTION. Read from one consistent snapshot and streamed. ?format=json gives the same package as one JSON document {files: {path: file}, manifest}.',
  })
  @ApiOkResponse({
    description: 'The package: application/zip, or one JSON document.',
    content: {
      'application/zip': { schema: { type: 'string', format: 'binary' } },
      'application/json': { schema: { type: 'object' } },
    },
  })
  async export(@Query() query: OcfExportQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const stamp = { asOf: query.as_of ?? todayUtc(), generatedAt: new Date().toISOString() };
    const parts = this.exports.parts(stamp.asOf);
    // The first part (the issuer) is read before anything is sent: a company that is not set
    // up yet is answered as a problem, not as a broken download.
    const first = await parts.next();
    const all = prepend(first.done ? [] : [first.value], parts);
    const zip = query.format === 'zip';
    const body = zip
      ? zipPackage(all, stamp)
      : Readable.from(jsonPackage(all, stamp), { objectMode: false });
    void reply
      .header('content-type', zip ? 'application/zip' : 'application/json; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="cap-table-${stamp.asOf}.${zip ? 'ocf.zip' : 'ocf.json'}"`,
      )
      .header('cache-control', 'no-store')
      .send(body);
  }
}

async function* prepend(
  head: PackagePart[],
  rest: AsyncIterable<PackagePart>,
): AsyncGenerator<PackagePart> {
  yield* head;
  yield* rest;
}
