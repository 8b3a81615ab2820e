import { ApiProperty } from '@nestjs/swagger';

export class MyClassHoldingDto {
  @ApiProperty({ format: 'uuid' }) share_class_id!: string;
  @ApiProperty() share_class_name!: string;
  @ApiProperty() shares!: number;
}

export class MyCompanyHoldingsDto {
  @ApiProperty({ format: 'uuid' }) company_id!: string;
  @ApiProperty({ nullable: true, type: String }) company_name!: string | null;
  @ApiProperty({ format: 'uuid', description: 'The caller’s holder record in that company.' })
  shareholder_id!: string;
  @ApiProperty({ type: [MyClassHoldingDto] }) holdings!: MyClassHoldingDto[];
  @ApiProperty() total_shares!: number;
  @ApiProperty({ example: '12.5000', description: 'Of the company’s issued shares.' })
  ownership_pct!: string;
  @ApiProperty({
    example: '/api/companies/0b0e7a34-8f1c-4d3a-9b51-6f0c2a1d9e77/certificates?shareholder_id=…',
  })
  certificates_url!: string;
}
