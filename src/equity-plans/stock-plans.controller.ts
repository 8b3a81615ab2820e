import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import { ApiAuth, ApiUuidParam } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import {
  CreatePoolAdjustmentDto,
  CreateStockPlanDto,
  PoolAdjustmentDto,
  StockPlanQueryDto,
  StockPlanResponseDto,
  UpdateStockPlanDto,
} from './dto/stock-plan.dto';
import { StockPlansService } from './stock-plans.service';

@ApiTags('equity plans')
@ApiAuth()
@ApiProblemResponses(400, 403, 429, 500)
@Controller(['api/stock-plans', 'api/companies/:company_id/stock-plans'])
export class StockPlansController {
  constructor(private readonly plans: StockPlansService) {}

  @Get()
  @Roles(Role.Admin, Role.Auditor)
  @ApiOperation({
    operationId: 'listStockPlans',
    summary: 'Every stock plan with its pool figures',
    description:
      'Reserved, granted, outstanding, exercised, returned and available at the end of as_of (default today).',
  })
  @ApiOkResponse({ type: [StockPlanResponseDto] })
  list(@Query() query: StockPlanQueryDto): Promise<StockPlanResponseDto[]> {
    return this.plans.list(query.as_of);
  }

  @Post()
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'createStockPlan',
    summary: 'Create a stock plan (OCF StockPlan)',
    description:
      'Its pool of initial_shares_reserved shares of share_class_id, granted from by POST /api/grants/. Names are unique (409).',
  })
  @ApiCreatedResponse({ type: StockPlanResponseDto })
  @ApiProblemResponses(404, 409, 413, 415, 422)
  create(
    @Body() dto: CreateStockPlanDto,
    @Action() context: ActionContext,
  ): Promise<StockPlanResponseDto> {
    return this.plans.create(dto, context);
  }

  @Get(':id')
  @Roles(Role.Admin, Role.Auditor)
  @ApiOperation({
    operationId: 'getStockPlan',
    summary: "A plan and its pool's figures at the end of as_of",
    description:
      'Reserved, granted, outstanding, exercised, returned and available (default today).',
  })
  @ApiUuidParam('id', 'The stock plan id.')
  @ApiOkResponse({ type: StockPlanResponseDto })
  @ApiProblemResponses(404)
  get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: StockPlanQueryDto,
  ): Promise<StockPlanResponseDto> {
    return this.plans.get(id, query.as_of);
  }

  @Patch(':id')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'updateStockPlan',
    summary: "Change a plan's name, approval dates or cancellation behaviour",
    description: 'The pool changes only by POST /api/stock-plans/{id}/pool-adjustments.',
  })
  @ApiUuidParam('id', 'The stock plan id.')
  @ApiOkResponse({ type: StockPlanResponseDto })
  @ApiProblemResponses(404, 409, 413, 415, 422)
  update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateStockPlanDto,
    @Action() context: ActionContext,
  ): Promise<StockPlanResponseDto> {
    return this.plans.update(id, dto, context);
  }

  @Post(':id/pool-adjustments')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'adjustStockPlanPool',
    summary: "Change a plan's pool from a date on (OCF StockPlanPoolAdjustment)",
    description:
      "After the plan's latest adjustment (400 naming date otherwise); below what grants had committed on that date or later gives 409 naming shares_reserved.",
  })
  @ApiUuidParam('id', 'The stock plan id.')
  @ApiCreatedResponse({ type: PoolAdjustmentDto })
  @ApiProblemResponses(404, 409, 413, 415, 422)
  adjustPool(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreatePoolAdjustmentDto,
    @Action() context: ActionContext,
  ): Promise<PoolAdjustmentDto> {
    return this.plans.adjustPool(id, dto, context);
  }
}
