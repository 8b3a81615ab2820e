import { ApiAuth } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import { CompanyService } from './company.service';
import { CompanyResponseDto, PutCompanyDto } from './dto/company.dto';

@ApiTags('company')
@ApiAuth()
@ApiProblemResponses(400, 403, 429, 500)
@Controller(['api/company', 'api/companies/:company_id'])
export class CompanyController {
  constructor(private readonly company: CompanyService) {}

  @Get()
  @Roles(Role.Admin, Role.Auditor)
  @ApiOperation({
    operationId: 'getCompany',
    summary: 'The issuer: legal name, country, formation date, default currency',
    description: '404 until the company has been set up with PUT /api/company.',
  })
  @ApiOkResponse({ type: CompanyResponseDto })
  @ApiProblemResponses(404)
  get(): Promise<CompanyResponseDto> {
    return this.company.get();
  }

  @Put()
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'replaceCompany',
    summary: 'Create or replace the company details',
    description:
      'There is one company per deployment: the first call creates it, later calls replace every field.',
  })
  @ApiOkResponse({ type: CompanyResponseDto })
  @ApiProblemResponses(413, 415, 422)
  put(@Body() dto: PutCompanyDto, @Action() context: ActionContext): Promise<CompanyResponseDto> {
    return this.company.put(dto, context);
  }
}
