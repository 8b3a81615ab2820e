import { ApiOcfId } from '../../core/http/api-ocf-id';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsString, IsUUID, Max, Min, ValidateIf } from 'class-validator';
import { IsCalendarDate, MaxChars } from '../../core/http/validators';
import { MAX_SHARES } from '../../core/money/money';
import { CANCELLATION_BEHAVIORS, CancellationBehavior } from '../stock-plan.entity';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const present = (_: object, value: unknown) => value !== undefined;
const presentOrNull = (_: object, value: unknown) => value !== undefined && value !== null;

export class UpdateStockPlanDto {
  @ApiPropertyOptional({ maxLength: 200, example: '2026 Equity Incentive Plan' })
  @ValidateIf(present)
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxChars(200)
  name?: string;

  @ApiPropertyOptional({ nullable: true, type: String, example: '2026-01-10' })
  @ValidateIf(presentOrNull)
  @IsCalendarDate()
  board_approval_date?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: '2026-01-20' })
  @ValidateIf(presentOrNull)
  @IsCalendarDate()
  stockholder_approval_date?: string | null;

  @ApiPropertyOptional({
    enum: CANCELLATION_BEHAVIORS,
    description:
      'What a cancelled, forfeited or expired grant does with its shares: RETURN_TO_POOL gives them back to the pool; RETIRE and HOLD_AS_CAPITAL_STOCK do not; DEFINED_PER_PLAN_SECURITY is treated as RETURN_TO_POOL (grants carry no behaviour of their own yet).',
  })
  @ValidateIf(present)
  @IsIn(CANCELLATION_BEHAVIORS)
  default_cancellation_behavior?: CancellationBehavior;
}

export class CreateStockPlanDto extends UpdateStockPlanDto {
  @ApiProperty({ maxLength: 200, example: '2026 Equity Incentive Plan' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxChars(200)
  declare name: string;

  @ApiProperty({ format: 'uuid', description: 'The class the plan issues (its exercised shares).' })
  @IsUUID('all')
  share_class_id!: string;

  @ApiProperty({ minimum: 1, maximum: MAX_SHARES, example: 1_000_000 })
  @IsInt()
  @Min(1)
  @Max(MAX_SHARES)
  initial_shares_reserved!: number;

  @ApiProperty({ enum: CANCELLATION_BEHAVIORS, example: 'RETURN_TO_POOL' })
  @IsIn(CANCELLATION_BEHAVIORS)
  declare default_cancellation_behavior: CancellationBehavior;
}

export class StockPlanResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) share_class_id!: string;
  @ApiProperty() initial_shares_reserved!: number;
  @ApiProperty({ nullable: true, type: String }) board_approval_date!: string | null;
  @ApiProperty({ nullable: true, type: String }) stockholder_approval_date!: string | null;
  @ApiProperty({ enum: CANCELLATION_BEHAVIORS }) default_cancellation_behavior!: string;
  @ApiProperty({
    example: '2026-12-01',
    description: 'The figures below are at the end of this day.',
  })
  as_of!: string;
  @ApiProperty({ description: 'The pool on that day: the reservation and its adjustments.' })
  shares_reserved!: number;
  @ApiProperty({ description: 'Granted from the pool by that day.' }) granted!: number;
  @ApiProperty({ description: 'Grants not exercised, released, cancelled or expired.' })
  outstanding!: number;
  @ApiProperty({ description: 'Exercised options and released RSUs: shares issued.' })
  exercised!: number;
  @ApiProperty({
    description:
      'Cancelled, forfeited or expired, given back to the pool (expired counted from the day after the window closed, recorded yet or not).',
  })
  returned!: number;
  @ApiProperty({ description: 'reserved − granted + returned; never negative.' })
  available!: number;
  @ApiOcfId() ocf_id!: string | null;
}

export class CreatePoolAdjustmentDto {
  @ApiProperty({ example: '2026-06-30', description: "After the plan's latest adjustment." })
  @IsCalendarDate()
  date!: string;

  @ApiProperty({
    minimum: 1,
    maximum: MAX_SHARES,
    example: 1_500_000,
    description: 'The pool from then on.',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_SHARES)
  shares_reserved!: number;

  @ApiPropertyOptional({ example: '2026-06-15' })
  @ValidateIf(present)
  @IsCalendarDate()
  board_approval_date?: string;

  @ApiPropertyOptional({ example: '2026-06-20' })
  @ValidateIf(present)
  @IsCalendarDate()
  stockholder_approval_date?: string;
}

export class PoolAdjustmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) stock_plan_id!: string;
  @ApiProperty() date!: string;
  @ApiProperty() shares_reserved!: number;
  @ApiProperty() previous_shares_reserved!: number;
  @ApiProperty({ nullable: true, type: String }) board_approval_date!: string | null;
  @ApiProperty({ nullable: true, type: String }) stockholder_approval_date!: string | null;
  @ApiProperty() recorded_at!: string;
}

export class StockPlanQueryDto {
  @ApiPropertyOptional({
    example: '2026-12-31',
    description: 'Figures at the end of this day (default today).',
  })
  @ValidateIf(present)
  @IsCalendarDate()
  as_of?: string;
}
