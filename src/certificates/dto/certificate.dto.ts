import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID } from 'class-validator';
import { MaxChars } from '../../core/http/validators';
import { PageQueryDto } from '../../core/http/pagination';
import { CertificateStatus } from '../certificate.entity';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CertificateResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) issuance_id!: string;
  @ApiProperty({ format: 'uuid' }) shareholder_id!: string;
  @ApiProperty({ format: 'uuid' }) share_class_id!: string;
  @ApiProperty({
    example: 'CS-000001',
    description:
      'Class prefix and gap-free per-class sequence. A reissue keeps the number and raises `version`.',
  })
  certificate_number!: string;
  @ApiProperty({ example: 1, description: '1 for the first issue, +1 per reissue.' })
  version!: number;
  @ApiProperty({ example: 'CS-000001-v1', description: 'Number with version suffix.' })
  versioned_number!: string;
  @ApiProperty({ enum: CertificateStatus, example: CertificateStatus.Active })
  status!: CertificateStatus;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) supersedes_id!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Holder changed their legal name' })
  reason!: string | null;
  @ApiProperty({ example: 'Series Seed Preferred' }) share_class_name!: string;
  @ApiProperty({ example: 1000 }) number_of_shares!: number;
  @ApiProperty({ example: '2024-06-30' }) issue_date!: string;
  @ApiProperty({ example: 48213 }) size_bytes!: number;
  @ApiProperty({ example: '9f2c…', description: 'SHA-256 of the PDF, hex; also its ETag.' })
  sha256!: string;
  @ApiProperty({ example: 'ABCD0123EFGHJKMN' }) verification_code!: string;
  @ApiProperty({ example: 'https://cap.example.com/api/certificates/verify/ABCD0123EFGHJKMN' })
  verification_url!: string;
  @ApiProperty({ description: 'True when the PDF carries the SPECIMEN watermark.' })
  specimen!: boolean;
  @ApiProperty() created_at!: string;
  @ApiProperty({ example: 'admin' }) created_by!: string;
  @ApiProperty({ nullable: true, type: String }) superseded_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) voided_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) voided_by!: string | null;
  @ApiProperty({ nullable: true, type: String }) void_reason!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Set when a ledger transaction spent the security (status cancelled).',
  })
  cancelled_at!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'TRANSFER 3f6c… on 2025-03-31' })
  cancellation_reason!: string | null;
}

export class CertificateContentDto extends CertificateResponseDto {
  @ApiProperty({ description: 'The PDF, base64-encoded.' }) content_base64!: string;
  @ApiProperty({ example: 'application/pdf' }) content_type!: string;
  @ApiProperty({ example: 'certificate-CS-000001-v1.pdf' }) filename!: string;
}

export class CertificateVerificationDto {
  @ApiProperty({ example: true }) exists!: boolean;
  @ApiProperty({ enum: CertificateStatus, example: CertificateStatus.Active })
  status!: CertificateStatus;
  @ApiProperty({ example: 'CS-000001' }) certificate_number!: string;
  @ApiProperty({ example: 'Series Seed Preferred' }) share_class!: string;
  @ApiProperty({ example: '2024-06-30' }) issue_date!: string;
}

export class EncodingQueryDto {
  @ApiPropertyOptional({
    enum: ['base64'],
    description: 'base64: answer JSON with the PDF in `content_base64` plus its metadata.',
  })
  @IsOptional()
  @IsIn(['base64'])
  encoding?: 'base64';
}

export class CertificateQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  issuance_id?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  shareholder_id?: string;

  @ApiPropertyOptional({ enum: CertificateStatus })
  @IsOptional()
  @IsEnum(CertificateStatus)
  status?: CertificateStatus;
}

export class CertificateReasonDto {
  @ApiProperty({ example: 'Holder changed their legal name', maxLength: 1000 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxChars(1000)
  reason!: string;
}
