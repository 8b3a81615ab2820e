import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import { ApiAuth, ApiUuidParam } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import {
  AsOfQueryDto,
  CreateGrantDto,
  GrantQueryDto,
  GrantResponseDto,
  GrantVestingDto,
} from './dto/grant.dto';
import {
  CreateAccelerationDto,
  CreateExerciseDto,
  CreateGrantCancellationDto,
  CreateReleaseDto,
  CreateTerminationDto,
  CreateVestingEventDto,
  GrantTransactionResultDto,
} from './dto/grant-transaction.dto';
import { GrantTransactionsService } from './grant-transactions.service';
import { GrantsService } from './grants.service';

const WRITE = [404, 409, 413, 415, 422] as const;

@ApiTags('equity plans')
@ApiAuth()
@ApiProblemResponses(400, 403, 429, 500)
@Controller(['api/grants', 'api/companies/:company_id/grants'])
export class GrantsController {
  constructor(
    private readonly grants: GrantsService,
    private readonly transactions: GrantTransactionsService,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listGrants',
    summary: 'Grants of options, RSUs and SARs',
    description:
      'Admins and auditors see all (filters shareholder_id, stock_plan_id); a shareholder their own only.',
  })
  @ApiOkResponse({ type: [GrantResponseDto] })
  list(
    @Query() query: GrantQueryDto,
    @Action() context: ActionContext,
  ): Promise<GrantResponseDto[]> {
    return this.grants.list(query, context);
  }

  @Post()
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'createGrant',
    summary: 'Grant from a plan (OCF EquityCompensationIssuance)',
    description:
      "Takes quantity from the plan's pool: 409 POOL_EXHAUSTED (naming quantity) when the pool has not that many available on the grant date or any later day, also under concurrent grants. Options and SARs need exercise_price (exact decimal; currency the company's unless given); RSUs have none. Vesting: vesting_terms_id with vesting_start_date, or the grant's own tranches (vesting: [{date, quantity}], adding up to the grant on strictly increasing dates from the grant date; 400 naming the field otherwise), or neither (vested at grant).",
  })
  @ApiCreatedResponse({ type: GrantResponseDto })
  @ApiProblemResponses(...WRITE)
  create(@Body() dto: CreateGrantDto, @Action() context: ActionContext): Promise<GrantResponseDto> {
    return this.grants.create(dto, context);
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getGrant',
    summary: 'One grant',
    description:
      'With what of it was exercised, released and cancelled (admin, auditor, its holder). A grant whose exercise window closed has its expiration recorded first (status EXPIRED).',
  })
  @ApiUuidParam('id', 'The grant id.')
  @ApiOkResponse({ type: GrantResponseDto })
  @ApiProblemResponses(404)
  get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Action() context: ActionContext,
  ): Promise<GrantResponseDto> {
    return this.grants.get(id, context);
  }

  @Get(':id/vesting')
  @ApiOperation({
    operationId: 'getGrantVesting',
    summary: "A grant's vesting schedule and figures at the end of as_of",
    description:
      'The full schedule (whole shares by the allocation type of its terms), and vested, unvested, exercised and exercisable on that day (admin, auditor, its holder).',
  })
  @ApiUuidParam('id', 'The grant id.')
  @ApiOkResponse({ type: GrantVestingDto })
  @ApiProblemResponses(404)
  vesting(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: AsOfQueryDto,
    @Action() context: ActionContext,
  ): Promise<GrantVestingDto> {
    return this.grants.vesting(id, query.as_of, context);
  }

  @Post(':id/exercises')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'exerciseGrant',
    summary:
      'Exercise options (a stock issuance in the plan’s class, through the stock ledger) or settle SARs',
    description:
      'Vested shares only, or any when early_exercise (the unvested part is recorded as unvested_quantity); 422 QUANTITY_EXCEEDS_EXERCISABLE naming quantity; 409 GRANT_NOT_EXERCISABLE when expired or an RSU. Options: total_amount = quantity × exercise price, exact; the issuance gets its certificate and its holder the mail; fair_market_value is refused (400 naming it). SARs: fair_market_value is required (400 naming it otherwise) and must be greater than the exercise (base) price (400 VALIDATION_FAILED naming it: an underwater SAR is worth nothing), nothing written either way; the appreciation quantity × (fair_market_value − exercise_price) is paid exactly: a CSAR all in cash_amount, no issuance; an SSAR in settled_shares = floor(appreciation ÷ fair_market_value) shares, issued at fair_market_value as for an option (none when 0), and the fraction left in cash_amount. total_amount is null (the holder pays nothing). The whole quantity is exercised: what is not delivered as shares does not go back to the pool.',
  })
  @ApiUuidParam('id', 'The grant id.')
  @ApiCreatedResponse({ type: GrantTransactionResultDto })
  @ApiProblemResponses(...WRITE)
  exercise(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateExerciseDto,
    @Action() context: ActionContext,
  ) {
    return this.transactions.exercise(id, dto, context);
  }

  @Post(':id/releases')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'releaseGrant',
    summary: 'Release vested RSUs as shares (a stock issuance at price 0)',
    description:
      'Vested shares only (422 QUANTITY_EXCEEDS_EXERCISABLE); options are exercised instead (409).',
  })
  @ApiUuidParam('id', 'The grant id.')
  @ApiCreatedResponse({ type: GrantTransactionResultDto })
  @ApiProblemResponses(...WRITE)
  release(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateReleaseDto,
    @Action() context: ActionContext,
  ) {
    return this.transactions.release(id, dto, context);
  }

  @Post(':id/cancellations')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'cancelGrant',
    summary: 'Cancel all or part of what is outstanding',
    description:
      "Taken from the latest installments first; given back to the pool unless the plan's cancellation behaviour retires it.",
  })
  @ApiUuidParam('id', 'The grant id.')
  @ApiCreatedResponse({ type: GrantTransactionResultDto })
  @ApiProblemResponses(...WRITE)
  cancel(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateGrantCancellationDto,
    @Action() context: ActionContext,
  ) {
    return this.transactions.cancel(id, dto, context);
  }

  @Post(':id/terminations')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'terminateGrant',
    summary: "The holder's service ended: unvested shares are forfeited at once",
    description:
      'Vested options stay exercisable for termination_exercise_days (or until expiration, if earlier), then expire: what is left is recorded as an EXPIRATION (at once, when the window has already passed).',
  })
  @ApiUuidParam('id', 'The grant id.')
  @ApiCreatedResponse({ type: GrantTransactionResultDto })
  @ApiProblemResponses(...WRITE)
  terminate(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateTerminationDto,
    @Action() context: ActionContext,
  ) {
    return this.transactions.terminate(id, dto, context);
  }

  @Post(':id/vesting-events')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'recordVestingEvent',
    summary: 'An event-based vesting condition was met (OCF TX_VESTING_EVENT)',
    description:
      "condition_id names a VESTING_EVENT condition of the grant's terms (400 otherwise).",
  })
  @ApiUuidParam('id', 'The grant id.')
  @ApiCreatedResponse({ type: GrantTransactionResultDto })
  @ApiProblemResponses(...WRITE)
  vestingEvent(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateVestingEventDto,
    @Action() context: ActionContext,
  ) {
    return this.transactions.vestingEvent(id, dto, context);
  }

  @Post(':id/vesting-accelerations')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'accelerateVesting',
    summary: 'Vest unvested shares early (OCF TX_VESTING_ACCELERATION)',
    description: 'They vest on the date, taken from the latest installments.',
  })
  @ApiUuidParam('id', 'The grant id.')
  @ApiCreatedResponse({ type: GrantTransactionResultDto })
  @ApiProblemResponses(...WRITE)
  accelerate(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateAccelerationDto,
    @Action() context: ActionContext,
  ) {
    return this.transactions.accelerate(id, dto, context);
  }
}
