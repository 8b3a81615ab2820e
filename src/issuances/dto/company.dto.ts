import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsISO31661Alpha2,
  IsISO4217CurrencyCode,
  Matches,
  IsNotEmpty,
  IsString,
} from 'class-validator';
import { IsCalendarDate, MaxChars } from '../../core/http/validators';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class PutCompanyDto {
  @ApiProperty({ example: 'Acme Robotics Ltd', maxLength: 300 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxChars(300)
  legal_name!: string;

  @ApiProperty({ example: 'GB', description: 'ISO 3166-1 alpha-2 country of incorporation.' })
  @IsISO31661Alpha2()
  // Upper case, as stored (ck_company_country): refused, not silently changed.
  @Matches(/^[A-Z]{2}$/, { message: '$property must be written in upper case, e.g. GB' })
  country!: string;

  @ApiProperty({ example: '2021-03-15' })
  @IsCalendarDate()
  formation_date!: string;

  @ApiProperty({
    example: 'EUR',
    description: 'ISO 4217 currency code, the default for issuances.',
  })
  @IsISO4217CurrencyCode()
  @Matches(/^[A-Z]{3}$/, { message: '$property must be written in upper case, e.g. EUR' })
  default_currency!: string;
}

export class CompanyResponseDto extends PutCompanyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      'Shares the company may have outstanding over all classes (OCF initial_shares_authorized, then POST …/authorized-shares-adjustments); null: no company-wide limit.',
  })
  authorized_shares!: number | null;
  @ApiProperty() version!: number;
  @ApiProperty() updated_at!: string;
}
