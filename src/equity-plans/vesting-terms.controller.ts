import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import { ApiAuth, ApiUuidParam } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { CreateVestingTermsDto, VestingTermsResponseDto } from './dto/vesting-terms.dto';
import { VestingTermsService } from './vesting-terms.service';

@ApiTags('equity plans')
@ApiAuth()
@ApiProblemResponses(400, 403, 429, 500)
@Controller(['api/vesting-terms', 'api/companies/:company_id/vesting-terms'])
export class VestingTermsController {
  constructor(private readonly terms: VestingTermsService) {}

  @Get()
  @Roles(Role.Admin, Role.Auditor)
  @ApiOperation({
    operationId: 'listVestingTerms',
    summary: 'Every set of vesting terms, as OCF VestingTerms',
    description: 'With the shorthand each was given as, if any.',
  })
  @ApiOkResponse({ type: [VestingTermsResponseDto] })
  list(): Promise<VestingTermsResponseDto[]> {
    return this.terms.list();
  }

  @Post()
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'createVestingTerms',
    summary: 'Create vesting terms: OCF VestingTerms, or the shorthand',
    description:
      'OCF form (description, allocation_type, vesting_conditions) checked against the official 1.2.0 schema, each problem naming its field; or the shorthand {name, total_months, cliff_months, frequency_months, allocation_type}, stored as the equivalent OCF terms.',
  })
  @ApiCreatedResponse({ type: VestingTermsResponseDto })
  @ApiProblemResponses(413, 415, 422)
  create(
    @Body() dto: CreateVestingTermsDto,
    @Action() context: ActionContext,
  ): Promise<VestingTermsResponseDto> {
    return this.terms.create(dto, context);
  }

  @Get(':id')
  @Roles(Role.Admin, Role.Auditor)
  @ApiOperation({
    operationId: 'getVestingTerms',
    summary: 'One set of vesting terms',
    description: 'As OCF VestingTerms.',
  })
  @ApiUuidParam('id', 'The vesting terms id.')
  @ApiOkResponse({ type: VestingTermsResponseDto })
  @ApiProblemResponses(404)
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<VestingTermsResponseDto> {
    return this.terms.get(id);
  }
}
