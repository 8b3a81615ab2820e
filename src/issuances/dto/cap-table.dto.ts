import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { IsCalendarDate } from '../../core/http/validators';

export class CapTableQueryDto {
  @ApiPropertyOptional({
    example: '2024-12-31',
    description: 'The table as it stood at the end of that day; defaults to today (UTC).',
  })
  @IsOptional()
  @IsCalendarDate()
  as_of?: string;

  @ApiPropertyOptional({
    example: '2025-01-15T17:00:00Z',
    description:
      'Computed only from what the ledger had recorded by this time (ISO 8601 with a time zone); defaults to now. Answers "what did the books say as of as_of, as we knew it then?", also after later backdated transactions.',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: '$property must be a date and time with a time zone, e.g. 2025-01-15T17:00:00Z',
  })
  known_at?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format: 'json' | 'csv' = 'json';

  @ApiPropertyOptional({
    enum: ['outstanding', 'fully_diluted'],
    default: 'outstanding',
    description:
      'fully_diluted adds every outstanding grant (vested or not) to its holder, and the plans’ available pools as a row of their own.',
  })
  @IsOptional()
  @IsIn(['outstanding', 'fully_diluted'])
  basis: 'outstanding' | 'fully_diluted' = 'outstanding';
}

export class HoldingDto {
  @ApiProperty({ format: 'uuid' }) share_class_id!: string;
  @ApiProperty() share_class_name!: string;
  @ApiProperty() shares!: number;
}

export class CapTableRowDto {
  @ApiProperty({ format: 'uuid' }) shareholder_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [HoldingDto] }) holdings!: HoldingDto[];
  @ApiProperty() total_shares!: number;
  @ApiProperty({ description: 'Shares × votes per share, over all classes.' }) votes!: number;
  @ApiProperty({ example: '33.3334', description: 'Percent of issued shares, 4 decimals.' })
  ownership_pct!: string;
  @ApiProperty({ example: '40.0000', description: 'Percent of voting power, 4 decimals.' })
  voting_pct!: string;
  @ApiPropertyOptional({ description: 'Fully diluted basis: outstanding options and RSUs.' })
  options_and_rsus?: number;
  @ApiPropertyOptional({ description: 'Fully diluted basis: total_shares + options_and_rsus.' })
  fully_diluted_shares?: number;
  @ApiPropertyOptional({
    example: '12.5000',
    description: 'Fully diluted basis: percent of totals.fully_diluted_shares.',
  })
  fully_diluted_pct?: string;
}

export class CapTablePlanPoolDto {
  @ApiProperty({ format: 'uuid' }) stock_plan_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() available_shares!: number;
}

export class CapTablePoolDto {
  @ApiProperty({ description: "Every plan's pool not granted, as of the date." })
  available_shares!: number;
  @ApiProperty({ example: '12.5000' }) fully_diluted_pct!: string;
  @ApiProperty({ type: [CapTablePlanPoolDto] }) plans!: CapTablePlanPoolDto[];
}

export class CapTableClassDto {
  @ApiProperty({ format: 'uuid' }) share_class_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() type!: string;
  @ApiProperty() authorized_shares!: number;
  @ApiProperty({ description: 'Issued as of the date.' }) issued_shares!: number;
  @ApiProperty() unissued_shares!: number;
  @ApiProperty() votes_per_share!: number;
  @ApiProperty({ example: '60.0000', description: 'Percent of all issued shares.' })
  ownership_pct!: string;
}

export class CapTableTotalsDto {
  @ApiProperty() issued_shares!: number;
  @ApiProperty() votes!: number;
  @ApiProperty() holders!: number;
  @ApiPropertyOptional({ description: 'Fully diluted basis: every outstanding grant.' })
  options_and_rsus?: number;
  @ApiPropertyOptional({ description: 'Fully diluted basis: shares + grants + available pools.' })
  fully_diluted_shares?: number;
}

export class CapTableDto {
  @ApiProperty({ example: '2024-12-31' }) as_of!: string;
  @ApiProperty({
    example: '2025-01-15T17:00:00.000Z',
    description: 'What the ledger had recorded by then is what the table is computed from.',
  })
  known_at!: string;
  @ApiProperty({
    example: 'largest-remainder, 4 decimals',
    description:
      'Percentages are computed exactly, then rounded down to 4 decimals; the units still missing to reach 100 go to the largest remainders, so the displayed figures add up to exactly 100.0000.',
  })
  rounding!: string;
  @ApiPropertyOptional({
    enum: ['fully_diluted'],
    description: 'Present on the fully diluted basis.',
  })
  basis?: 'fully_diluted';
  @ApiProperty({ type: [CapTableRowDto] }) holders!: CapTableRowDto[];
  @ApiPropertyOptional({ type: CapTablePoolDto, description: 'Fully diluted basis only.' })
  pool?: CapTablePoolDto;
  @ApiPropertyOptional({
    type: [CapTableClassDto],
    description: 'Absent for shareholders, who see only their own row.',
  })
  classes?: CapTableClassDto[];
  @ApiPropertyOptional({ type: CapTableTotalsDto, description: 'Absent for shareholders.' })
  totals?: CapTableTotalsDto;
}
