import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsISO4217CurrencyCode,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { PageQueryDto } from '../../core/http/pagination';
import { IsCalendarDate, IsDecimalAmount } from '../../core/http/validators';
import { MAX_SHARES } from '../../core/money/money';

export class CreateIssuanceDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  shareholder_id!: string;

  @ApiProperty({
    example: 1000,
    minimum: 1,
    maximum: MAX_SHARES,
    description: 'A positive whole number.',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_SHARES)
  number_of_shares!: number;

  @ApiProperty({
    example: '0.1',
    description:
      'Price per share ≥ 0, as a decimal string (exact) or a JSON number, up to 10 decimals.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  })
  @IsDecimalAmount()
  price!: string | number;

  @ApiPropertyOptional({
    example: '2024-06-30',
    description: 'Issue date; defaults to today (UTC).',
  })
  @IsOptional()
  @IsCalendarDate()
  date?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "Defaults to the company's (oldest) COMMON class.",
  })
  @IsOptional()
  @IsUUID('all')
  share_class_id?: string;

  @ApiPropertyOptional({
    example: 'EUR',
    description: "ISO 4217; defaults to the company's currency.",
  })
  @IsOptional()
  @IsISO4217CurrencyCode()
  // Upper case, as stored (ck_issuance_currency): refused, not silently changed.
  @Matches(/^[A-Z]{3}$/, { message: '$property must be written in upper case, e.g. EUR' })
  currency?: string;
}

export class IssuanceQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  shareholder_id?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  share_class_id?: string;

  @ApiPropertyOptional({ example: '2024-01-01', description: 'Issue date on or after.' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2024-12-31', description: 'Issue date on or before.' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

export class IssuanceResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) shareholder_id!: string;
  @ApiProperty({ format: 'uuid' }) share_class_id!: string;
  @ApiProperty({ example: 1000 }) number_of_shares!: number;
  @ApiProperty({ example: '0.1' }) price!: string;
  @ApiProperty({
    example: '100',
    description: 'number_of_shares × price, exact, as a decimal string.',
  })
  total_amount!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ example: '2024-06-30' }) date!: string;
  @ApiProperty({ nullable: true, type: String, example: 'CS-000001' }) certificate_number!:
    string | null;
  @ApiProperty() created_at!: string;
}
