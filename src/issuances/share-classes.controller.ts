import { ApiAuth, ApiUuidParam } from '../core/http/openapi';
import { ApiProblemResponses } from '../core/http/problem-responses.decorator';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../core/auth/auth.decorators';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { Action } from '../core/http/action-context.decorator';
import {
  AuthorizedSharesAdjustmentDto,
  ConversionRatioAdjustmentDto,
  CreateAuthorizedSharesAdjustmentDto,
  CreateConversionRatioAdjustmentDto,
  CreateShareClassDto,
  CreateSplitDto,
  ShareClassResponseDto,
  SplitDto,
  UpdateShareClassDto,
} from './dto/share-class.dto';
import { AuthorizedSharesService } from './authorized-shares.service';
import { LedgerSplits } from './ledger-splits.service';
import { ShareClassesService } from './share-classes.service';

@ApiTags('share classes')
@ApiAuth()
@ApiProblemResponses(400, 403, 429, 500)
@Controller(['api/share-classes', 'api/companies/:company_id/share-classes'])
export class ShareClassesController {
  constructor(
    private readonly shareClasses: ShareClassesService,
    private readonly splits: LedgerSplits,
    private readonly authorized: AuthorizedSharesService,
  ) {}

  @Get()
  @Roles(Role.Admin, Role.Auditor)
  @ApiOperation({
    operationId: 'listShareClasses',
    summary: 'All share classes, most senior first',
    description: 'With authorized shares, par value, votes per share and certificate prefix.',
  })
  @ApiOkResponse({ type: [ShareClassResponseDto] })
  list(): Promise<ShareClassResponseDto[]> {
    return this.shareClasses.list();
  }

  @Post()
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'createShareClass',
    summary: 'Create a share class',
    description:
      'Names and certificate prefixes are unique: a duplicate gives 409 SHARE_CLASS_NAME_TAKEN or SHARE_CLASS_PREFIX_TAKEN. converts_to_share_class_id (another class of the company) and the conversion ratio define its conversion rights.',
  })
  @ApiCreatedResponse({ type: ShareClassResponseDto })
  @ApiProblemResponses(409, 413, 415, 422)
  create(
    @Body() dto: CreateShareClassDto,
    @Action() context: ActionContext,
  ): Promise<ShareClassResponseDto> {
    return this.shareClasses.create(dto, context);
  }

  @Get(':id')
  @Roles(Role.Admin, Role.Auditor)
  @ApiOperation({
    operationId: 'getShareClass',
    summary: 'One share class',
    description: '404 SHARE_CLASS_NOT_FOUND for an unknown id.',
  })
  @ApiUuidParam('id', 'The share class id.')
  @ApiOkResponse({ type: ShareClassResponseDto })
  @ApiProblemResponses(404)
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<ShareClassResponseDto> {
    return this.shareClasses.get(id);
  }

  @Patch(':id')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'updateShareClass',
    summary: 'Change a share class',
    description:
      'Authorized shares may rise; lowering them below the shares already issued gives 409 AUTHORIZED_BELOW_ISSUED.',
  })
  @ApiUuidParam('id', 'The share class id.')
  @ApiOkResponse({ type: ShareClassResponseDto })
  @ApiProblemResponses(404, 409, 413, 415, 422)
  update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateShareClassDto,
    @Action() context: ActionContext,
  ): Promise<ShareClassResponseDto> {
    return this.shareClasses.update(id, dto, context);
  }

  @Post(':id/authorized-shares-adjustments')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'adjustAuthorizedShares',
    summary: "Change a class's authorized shares from a date on",
    description:
      "OCF StockClassAuthorizedSharesAdjustment, with board and stockholder approval dates. Dated after the class's latest change of authorized shares (422 otherwise); lowering them below what was outstanding on that date or any later one gives 409 AUTHORIZED_BELOW_ISSUED. The latest adjustment is the class's authorized_shares.",
  })
  @ApiUuidParam('id', 'The share class id.')
  @ApiCreatedResponse({ type: AuthorizedSharesAdjustmentDto })
  @ApiProblemResponses(404, 409, 413, 415, 422)
  adjustAuthorizedShares(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateAuthorizedSharesAdjustmentDto,
    @Action() context: ActionContext,
  ): Promise<AuthorizedSharesAdjustmentDto> {
    return this.authorized.adjust(id, dto, context);
  }

  @Post(':id/splits')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'splitShareClass',
    summary: 'Split (or reverse-split) a class',
    description:
      'Recorded as OCF records it: the class split, then one reissuance of every outstanding security of the class (split_transaction_id) whose resulting security holds quantity × numerator / denominator shares, rounded down; the fractions are paid out in cash at fraction_price_per_share (required then). Authorized shares scale by the same ratio unless authorized_shares is given; 409 AUTHORIZED_SHARES_EXCEEDED when the shares after would exceed them. The date may not be before the latest date a security of the class was issued or spent (422). Every old certificate is cancelled and every new security gets one, rendered in the background.',
  })
  @ApiUuidParam('id', 'The share class id.')
  @ApiCreatedResponse({ type: SplitDto })
  @ApiProblemResponses(404, 409, 413, 415, 422)
  split(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateSplitDto,
    @Action() context: ActionContext,
  ): Promise<SplitDto> {
    return this.splits.split(id, dto, context);
  }

  @Post(':id/conversion-ratio-adjustments')
  @Roles(Role.Admin)
  @ApiOperation({
    operationId: 'adjustConversionRatio',
    summary: 'Change the conversion ratio of a class from a date on',
    description:
      'OCF StockClassConversionRatioAdjustment: conversions dated on or after `date` use numerator / denominator. One per class and date (409 CONFLICT for a second); 422 CONVERSION_NOT_DEFINED when the class converts into no class.',
  })
  @ApiUuidParam('id', 'The share class id.')
  @ApiCreatedResponse({ type: ConversionRatioAdjustmentDto })
  @ApiProblemResponses(404, 409, 413, 415, 422)
  adjustConversionRatio(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CreateConversionRatioAdjustmentDto,
    @Action() context: ActionContext,
  ): Promise<ConversionRatioAdjustmentDto> {
    return this.shareClasses.adjustConversionRatio(id, dto, context);
  }
}
