import { ApiOcfId } from '../../core/http/api-ocf-id';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MAX_PAGE_SIZE } from '../../core/http/pagination';
import { IsCalendarDate, IsDecimalAmount } from '../../core/http/validators';
import { MAX_SHARES } from '../../core/money/money';
import { TRANSACTION_KINDS } from '../stock-transaction.entity';
import { IssuanceResponseDto } from './issuance.dto';

/** Transferees of one transfer, at most. */
export const MAX_TRANSFEREES = 100;

const quantity = (description: string) =>
  ApiProperty({ example: 100, minimum: 1, maximum: MAX_SHARES, description });

const effectiveDate = () =>
  ApiProperty({
    example: '2025-03-31',
    description:
      "The effective (legal) date: on or after the security's date, and not after today (UTC) plus LEDGER_FUTURE_DATE_TOLERANCE_DAYS.",
  });

export class TransfereeDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  to_shareholder_id!: string;

  @quantity('Shares this transferee receives: a positive whole number.')
  @IsInt()
  @Min(1)
  @Max(MAX_SHARES)
  quantity!: number;
}

export class CreateTransferDto {
  @effectiveDate()
  @IsCalendarDate()
  date!: string;

  @ApiProperty({
    type: [TransfereeDto],
    description: `1 to ${MAX_TRANSFEREES} transferees; their quantities total at most the security's.`,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TRANSFEREES)
  @ValidateNested({ each: true })
  @Type(() => TransfereeDto)
  transfers!: TransfereeDto[];

  @ApiPropertyOptional({
    example: '1.50',
    description:
      "Price per share paid by the transferees; their securities carry it (else the transferred security's price).",
    oneOf: [{ type: 'string' }, { type: 'number' }],
  })
  @IsOptional()
  @IsDecimalAmount()
  price_per_share?: string | number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  consideration_text?: string;
}

export class CreateCancellationDto {
  @effectiveDate()
  @IsCalendarDate()
  date!: string;

  @quantity('Shares cancelled; fewer than the security holds leaves a balance security.')
  @IsInt()
  @Min(1)
  @Max(MAX_SHARES)
  quantity!: number;

  @ApiProperty({ maxLength: 2000, example: 'Forfeited on departure' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class CreateRepurchaseDto {
  @effectiveDate()
  @IsCalendarDate()
  date!: string;

  @quantity('Shares bought back; fewer than the security holds leaves a balance security.')
  @IsInt()
  @Min(1)
  @Max(MAX_SHARES)
  quantity!: number;

  @ApiProperty({
    example: '2.25',
    description: 'Price per share paid by the company; total = quantity × price, exact.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  })
  @IsDecimalAmount()
  price_per_share!: string | number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  consideration_text?: string;
}

export class CreateReissuanceDto {
  @effectiveDate()
  @IsCalendarDate()
  date!: string;

  @ApiProperty({ maxLength: 2000, example: 'Certificate lost' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class ConversionFractionDto {
  @ApiProperty({ example: 1 }) numerator!: number;
  @ApiProperty({ example: 2 }) denominator!: number;
  @ApiProperty({ example: '1.25' }) price_per_share!: string;
  @ApiProperty({ example: '0.625', description: 'fraction × price, to 10 decimals.' })
  cash_amount!: string;
}

export class ConversionDetailDto {
  @ApiProperty({ example: 3, description: 'New shares per share: numerator / denominator.' })
  numerator!: number;
  @ApiProperty({ example: 2 }) denominator!: number;
  @ApiProperty({
    type: ConversionFractionDto,
    nullable: true,
    description: 'The fraction of a new share not issued, paid out in cash.',
  })
  fraction!: ConversionFractionDto | null;
}

export class LedgerTransactionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['ISSUANCE', ...TRANSACTION_KINDS] }) kind!: string;
  @ApiProperty({ example: '2025-03-31', description: 'Effective date.' }) date!: string;
  @ApiProperty({ description: 'When the ledger recorded it.' }) recorded_at!: string;
  @ApiProperty({
    format: 'uuid',
    description:
      'The security it issued (ISSUANCE) or spent; for a REVERSAL, that of the line it undoes.',
  })
  security_id!: string;
  @ApiProperty({ format: 'uuid' }) shareholder_id!: string;
  @ApiProperty({ format: 'uuid' }) share_class_id!: string;
  @ApiProperty({ example: 100 }) quantity!: number;
  @ApiProperty({ nullable: true, type: String }) price_per_share!: string | null;
  @ApiProperty({ nullable: true, type: String }) total_amount!: string | null;
  @ApiProperty({ nullable: true, type: String }) currency!: string | null;
  @ApiProperty({ nullable: true, type: String }) consideration_text!: string | null;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) balance_security_id!:
    string | null;
  @ApiProperty({ type: [String] }) resulting_security_ids!: string[];
  @ApiProperty({ type: ConversionDetailDto, nullable: true, description: 'Conversions only.' })
  conversion!: ConversionDetailDto | null;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'A REVERSAL: the ledger line it undoes (a transaction, or an issuance).',
  })
  reversed_transaction_id!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The REVERSAL that undid this line; it stays in the ledger, marked so.',
  })
  reversed_by_transaction_id!: string | null;
  @ApiOcfId() ocf_id!: string | null;
  @ApiProperty() created_by!: string;
}

export class LedgerTransactionResultDto {
  @ApiProperty({ type: LedgerTransactionDto }) transaction!: LedgerTransactionDto;
  @ApiProperty({ type: IssuanceResponseDto, description: 'The spent security, as it is now.' })
  spent!: IssuanceResponseDto;
  @ApiProperty({
    type: IssuanceResponseDto,
    nullable: true,
    description: 'What stays with the holder; null when nothing is left.',
  })
  balance!: IssuanceResponseDto | null;
  @ApiProperty({ type: [IssuanceResponseDto], description: 'New securities of others.' })
  resulting!: IssuanceResponseDto[];
}

export class TransactionQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor is not a cursor this API issued' })
  cursor?: string;

  @ApiPropertyOptional({ enum: ['ISSUANCE', ...TRANSACTION_KINDS] })
  @IsOptional()
  @IsIn(['ISSUANCE', ...TRANSACTION_KINDS])
  kind?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Whose security it issued or spent.' })
  @IsOptional()
  @IsUUID('all')
  shareholder_id?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  share_class_id?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The security it issued or spent.' })
  @IsOptional()
  @IsUUID('all')
  security_id?: string;

  @ApiPropertyOptional({ example: '2024-01-01', description: 'Effective on or after.' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2024-12-31', description: 'Effective on or before.' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({
    example: '2025-01-01T00:00:00Z',
    description: 'Recorded at or after (ISO 8601 with a time zone).',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  recorded_from?: string;

  @ApiPropertyOptional({
    example: '2025-12-31T23:59:59Z',
    description: 'Recorded at or before (ISO 8601 with a time zone).',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  recorded_to?: string;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    default: 'json',
    description: 'csv: the page as RFC 4180 CSV, its next cursor in the X-Next-Cursor header.',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format: 'json' | 'csv' = 'json';
}

export class TransactionPageDto {
  @ApiProperty({ type: [LedgerTransactionDto] }) items!: LedgerTransactionDto[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}

export class CreateConversionDto {
  @effectiveDate()
  @IsCalendarDate()
  date!: string;

  @ApiProperty({
    format: 'uuid',
    description: "The class the security's class converts into (its converts_to_share_class_id).",
  })
  @IsUUID('all')
  to_share_class_id!: string;

  @ApiPropertyOptional({
    example: 100,
    minimum: 1,
    maximum: MAX_SHARES,
    description: 'Shares converted; the whole security when absent. Fewer leaves a balance.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SHARES)
  quantity?: number;

  @ApiPropertyOptional({
    example: '1.25',
    description:
      'Cash paid per new share for the fraction of a share the ratio leaves (whole new shares are rounded down); required when there is one.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  })
  @IsOptional()
  @IsDecimalAmount()
  fraction_price_per_share?: string | number;
}
