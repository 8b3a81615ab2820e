import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsCalendarDate } from '../../core/http/validators';

export class OcfExportQueryDto {
  @ApiPropertyOptional({
    example: '2025-12-31',
    description:
      'The package holds every transaction effective by the end of this day; defaults to today (UTC).',
  })
  @IsOptional()
  @IsCalendarDate()
  as_of?: string;

  @ApiPropertyOptional({
    enum: ['zip', 'json'],
    default: 'zip',
    description: 'zip: a .ocf.zip; json: the same package as one JSON document.',
  })
  @IsOptional()
  @IsIn(['zip', 'json'])
  format: 'zip' | 'json' = 'zip';
}
