import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class ImportQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      'Check and write every row as a real import would, then roll everything back: 200 with what would be imported, nothing stored (no audit entry, no certificate, no event).',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  dry_run?: 'true' | 'false';
}

export class ImportedRowDto {
  @ApiProperty({ example: 2, description: 'The row of the file (the header row is row 1).' })
  row!: number;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The id of what the row created; null in a dry run (nothing was stored).',
  })
  id!: string | null;
}

export class ImportResultDto {
  @ApiProperty({ example: false }) dry_run!: boolean;

  @ApiProperty({
    example: 2,
    description: 'Rows imported (in a dry run: rows that would be imported).',
  })
  imported!: number;

  @ApiProperty({ type: [ImportedRowDto], description: 'Every imported row, in file order.' })
  rows!: ImportedRowDto[];
}
