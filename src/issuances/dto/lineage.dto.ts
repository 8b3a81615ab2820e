import { ApiProperty } from '@nestjs/swagger';
import { IssuanceResponseDto } from './issuance.dto';
import { LedgerTransactionDto } from './ledger.dto';

/** GET /api/issuances/{id}/lineage: the chain a security belongs to. */
export class LineageDto {
  @ApiProperty({ format: 'uuid' }) security_id!: string;
  @ApiProperty({
    type: [IssuanceResponseDto],
    description: 'Every security of the chain: the original issuance first, by date.',
  })
  securities!: IssuanceResponseDto[];
  @ApiProperty({ type: [LedgerTransactionDto], description: 'Every transaction of the chain.' })
  transactions!: LedgerTransactionDto[];
  @ApiProperty({
    type: [String],
    description: 'The outstanding securities the chain leads to today.',
  })
  outstanding_security_ids!: string[];
}
