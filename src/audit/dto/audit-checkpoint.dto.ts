import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { MAX_PAGE_SIZE } from '../../core/http/pagination';

const HASH_EXAMPLE = '9f2c4e0b7d1a3c5e8f6b2d4a1c3e5f7a9b0d2c4e6f8a1b3c5d7e9f0a2b4c6d8e';
const KEY_ID_EXAMPLE = '3fa1c9e07b2d4e58';
const PAYLOAD_EXAMPLE = `{"algorithm":"Ed25519","company_id":"0b0e7a34-8f1c-4d3a-9b51-6f0c2a1d9e77","hash":"${HASH_EXAMPLE}","key_id":"${KEY_ID_EXAMPLE}","recorded_at":"2026-12-01T10:25:00.000Z","seq":1042,"type":"corporate-os.audit-checkpoint.v2"}`;

export class AuditCheckpointDto {
  @ApiProperty({ example: 1042, description: 'Sequence number of the entry at the head.' })
  seq!: number;
  @ApiProperty({ example: HASH_EXAMPLE, description: 'Hash of that entry.' }) hash!: string;
  @ApiProperty({ example: '2026-12-01T10:25:00.000Z' }) recorded_at!: string;
  @ApiProperty({
    example: KEY_ID_EXAMPLE,
    description: 'First 16 hex digits of the SHA-256 of the public key (SPKI DER).',
  })
  key_id!: string;
  @ApiProperty({ enum: ['Ed25519'] }) algorithm!: 'Ed25519';
  @ApiProperty({ description: 'Base64 Ed25519 signature of payload (its UTF-8 bytes).' })
  signature!: string;
  @ApiProperty({
    example: PAYLOAD_EXAMPLE,
    description:
      'The exact signed text: canonical JSON (keys sorted, no white space) of seq, hash, recorded_at, key_id, algorithm, type and (type corporate-os.audit-checkpoint.v2) company_id.',
  })
  payload!: string;
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description:
      'The company whose chain it checkpoints, as the payload names it; null for a checkpoint made before the deployment kept several companies (type v1). A checkpoint of another company does not verify here.',
  })
  company_id?: string | null;
}

export class AuditCheckpointPageDto {
  @ApiProperty({ type: [AuditCheckpointDto] }) items!: AuditCheckpointDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as cursor for the next page; null on the last page.',
  })
  next_cursor!: string | null;
}

export class AuditCheckpointListQueryDto {
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc', description: 'By sequence.' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'desc';
}

export class AuditCheckpointQueryDto extends AuditCheckpointListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page.' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,15}$/, { message: 'cursor is not a cursor this API issued' })
  cursor?: string;
}

export class AuditCheckpointExportQueryDto extends AuditCheckpointListQueryDto {
  @ApiPropertyOptional({
    enum: ['json', 'ndjson'],
    default: 'json',
    description: 'A JSON array, or one checkpoint per line (NDJSON).',
  })
  @IsOptional()
  @IsIn(['json', 'ndjson'])
  format: 'json' | 'ndjson' = 'json';
}

export class AuditCheckpointPublicKeyDto {
  @ApiProperty({ example: KEY_ID_EXAMPLE }) key_id!: string;
  @ApiProperty({ enum: ['Ed25519'] }) algorithm!: 'Ed25519';
  @ApiProperty({
    example: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA…\n-----END PUBLIC KEY-----\n',
    description: 'SPKI PEM.',
  })
  public_key!: string;
  @ApiProperty({
    description:
      'Whether new checkpoints are signed with it; the others only verify older checkpoints.',
  })
  signing!: boolean;
}

export class AuditCheckpointCreatedDto {
  @ApiProperty({ description: 'False when the head already had a checkpoint.' })
  created!: boolean;
  @ApiProperty({
    type: AuditCheckpointDto,
    nullable: true,
    description: 'The checkpoint of the head (null while the chain is empty).',
  })
  checkpoint!: AuditCheckpointDto | null;
}
