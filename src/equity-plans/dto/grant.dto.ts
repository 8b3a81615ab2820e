import { ApiOcfId } from '../../core/http/api-ocf-id';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, IsDecimalAmount } from '../../core/http/validators';
import { MAX_SHARES } from '../../core/money/money';
import { COMPENSATION_TYPES, CompensationType } from '../equity-grant.entity';
import { MAX_VESTING_TRANCHES } from '../vesting/vesting-tranches';

const present = (_: object, value: unknown) => value !== undefined;

/** OCF `Vesting` (`date`, `amount`), with the amount in whole shares like every share count here. */
export class VestingTrancheDto {
  @ApiProperty({ example: '2027-01-15' })
  @IsCalendarDate()
  date!: string;

  @ApiProperty({ minimum: 1, maximum: MAX_SHARES, example: 12_000 })
  @IsInt()
  @Min(1)
  @Max(MAX_SHARES)
  quantity!: number;
}

export class CreateGrantDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  shareholder_id!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The plan the grant takes its shares from (its pool); without it, share_class_id is required and the grant is outside any plan.',
  })
  @ValidateIf(present)
  @IsUUID('all')
  stock_plan_id?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'A grant outside any plan only: the class its exercises or releases issue (a grant from a plan issues the plan’s).',
  })
  @ValidateIf(present)
  @IsUUID('all')
  share_class_id?: string;

  @ApiProperty({ enum: COMPENSATION_TYPES, example: 'OPTION_ISO' })
  @IsIn(COMPENSATION_TYPES)
  compensation_type!: CompensationType;

  @ApiProperty({ minimum: 1, maximum: MAX_SHARES, example: 48_000 })
  @IsInt()
  @Min(1)
  @Max(MAX_SHARES)
  quantity!: number;

  @ApiPropertyOptional({
    example: '0.25',
    description: 'Options and SARs: required, an exact decimal (up to 10 places); RSUs: none.',
  })
  @ValidateIf(present)
  @IsDecimalAmount()
  exercise_price?: string;

  @ApiPropertyOptional({ example: 'EUR', description: "The company's default unless given." })
  @ValidateIf(present)
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency?: string;

  @ApiProperty({ example: '2026-01-15' })
  @IsCalendarDate()
  grant_date!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'With vesting_start_date; without both (and without vesting), vested at grant.',
  })
  @ValidateIf(present)
  @IsUUID('all')
  vesting_terms_id?: string;

  @ApiPropertyOptional({ example: '2026-01-01' })
  @ValidateIf(present)
  @IsCalendarDate()
  vesting_start_date?: string;

  @ApiPropertyOptional({
    type: [VestingTrancheDto],
    maxItems: MAX_VESTING_TRANCHES,
    description:
      "The grant's own schedule (OCF vestings), instead of vesting_terms_id: quantities that add up to exactly the grant, on strictly increasing dates, none before the grant date.",
    example: [
      { date: '2027-01-15', quantity: 24_000 },
      { date: '2028-01-15', quantity: 24_000 },
    ],
  })
  @ValidateIf(present)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_VESTING_TRANCHES)
  @ValidateNested({ each: true })
  @Type(() => VestingTrancheDto)
  vesting?: VestingTrancheDto[];

  @ApiPropertyOptional({
    example: '2036-01-14',
    description:
      'The last day it can be exercised or released; after it, what is left is recorded as expired.',
  })
  @ValidateIf(present)
  @IsCalendarDate()
  expiration_date?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Options may be exercised before they vest.',
  })
  @ValidateIf(present)
  @IsBoolean()
  early_exercise?: boolean;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 3650,
    example: 90,
    description: 'Days vested options stay exercisable after a termination (0 when not given).',
  })
  @ValidateIf(present)
  @IsInt()
  @Min(0)
  @Max(3650)
  termination_exercise_days?: number;
}

export class GrantResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) shareholder_id!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'Null: a grant outside any plan.',
  })
  stock_plan_id!: string | null;
  @ApiProperty({
    format: 'uuid',
    description: 'The class its exercises or releases issue: the plan’s, or its own.',
  })
  share_class_id!: string;
  @ApiProperty({ enum: COMPENSATION_TYPES }) compensation_type!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ nullable: true, type: String }) exercise_price!: string | null;
  @ApiProperty({ nullable: true, type: String }) currency!: string | null;
  @ApiProperty() grant_date!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) vesting_terms_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) vesting_start_date!: string | null;
  @ApiProperty({
    nullable: true,
    type: [VestingTrancheDto],
    description: "The grant's own schedule, when it has one instead of vesting terms.",
  })
  vesting!: VestingTrancheDto[] | null;
  @ApiProperty({ nullable: true, type: String }) expiration_date!: string | null;
  @ApiProperty() early_exercise!: boolean;
  @ApiProperty({ nullable: true, type: Number }) termination_exercise_days!: number | null;
  @ApiProperty() exercised!: number;
  @ApiProperty() released!: number;
  @ApiProperty({ description: 'Cancelled, forfeited at termination, or expired.' })
  cancelled!: number;
  @ApiProperty({ description: 'quantity − exercised − released − cancelled.' })
  outstanding!: number;
  @ApiProperty({ nullable: true, type: String }) terminated_on!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The date of its EXPIRATION transaction (the day after its last exercisable day).',
  })
  expired_on!: string | null;
  @ApiProperty({
    enum: ['OUTSTANDING', 'EXERCISED', 'CANCELLED', 'EXPIRED'],
    description: 'EXPIRED once its window closed with shares left (recorded as an EXPIRATION).',
  })
  status!: string;
  @ApiProperty() created_at!: string;
  @ApiOcfId('security_id') ocf_id!: string | null;
}

export class VestingInstallmentDto {
  @ApiProperty({ example: '2027-01-15' }) date!: string;
  @ApiProperty({ example: 12_000 }) quantity!: number;
  @ApiProperty({ example: 12_000 }) cumulative!: number;
}

export class GrantVestingDto {
  @ApiProperty({ format: 'uuid' }) grant_id!: string;
  @ApiProperty({ example: '2026-12-01' }) as_of!: string;
  @ApiProperty({ type: [VestingInstallmentDto] }) schedule!: VestingInstallmentDto[];
  @ApiProperty() vested!: number;
  @ApiProperty() unvested!: number;
  @ApiProperty({ description: 'Exercised options and released RSUs by then.' }) exercised!: number;
  @ApiProperty({ description: 'What may be exercised or released on that day.' })
  exercisable!: number;
  @ApiProperty({ nullable: true, type: String }) expires_on!: string | null;
}

export class AsOfQueryDto {
  @ApiPropertyOptional({ example: '2027-06-30', description: 'Default: today (UTC).' })
  @ValidateIf(present)
  @IsCalendarDate()
  as_of?: string;
}

export class GrantQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @ValidateIf(present)
  @IsUUID('all')
  shareholder_id?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @ValidateIf(present)
  @IsUUID('all')
  stock_plan_id?: string;
}
