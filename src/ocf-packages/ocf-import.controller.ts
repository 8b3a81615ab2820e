import { Controller, Param, Post, Query, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../core/auth/auth.decorators';
import { ForbiddenError } from '../core/auth/auth.errors';
import { Role } from '../core/auth/role.enum';
import { AppConfigService } from '../core/config/app-config.service';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import { ApiAuth } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { OcfImportQueryDto, OcfImportResultDto } from './dto/ocf-import.dto';
import { ImportBody, OcfImportService } from './import/ocf-import.service';
import { OCF_IMPORT_BODY_LIMIT_BYTES, OcfBody } from './ocf-body';

const DESCRIPTION = `The body is a .ocf.zip (application/zip; Manifest.ocf.json and the files it lists) or the single-document form GET …/ocf/export?format=json gives (application/json), at most 64 MiB. Every item is checked against the official OCF 1.2.0 schema of its object_type, then the ledger is replayed in memory: references resolve (stakeholders, classes, plans, vesting terms, securities), every transaction's security exists and is outstanding on its date, quantities balance (a transfer's resulting and balance securities equal what it spent), a split's reissuances carry the split quantities. Every finding is listed at once in errors[] as {file, pointer, id, message}: 422 OCF_PACKAGE_INVALID, nothing written. Then everything is written in one database transaction, through the same services as the routes (authorized shares on every date, plan pools, certificates for the outstanding securities, an audit entry per object and one for the import with the package's md5; no notifications): a refusal there (e.g. authorized shares exceeded on a date) names its object and rolls everything back. Deviations that leave the meaning unambiguous are imported and listed in warnings (md5 mismatches, another ocf_version, members of other OCF versions, TX_PLAN_SECURITY_* aliases, compensation_type OPTION with option_grant_type, files named differently from the manifest, grants from a plan or vesting terms the package does not define: placeholders). Object types not modelled (convertibles, warrants, financings, documents, …) are refused with 422 OCF_UNSUPPORTED_OBJECTS listing each, unless ?skip_unsupported=true. Objects keep their OCF ids (the export gives them back). ?dry_run=true checks and writes everything, then rolls back: 200.`;

@ApiTags('ocf')
@ApiAuth()
@ApiProblemResponses(400, 403, 409, 413, 415, 422, 429, 500)
@Roles(Role.Admin)
@Controller(['api/ocf', 'api/companies/:company_id/ocf'])
export class OcfImportController {
  constructor(
    private readonly imports: OcfImportService,
    private readonly config: AppConfigService,
  ) {}

  @Post('import')
  @RouteConfig({ bodyLimit: OCF_IMPORT_BODY_LIMIT_BYTES })
  @ApiOperation({
    operationId: 'importOcfPackage',
    summary: 'Import an Open Cap Format 1.2.0 package',
    description: `POST /api/ocf/import (platform administrators) creates a new company from the package's issuer; POST /api/companies/{company_id}/ocf/import (an admin of that company) imports into it, while it holds no shareholder, class or security yet (else 409 LEDGER_NOT_EMPTY). ${DESCRIPTION}`,
  })
  @ApiConsumes('application/zip', 'application/json')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: OcfImportResultDto, description: 'Imported.' })
  @ApiOkResponse({ type: OcfImportResultDto, description: 'Dry run: what would be imported.' })
  async import(
    @OcfBody() body: ImportBody,
    @Query() query: OcfImportQueryDto,
    @Param('company_id') companyId: string | undefined,
    @Action() context: ActionContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OcfImportResultDto> {
    const newCompany = companyId === undefined;
    if (
      newCompany &&
      !context.principal.realmRoles.includes(this.config.get('PLATFORM_ADMIN_ROLE'))
    )
      throw new ForbiddenError(
        'Only platform administrators import a package as a new company; a company admin imports into their company at POST /api/companies/{company_id}/ocf/import.',
        ['platform admin'],
      );
    const outcome = await this.imports.import(
      body,
      { dryRun: query.dry_run, skipUnsupported: query.skip_unsupported, newCompany },
      context,
    );
    void reply.status(query.dry_run ? 200 : 201);
    return outcome;
  }
}
