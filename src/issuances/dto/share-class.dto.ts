import { ApiOcfId } from '../../core/http/api-ocf-id';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsEnum,
  IsInt,
  IsNotEmpty,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsCalendarDate, IsDecimalAmount, MaxChars } from '../../core/http/validators';
import { MAX_SHARES } from '../../core/money/money';
import { ShareClassType } from '../share-class.entity';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const present = (_: object, value: unknown) => value !== undefined;
const presentOrNull = (_: object, value: unknown) => value !== undefined && value !== null;

/** The largest numerator or denominator of a conversion ratio. */
export const MAX_RATIO_TERM = 1_000_000_000;

/** A class's conversion rights (OCF StockClass conversion_rights), on create and PATCH. */
export class ConversionRightsDto {
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: 'The class its shares convert into (POST /api/issuances/{id}/conversions).',
  })
  @ValidateIf(presentOrNull)
  @IsUUID('all')
  converts_to_share_class_id?: string | null;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_RATIO_TERM,
    default: 1,
    description: 'New shares per share = conversion_numerator / conversion_denominator.',
  })
  @ValidateIf(present)
  @IsInt()
  @Min(1)
  @Max(MAX_RATIO_TERM)
  conversion_numerator?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_RATIO_TERM, default: 1 })
  @ValidateIf(present)
  @IsInt()
  @Min(1)
  @Max(MAX_RATIO_TERM)
  conversion_denominator?: number;
}

export class CreateShareClassDto extends ConversionRightsDto {
  @ApiProperty({ example: 'Common', maxLength: 100 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxChars(100)
  name!: string;

  @ApiProperty({ enum: ShareClassType, example: ShareClassType.Common })
  @IsEnum(ShareClassType)
  type!: ShareClassType;

  @ApiProperty({ example: 10_000_000, minimum: 1, maximum: MAX_SHARES })
  @IsInt()
  @Min(1)
  @Max(MAX_SHARES)
  authorized_shares!: number;

  @ApiProperty({
    example: '0.0001',
    description:
      'Par value per share ≥ 0: a decimal string (exact) or a JSON number, up to 10 decimals.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  })
  @IsDecimalAmount()
  par_value!: string | number;

  @ApiProperty({ example: 1, minimum: 0, maximum: 1000 })
  @IsInt()
  @Min(0)
  @Max(1000)
  votes_per_share!: number;

  @ApiProperty({
    example: 'CS',
    description: '1 to 6 capital letters; certificate numbers are PREFIX-000001.',
  })
  @Matches(/^[A-Z]{1,6}$/, { message: 'certificate_prefix must be 1 to 6 capital letters' })
  certificate_prefix!: string;

  @ApiPropertyOptional({
    example: 0,
    default: 0,
    description: 'Liquidation rank; 0 is the most junior.',
  })
  @ValidateIf(present)
  @IsInt()
  @Min(0)
  @Max(100)
  seniority?: number;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Legend printed on certificates of the class.',
  })
  @ValidateIf(presentOrNull)
  @IsString()
  @MaxChars(2000)
  legend_text?: string | null;
}

/** Only the fields sent change. Authorized shares may rise; lowering them below what is issued gives 409. */
export class UpdateShareClassDto extends ConversionRightsDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @ValidateIf(present)
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxChars(100)
  name?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_SHARES })
  @ValidateIf(present)
  @IsInt()
  @Min(1)
  @Max(MAX_SHARES)
  authorized_shares?: number;

  @ApiPropertyOptional({
    example: '0.0001',
    description:
      'Par value per share ≥ 0: a decimal string (exact) or a JSON number, up to 10 decimals.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  })
  @ValidateIf(present)
  @IsDecimalAmount()
  par_value?: string | number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1000 })
  @ValidateIf(present)
  @IsInt()
  @Min(0)
  @Max(1000)
  votes_per_share?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @ValidateIf(present)
  @IsInt()
  @Min(0)
  @Max(100)
  seniority?: number;

  @ApiPropertyOptional({ nullable: true, type: String })
  @ValidateIf(presentOrNull)
  @IsString()
  @MaxChars(2000)
  legend_text?: string | null;
}

export class ShareClassResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ShareClassType }) type!: string;
  @ApiProperty() authorized_shares!: number;
  @ApiProperty({
    description:
      'Shares outstanding now: issued, less those cancelled, repurchased or converted away.',
  })
  issued_shares!: number;
  @ApiProperty() unissued_shares!: number;
  @ApiProperty({ example: '0.0001' }) par_value!: string;
  @ApiProperty() votes_per_share!: number;
  @ApiProperty({ example: 'CS' }) certificate_prefix!: string;
  @ApiProperty() seniority!: number;
  @ApiProperty({ nullable: true, type: String }) legend_text!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) converts_to_share_class_id!:
    string | null;
  @ApiProperty({ example: 1 }) conversion_numerator!: number;
  @ApiProperty({ example: 1 }) conversion_denominator!: number;
  @ApiProperty() version!: number;
  @ApiProperty() created_at!: string;
  @ApiOcfId() ocf_id!: string | null;
}

export class CreateConversionRatioAdjustmentDto {
  @ApiProperty({ example: '2025-01-01', description: 'The ratio applies from this date on.' })
  @IsCalendarDate()
  date!: string;

  @ApiProperty({ minimum: 1, maximum: MAX_RATIO_TERM, example: 3 })
  @IsInt()
  @Min(1)
  @Max(MAX_RATIO_TERM)
  numerator!: number;

  @ApiProperty({ minimum: 1, maximum: MAX_RATIO_TERM, example: 2 })
  @IsInt()
  @Min(1)
  @Max(MAX_RATIO_TERM)
  denominator!: number;
}

export class ConversionRatioAdjustmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) share_class_id!: string;
  @ApiProperty({ example: '2025-01-01' }) date!: string;
  @ApiProperty({ example: 3 }) numerator!: number;
  @ApiProperty({ example: 2 }) denominator!: number;
  @ApiProperty() recorded_at!: string;
}

export class CreateSplitDto {
  @ApiProperty({
    example: '2025-03-31',
    description:
      "Effective date: on or after the class's latest ledger date, and not later than today (UTC) plus LEDGER_FUTURE_DATE_TOLERANCE_DAYS.",
  })
  @IsCalendarDate()
  date!: string;

  @ApiProperty({
    minimum: 1,
    maximum: MAX_RATIO_TERM,
    example: 2,
    description:
      'New shares per share = numerator / denominator: 2-for-1 is 2/1, 1-for-10 is 1/10.',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_RATIO_TERM)
  numerator!: number;

  @ApiProperty({ minimum: 1, maximum: MAX_RATIO_TERM, example: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_RATIO_TERM)
  denominator!: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_SHARES,
    description:
      'The authorized shares after the split; default: scaled by the same ratio, rounded down.',
  })
  @ValidateIf(present)
  @IsInt()
  @Min(1)
  @Max(MAX_SHARES)
  authorized_shares?: number;

  @ApiPropertyOptional({
    example: '1.25',
    description:
      'Cash paid per share for the fractions of a share the split leaves (whole shares are rounded down); required when there are any.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  })
  @ValidateIf(present)
  @IsDecimalAmount()
  fraction_price_per_share?: string | number;
}

export class SplitDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) share_class_id!: string;
  @ApiProperty({ example: '2025-03-31' }) date!: string;
  @ApiProperty({ example: 2 }) numerator!: number;
  @ApiProperty({ example: 1 }) denominator!: number;
  @ApiProperty() authorized_shares_before!: number;
  @ApiProperty() authorized_shares_after!: number;
  @ApiProperty() outstanding_before!: number;
  @ApiProperty() outstanding_after!: number;
  @ApiProperty({ description: 'Outstanding securities reissued, one transaction each.' })
  securities!: number;
  @ApiProperty({ description: 'Securities left with less than one share (paid out in cash).' })
  paid_out_entirely!: number;
  @ApiProperty({ nullable: true, type: String }) fraction_cash_total!: string | null;
  @ApiProperty() recorded_at!: string;
}

export class CreateAuthorizedSharesAdjustmentDto {
  @ApiProperty({
    example: '2025-03-31',
    description:
      "From this date on: after the class's latest change of authorized shares (adjustment or split), not later than today (UTC) plus LEDGER_FUTURE_DATE_TOLERANCE_DAYS.",
  })
  @IsCalendarDate()
  date!: string;

  @ApiProperty({ minimum: 1, maximum: MAX_SHARES, example: 20_000_000 })
  @IsInt()
  @Min(1)
  @Max(MAX_SHARES)
  authorized_shares!: number;

  @ApiPropertyOptional({ example: '2025-03-15' })
  @ValidateIf(present)
  @IsCalendarDate()
  board_approval_date?: string;

  @ApiPropertyOptional({ example: '2025-03-20' })
  @ValidateIf(present)
  @IsCalendarDate()
  stockholder_approval_date?: string;
}

export class AuthorizedSharesAdjustmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) share_class_id!: string;
  @ApiProperty({ example: '2025-03-31' }) date!: string;
  @ApiProperty() authorized_shares!: number;
  @ApiProperty() previous_authorized_shares!: number;
  @ApiProperty({ nullable: true, type: String }) board_approval_date!: string | null;
  @ApiProperty({ nullable: true, type: String }) stockholder_approval_date!: string | null;
  @ApiProperty() recorded_at!: string;
}

export class CompanyAuthorizedSharesAdjustmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2025-03-31' }) date!: string;
  @ApiProperty({ description: 'Over all classes of the company, from date on.' })
  authorized_shares!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Before: null when the company had no company-wide limit.',
  })
  previous_authorized_shares!: number | null;
  @ApiProperty({ nullable: true, type: String }) board_approval_date!: string | null;
  @ApiProperty({ nullable: true, type: String }) stockholder_approval_date!: string | null;
  @ApiProperty() recorded_at!: string;
}
