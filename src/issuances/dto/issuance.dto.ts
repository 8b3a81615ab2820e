import { ApiOcfId } from '../../core/http/api-ocf-id';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
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
import { SECURITY_STATUSES, SecurityStatus } from '../issuance.entity';

/** `?status=` of the issuance list: one status, or `all`. */
export const ISSUANCE_STATUS_FILTERS = ['all', ...SECURITY_STATUSES] as const;
export type IssuanceStatusFilter = (typeof ISSUANCE_STATUS_FILTERS)[number];

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

  @ApiPropertyOptional({
    enum: ISSUANCE_STATUS_FILTERS,
    default: 'OUTSTANDING',
    description: 'Outstanding securities by default; `all` includes the spent ones (history).',
  })
  @IsOptional()
  @IsIn(ISSUANCE_STATUS_FILTERS)
  status: IssuanceStatusFilter = 'OUTSTANDING';
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
  @ApiProperty({ enum: SECURITY_STATUSES }) status!: SecurityStatus;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The transaction this security came from; null for an original issuance.',
  })
  origin_transaction_id!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) spent_by_transaction_id!:
    string | null;
  @ApiProperty({ nullable: true, type: String, example: '2025-03-31' }) spent_on!: string | null;
  @ApiProperty({
    type: [String],
    description:
      'The securities that came from it when it was spent (the balance first); empty while outstanding.',
  })
  derived_security_ids!: string[];
  @ApiOcfId('security_id') ocf_id!: string | null;
}
