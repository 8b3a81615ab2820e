import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsCalendarDate, IsDecimalAmount, MaxChars } from '../../core/http/validators';
import { MAX_SHARES } from '../../core/money/money';
import { GrantResponseDto } from './grant.dto';

const present = (_: object, value: unknown) => value !== undefined;
const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/**
 * A release of vested RSUs: a date and a quantity; an exercise takes the same and, for a SAR, its
 * fair market value; an acceleration, a reason.
 */
export class CreateReleaseDto {
  @ApiProperty({ example: '2027-02-01' })
  @IsCalendarDate()
  date!: string;

  @ApiProperty({ minimum: 1, maximum: MAX_SHARES, example: 1000 })
  @IsInt()
  @Min(1)
  @Max(MAX_SHARES)
  quantity!: number;
}

export class CreateExerciseDto extends CreateReleaseDto {
  @ApiPropertyOptional({
    example: '12.5',
    description:
      "SARs (CSAR, SSAR): required, the fair market value per share on the date, an exact decimal (up to 10 places) greater than the grant's exercise (base) price; options: none.",
  })
  @ValidateIf(present)
  @IsDecimalAmount()
  fair_market_value?: string;
}

export class CreateGrantCancellationDto {
  @ApiProperty({ example: '2027-02-01' })
  @IsCalendarDate()
  date!: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_SHARES,
    description: 'Default: all outstanding.',
  })
  @ValidateIf(present)
  @IsInt()
  @Min(1)
  @Max(MAX_SHARES)
  quantity?: number;

  @ApiProperty({ maxLength: 2000, example: 'Declined by the holder' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class CreateTerminationDto {
  @ApiProperty({ example: '2027-03-31', description: 'The last day of service.' })
  @IsCalendarDate()
  date!: string;
}

export class CreateVestingEventDto {
  @ApiProperty({ example: '2027-05-01' })
  @IsCalendarDate()
  date!: string;

  @ApiProperty({
    maxLength: 200,
    example: 'qualifying-sale',
    description: "A VESTING_EVENT condition of the grant's terms.",
  })
  @IsString()
  @IsNotEmpty()
  @MaxChars(200)
  condition_id!: string;
}

/** A date and the shares to vest early on it, with the reason. */
export class CreateAccelerationDto extends CreateReleaseDto {
  @ApiProperty({ maxLength: 2000, example: 'Change of control' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class GrantTransactionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) grant_id!: string;
  @ApiProperty({
    example: 'EXERCISE',
    description: 'EXPIRATION: what was left when its window closed.',
  })
  kind!: string;
  @ApiProperty() date!: string;
  @ApiProperty({ nullable: true, type: Number }) quantity!: number | null;
  @ApiProperty({ nullable: true, type: String }) condition_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description:
      'The stock issuance of an exercise or release; none for a CSAR or an SSAR that delivered no share.',
  })
  resulting_security_id!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'An option exercise: what the holder paid, quantity × exercise price, exact. Null for RSUs and SARs (their holder pays nothing).',
  })
  total_amount!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'A SAR exercise: the fair market value per share it was settled at.',
  })
  fair_market_value!: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      'A SAR exercise: the whole shares delivered, floor(appreciation ÷ fair_market_value) for an SSAR (issued as resulting_security_id when more than 0), 0 for a CSAR.',
  })
  settled_shares!: number | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'A SAR exercise: the appreciation, quantity × (fair_market_value − exercise_price), paid in cash in the grant currency: all of it for a CSAR, the fraction of a share left over (appreciation − settled_shares × fair_market_value, maybe 0) for an SSAR. Exact.',
  })
  cash_amount!: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'An early exercise: shares not vested yet, subject to repurchase.',
  })
  unvested_quantity!: number | null;
  @ApiProperty() returned_to_pool!: number;
  @ApiProperty() recorded_at!: string;
}

export class GrantTransactionResultDto {
  @ApiProperty({ type: GrantTransactionDto }) transaction!: GrantTransactionDto;
  @ApiProperty({ type: GrantResponseDto }) grant!: GrantResponseDto;
}
