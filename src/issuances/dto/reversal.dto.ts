import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IssuanceResponseDto } from './issuance.dto';
import { LedgerTransactionDto } from './ledger.dto';

export class CreateReversalDto {
  @ApiProperty({ maxLength: 2000, example: 'Recorded for the wrong holder' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class ReversalResultDto {
  @ApiProperty({
    type: LedgerTransactionDto,
    description: 'The REVERSAL: effective on the reversed line’s date, recorded now.',
  })
  transaction!: LedgerTransactionDto;
  @ApiProperty({
    type: LedgerTransactionDto,
    description:
      'The line undone, as the ledger keeps showing it (reversed_by_transaction_id set).',
  })
  reversed!: LedgerTransactionDto;
  @ApiProperty({
    type: IssuanceResponseDto,
    nullable: true,
    description:
      'The security the reversed transaction had spent, outstanding again; null for a reversed issuance.',
  })
  restored!: IssuanceResponseDto | null;
  @ApiProperty({
    type: [IssuanceResponseDto],
    description: 'The securities the reversed line had created (or the issued one), now REVERSED.',
  })
  withdrawn!: IssuanceResponseDto[];
}
