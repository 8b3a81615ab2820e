import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

const flag = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class OcfImportQueryDto {
  @ApiPropertyOptional({
    default: false,
    description: 'Check everything, write nothing (the answer is what would be imported).',
  })
  @IsOptional()
  @Transform(flag)
  @IsBoolean()
  dry_run: boolean = false;

  @ApiPropertyOptional({
    default: false,
    description:
      'Import the rest of a package that holds object types this service does not model (convertibles, warrants, financings, documents, …), listing what was skipped under warnings.',
  })
  @IsOptional()
  @Transform(flag)
  @IsBoolean()
  skip_unsupported: boolean = false;
}

export class OcfFindingDto {
  @ApiProperty({ example: 'Transactions.ocf.json' }) file!: string;
  @ApiProperty({ example: '/items/12/quantity', description: 'A JSON pointer into the file.' })
  pointer!: string;
  @ApiPropertyOptional({ example: 'tx-transfer-1', description: "The object's OCF id." })
  id?: string;
  @ApiProperty() message!: string;
}

export class OcfImportResultDto {
  @ApiProperty({
    format: 'uuid',
    description: 'The company imported into (a new one, or the one named).',
  })
  company_id!: string;
  @ApiProperty() dry_run!: boolean;
  @ApiProperty({
    description: 'How many objects of each object_type were imported.',
    example: { STAKEHOLDER: 3, TX_STOCK_ISSUANCE: 12 },
    type: 'object',
    additionalProperties: { type: 'integer' },
  })
  imported!: Record<string, number>;
  @ApiProperty({
    type: [OcfFindingDto],
    description: 'What was imported with a change, or skipped.',
  })
  warnings!: OcfFindingDto[];
}
