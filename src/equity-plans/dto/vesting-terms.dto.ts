import { ApiOcfId } from '../../core/http/api-ocf-id';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { MaxChars } from '../../core/http/validators';
import { ALLOCATION_TYPES, AllocationType } from '../vesting/allocation';
import type { VestingCondition } from '../vesting/vesting-terms';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const isShorthand = (dto: CreateVestingTermsDto) => dto.vesting_conditions === undefined;
const isOcf = (dto: CreateVestingTermsDto) => dto.vesting_conditions !== undefined;

/**
 * Vesting terms, in one of two forms: OCF `VestingTerms` (`name`, `description`,
 * `allocation_type`, `vesting_conditions`: checked against the official 1.2.0 schema), or the
 * shorthand for the common case (`name`, `total_months`, `cliff_months`, `frequency_months`,
 * `allocation_type`), stored as the equivalent OCF terms.
 */
export class CreateVestingTermsDto {
  @ApiProperty({ maxLength: 200, example: 'Four years monthly, one-year cliff' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxChars(200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 4000, description: 'OCF form: required.' })
  @ValidateIf(isOcf)
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  description?: string;

  @ApiProperty({ enum: ALLOCATION_TYPES, example: 'CUMULATIVE_ROUNDING' })
  @IsIn(ALLOCATION_TYPES)
  allocation_type!: AllocationType;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    description:
      'OCF form: the VestingCondition objects (types/vesting/VestingCondition.schema.json).',
  })
  @ValidateIf(isOcf)
  @IsArray()
  @IsObject({ each: true })
  vesting_conditions?: VestingCondition[];

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 240,
    example: 48,
    description: 'Shorthand: months in all.',
  })
  @ValidateIf(isShorthand)
  @IsInt()
  @Min(1)
  @Max(240)
  total_months?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 240,
    example: 12,
    description: 'Shorthand: a multiple of frequency_months, at most total_months.',
  })
  @ValidateIf(isShorthand)
  @IsInt()
  @Min(0)
  @Max(240)
  cliff_months?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 240,
    example: 1,
    description: 'Shorthand: divides total_months.',
  })
  @ValidateIf(isShorthand)
  @IsInt()
  @Min(1)
  @Max(240)
  frequency_months?: number;
}

export class VestingTermsResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'VESTING_TERMS' }) object_type!: 'VESTING_TERMS';
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: ALLOCATION_TYPES }) allocation_type!: string;
  @ApiProperty({ type: 'array', items: { type: 'object' } })
  vesting_conditions!: VestingCondition[];
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'The shorthand it was given as, if any.',
  })
  shorthand!: object | null;
  @ApiProperty() created_at!: string;
  @ApiOcfId() ocf_id!: string | null;
}
