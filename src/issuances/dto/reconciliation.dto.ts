import { ApiProperty } from '@nestjs/swagger';

export class ReconciliationMismatchDto {
  @ApiProperty({
    example: 'HOLDER_POSITION',
    description:
      'SECURITY_STATUS, REVERSAL_MARK, TRANSACTION_QUANTITIES, HOLDER_POSITION, CLASS_TOTAL, AUTHORIZED_EXCEEDED, COMPANY_AUTHORIZED_EXCEEDED, CERTIFICATE_ACTIVE_FOR_SPENT or CERTIFICATE_MISSING.',
  })
  kind!: string;
  @ApiProperty({
    example: 'Holder … has 500 shares of Common by its securities, 700 by the ledger.',
  })
  detail!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) shareholder_id!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) share_class_id!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) security_id!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) transaction_id!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'What the ledger alone gives.' })
  expected!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'What is stored.' })
  actual!: string | null;
}

export class ReconciliationCountsDto {
  @ApiProperty() securities!: number;
  @ApiProperty() transactions!: number;
  @ApiProperty() positions!: number;
  @ApiProperty() classes!: number;
  @ApiProperty({ description: 'Outstanding securities whose certificate is still to be rendered.' })
  pending_certificates!: number;
}

export class ReconciliationDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: ReconciliationCountsDto }) checked!: ReconciliationCountsDto;
  @ApiProperty({ type: [ReconciliationMismatchDto], description: 'At most 1,000.' })
  mismatches!: ReconciliationMismatchDto[];
  @ApiProperty({ description: 'Read in one snapshot as of this time.' }) as_of!: string;
  @ApiProperty({ example: 120 }) took_ms!: number;
}
