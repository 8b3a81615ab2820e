import { ApiAuth } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { Body, Controller, Get, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import { CompanyAuthorizedSharesService } from './company-authorized-shares.service';
import { CompanyService } from './company.service';
import { CompanyResponseDto, PutCompanyDto } from './dto/company.dto';
import {
  CompanyAuthorizedSharesAdjustmentDto,
  CreateAuthorizedSharesAdjustmentDto,
} from './dto/share-class.dto';

@ApiTags('company')
@ApiAuth()
@ApiProblemResponses(400, 403, 429, 500)
@Controller(['api/company', 'api/companies/:company_id'])
export class CompanyController {
  constructor(
    private readonly company: CompanyService,
    private readonly authorized: CompanyAuthorizedSharesService,
  ) {}

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

  @Post('authorized-shares-adjustments')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'adjustCompanyAuthorizedShares',
    summary: "Change the company's authorized shares (over all classes) from a date on",
    description:
      "OCF IssuerAuthorizedSharesAdjustment, with board and stockholder approval dates. Dated after the company's latest adjustment (422 otherwise); below what all classes had outstanding on that date or any later one gives 409 AUTHORIZED_BELOW_ISSUED. The latest adjustment is the company's authorized_shares; from then on no write may put more shares outstanding than authorized on any date (409 AUTHORIZED_SHARES_EXCEEDED).",
  })
  @ApiCreatedResponse({ type: CompanyAuthorizedSharesAdjustmentDto })
  @ApiProblemResponses(404, 409, 413, 415, 422)
  adjustAuthorizedShares(
    @Body() dto: CreateAuthorizedSharesAdjustmentDto,
    @Action() context: ActionContext,
  ): Promise<CompanyAuthorizedSharesAdjustmentDto> {
    return this.authorized.adjust(dto, context);
  }
}
