import { ApiOcfId } from '../../core/http/api-ocf-id';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsEnum,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  ValidateIf,
} from 'class-validator';
import { MaxChars } from '../../core/http/validators';
import { PageQueryDto } from '../../core/http/pagination';
import { ShareholderType } from '../shareholder.entity';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateShareholderDto {
  @ApiProperty({ example: 'Ada Lovelace', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxChars(200)
  name!: string;

  @ApiProperty({ example: 'ada@example.com', maxLength: 320 })
  @Transform(trim)
  @IsEmail({ allow_display_name: false, require_tld: true })
  @MaxChars(320)
  email!: string;

  @ApiPropertyOptional({ enum: ShareholderType, default: ShareholderType.Individual })
  @IsOptional()
  @IsEnum(ShareholderType)
  type?: ShareholderType;

  @ApiPropertyOptional({ example: '+44 20 7946 0958', description: 'Stored encrypted.' })
  @IsOptional()
  @Transform(trim)
  @Matches(/^\+?[0-9 ().-]{5,32}$/, {
    message: 'phone must be a phone number (digits, spaces, + ( ) . -)',
  })
  phone?: string;

  @ApiPropertyOptional({ example: '12 St James Square, London', description: 'Stored encrypted.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxChars(500)
  address?: string;

  @ApiPropertyOptional({
    example: 'GB123456789',
    description: 'Stored encrypted; shown masked to everyone but admins.',
  })
  @IsOptional()
  @Transform(trim)
  @Matches(/^[A-Za-z0-9 ./-]{4,32}$/, {
    message: 'tax_id must be 4 to 32 letters, digits, spaces or . / -',
  })
  tax_id?: string;

  @ApiPropertyOptional({
    description: 'The Keycloak `sub` of the holder login.',
    example: '3f0e0d3c-0a4e-4c1b-9a5e-2d7f0c8b9e11',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxChars(255)
  user_id?: string;
}

/** Only the fields sent change. `null` clears phone, address, tax_id or user_id. */
export class UpdateShareholderDto {
  @ApiPropertyOptional({ example: 'Ada King', maxLength: 200 })
  @ValidateIf((_, value) => value !== undefined)
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxChars(200)
  name?: string;

  @ApiPropertyOptional({ example: 'ada.king@example.com', maxLength: 320 })
  @ValidateIf((_, value) => value !== undefined)
  @Transform(trim)
  @IsEmail({ allow_display_name: false, require_tld: true })
  @MaxChars(320)
  email?: string;

  @ApiPropertyOptional({ enum: ShareholderType })
  @ValidateIf((_, value) => value !== undefined)
  @IsEnum(ShareholderType)
  type?: ShareholderType;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @Transform(trim)
  @Matches(/^\+?[0-9 ().-]{5,32}$/, {
    message: 'phone must be a phone number (digits, spaces, + ( ) . -)',
  })
  phone?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxChars(500)
  address?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @Transform(trim)
  @Matches(/^[A-Za-z0-9 ./-]{4,32}$/, {
    message: 'tax_id must be 4 to 32 letters, digits, spaces or . / -',
  })
  tax_id?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxChars(255)
  user_id?: string | null;
}

export class ShareholderQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Substring of the name or the email, case-insensitive.' })
  @IsOptional()
  @IsString()
  @MaxChars(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Substring of the name, case-insensitive.' })
  @IsOptional()
  @IsString()
  @MaxChars(200)
  name?: string;

  @ApiPropertyOptional({ description: 'Substring of the email, case-insensitive.' })
  @IsOptional()
  @IsString()
  @MaxChars(320)
  email?: string;
}

export class ExportQueryDto {
  @ApiPropertyOptional({ enum: ['csv', 'json'], default: 'json' })
  @IsOptional()
  @IsIn(['csv', 'json'])
  format: 'csv' | 'json' = 'json';
}

export class ShareholderResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name!: string;
  @ApiProperty({ example: 'ada@example.com' }) email!: string;
  @ApiProperty({ enum: ShareholderType }) type!: ShareholderType;
  @ApiProperty({ nullable: true, type: String }) phone!: string | null;
  @ApiProperty({ nullable: true, type: String }) address!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '*******6789',
    description: 'Masked except for admins.',
  })
  tax_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) user_id!: string | null;
  @ApiProperty({ example: 1500, description: 'Sum of the shares issued to this holder.' })
  total_shares!: number;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
  @ApiOcfId() ocf_id!: string | null;
}

export class ShareholderVersionDto {
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['CREATED', 'UPDATED', 'LINKED'] }) change!: string;
  @ApiProperty({ type: [String] }) changed_fields!: string[];
  @ApiProperty({ nullable: true, type: Object }) before!: object | null;
  @ApiProperty({ type: Object }) after!: object;
  @ApiProperty({ description: 'Username, or client id of a service account.' }) changed_by!: string;
  @ApiProperty() changed_by_sub!: string;
  @ApiProperty() changed_at!: string;
  @ApiProperty({ nullable: true, type: String }) request_id!: string | null;
}
