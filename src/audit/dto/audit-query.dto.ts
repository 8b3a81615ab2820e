import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MAX_PAGE_SIZE } from '../../core/http/pagination';

const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0)
    : value;

export class AuditFilterDto {
  @ApiPropertyOptional({ description: 'Actor username, client id (service accounts) or subject.' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  actor?: string;

  @ApiPropertyOptional({
    description:
      'One or more actions, comma-separated or repeated, e.g. issuance.created,auth.login_failed',
    type: [String],
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[a-z_]+\.[a-z_]+$/, {
    each: true,
    message: 'each action must look like entity.verb, e.g. issuance.created',
  })
  action?: string[];

  @ApiPropertyOptional({ example: 'issuance' })
  @IsOptional()
  @Matches(/^[a-z_]{1,50}$/)
  entity_type?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  entity_id?: string;

  @ApiPropertyOptional({
    example: '2026-01-01T00:00:00Z',
    description: 'occurred_at on or after (ISO 8601).',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    example: '2026-12-31T23:59:59Z',
    description: 'occurred_at before (ISO 8601, exclusive).',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: ['success', 'failure', 'denied'] })
  @IsOptional()
  @IsIn(['success', 'failure', 'denied'])
  outcome?: 'success' | 'failure' | 'denied';

  @ApiPropertyOptional({
    description: 'Text anywhere in the details (case-insensitive), at least 3 characters.',
  })
  @IsOptional()
  @IsString()
  @Matches(/^.{3,200}$/s, { message: 'q must be 3 to 200 characters' })
  q?: string;

  @ApiPropertyOptional({
    enum: ['asc', 'desc'],
    default: 'desc',
    description: 'By occurred_at, then sequence.',
  })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'desc';
}

export class AuditQueryDto extends AuditFilterDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor is not a cursor this API issued' })
  cursor?: string;
}

export class AuditExportQueryDto extends AuditFilterDto {
  @ApiPropertyOptional({ enum: ['csv', 'json'], default: 'json' })
  @IsOptional()
  @IsIn(['csv', 'json'])
  format: 'csv' | 'json' = 'json';
}

export class AuditActorDto {
  @ApiProperty() sub!: string;
  @ApiProperty() name!: string;
  @ApiProperty() client_id!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
}

export class AuditEntryDto {
  @ApiProperty() seq!: number;
  @ApiProperty() occurred_at!: string;
  @ApiProperty() recorded_at!: string;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ example: 'issuance.created' }) action!: string;
  @ApiProperty() entity_type!: string;
  @ApiProperty({ nullable: true, type: String }) entity_id!: string | null;
  @ApiProperty({ nullable: true, type: Object }) before!: object | null;
  @ApiProperty({ nullable: true, type: Object }) after!: object | null;
  @ApiProperty({ nullable: true, type: String }) request_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) ip!: string | null;
  @ApiProperty({ nullable: true, type: String }) user_agent!: string | null;
  @ApiProperty({ enum: ['success', 'failure', 'denied'] }) outcome!: string;
  @ApiProperty({ nullable: true, type: String }) source_event_id!: string | null;
  @ApiProperty() prev_hash!: string;
  @ApiProperty() hash!: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as cursor for the next page; null on the last page.',
  })
  next_cursor!: string | null;
}

/** The stable codes of a verification that fails. */
export const VERIFICATION_CODES = [
  'SEQUENCE_MISSING',
  'PREV_HASH_MISMATCH',
  'CONTENT_MISMATCH',
  'SEARCH_TEXT_MISMATCH',
  'TRUNCATED',
  'CHECKPOINT_NOT_IN_CHAIN',
  'CHECKPOINT_SIGNATURE_INVALID',
  'CHECKPOINT_KEY_UNKNOWN',
  'CHECKPOINT_NOT_FOUND',
] as const;
export type VerificationCode = (typeof VERIFICATION_CODES)[number];

export class CheckpointCheckDto {
  @ApiProperty() seq!: number;
  @ApiProperty() hash!: string;
  @ApiProperty() recorded_at!: string;
  @ApiProperty() key_id!: string;
  @ApiProperty({
    description:
      'Signed by a key this service knows (GET /api/audit/checkpoints/public-keys), over exactly these fields.',
  })
  signature_valid!: boolean;
  @ApiProperty({
    description: 'The entry at seq still has this hash, and every entry up to it verifies.',
  })
  in_chain!: boolean;
}

export class AuditVerificationDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ description: 'Entries checked.' }) checked!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Sequence number of the first entry that does not verify.',
  })
  first_broken_seq!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'What is wrong, in words.' })
  reason!: string | null;
  @ApiProperty({
    nullable: true,
    enum: VERIFICATION_CODES,
    description:
      'What is wrong, as a stable code: an entry that does not verify (SEQUENCE_MISSING, PREV_HASH_MISMATCH, CONTENT_MISMATCH, SEARCH_TEXT_MISMATCH); the chain ends below the latest stored checkpoint (TRUNCATED); a checkpoint whose entry is gone or has another hash (CHECKPOINT_NOT_IN_CHAIN), whose signature does not verify (CHECKPOINT_SIGNATURE_INVALID) or whose key is not known (CHECKPOINT_KEY_UNKNOWN); no stored checkpoint has the sequence number asked for (CHECKPOINT_NOT_FOUND).',
  })
  reason_code!: VerificationCode | null;
  @ApiProperty({ nullable: true, type: Number }) head_seq!: number | null;
  @ApiProperty({
    description:
      'Hash of the last entry: keep it outside the system to detect a rewritten chain later.',
  })
  head_hash!: string;
  @ApiProperty({
    type: CheckpointCheckDto,
    nullable: true,
    description: 'The checkpoint given as ?checkpoint=, as checked; null without one.',
  })
  checkpoint!: CheckpointCheckDto | null;
  @ApiProperty({
    type: CheckpointCheckDto,
    nullable: true,
    description: 'The latest stored checkpoint, as checked; null while there is none.',
  })
  latest_checkpoint!: CheckpointCheckDto | null;
}

export class AuditVerifyQueryDto {
  @ApiPropertyOptional({
    description:
      'A checkpoint to prove the chain still contains: its sequence number (a stored checkpoint), or the base64 of a checkpoint JSON saved earlier from GET /api/audit/checkpoints.',
  })
  @IsOptional()
  @Matches(/^(?:\d{1,20}|[A-Za-z0-9+/_ =-]{16,8192})$/, {
    message:
      'checkpoint must be a sequence number or the base64 of a saved checkpoint (JSON), at most 8192 characters',
  })
  checkpoint?: string;
}
