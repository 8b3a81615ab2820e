import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../core/auth/auth.decorators';
import type { Principal } from '../core/auth/principal';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import { ApiAuth } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { AcrossCompanies } from '../core/tenancy/company.guard';
import { PutCompanyDto } from '../issuances';
import { CompaniesService } from './companies.service';
import { CompanyMembershipDto, CreatedCompanyDto } from './dto/company-list.dto';

@ApiTags('companies')
@ApiAuth()
@ApiProblemResponses(400, 403, 429, 500)
@Controller('api/companies')
@AcrossCompanies()
export class CompaniesController {
  constructor(private readonly companies: CompaniesService) {}

  @Get()
  @ApiOperation({
    operationId: 'listMyCompanies',
    summary: 'The companies the caller belongs to, with their roles there',
    description:
      'A platform administrator (realm role PLATFORM_ADMIN_ROLE) belongs to every company, as admin. Anyone else: the companies where a live membership names them.',
  })
  @ApiOkResponse({ type: [CompanyMembershipDto] })
  list(@CurrentPrincipal() principal: Principal): Promise<CompanyMembershipDto[]> {
    return this.companies.mine(principal);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    operationId: 'createCompany',
    summary: 'Create a company (platform administrators only)',
    description:
      'Answers 201 with its id. The company starts with no members: platform administrators act as admin in it and add its members under /api/companies/{company_id}/members.',
  })
  @ApiCreatedResponse({ type: CreatedCompanyDto })
  @ApiProblemResponses(413, 415, 422)
  create(@Body() dto: PutCompanyDto, @Action() context: ActionContext): Promise<CreatedCompanyDto> {
    return this.companies.create(dto, context);
  }
}
