import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsISO31661Alpha2,
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsString,
  MaxLength,
} from 'class-validator';
import { IsCalendarDate } from '../../core/http/validators';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class PutCompanyDto {
  @ApiProperty({ example: 'Acme Robotics Ltd', maxLength: 300 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  legal_name!: string;

  @ApiProperty({ example: 'GB', description: 'ISO 3166-1 alpha-2 country of incorporation.' })
  @IsISO31661Alpha2()
  country!: string;

  @ApiProperty({ example: '2021-03-15' })
  @IsCalendarDate()
  formation_date!: string;

  @ApiProperty({
    example: 'EUR',
    description: 'ISO 4217 currency code, the default for issuances.',
  })
  @IsISO4217CurrencyCode()
  default_currency!: string;
}

export class CompanyResponseDto extends PutCompanyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() version!: number;
  @ApiProperty() updated_at!: string;
}
