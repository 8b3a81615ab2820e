import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  ValidateIf,
} from 'class-validator';
import { MaxChars } from '../../core/http/validators';
import { MEMBER_ROLES, MemberRole } from '../company-member.entity';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** Keycloak subjects and client ids: printable, no spaces. */
const IDENTIFIER = /^[\x21-\x7e]{1,255}$/;

export class CreateMemberDto {
  @ApiProperty({ enum: MEMBER_ROLES, example: 'auditor' })
  @IsIn(MEMBER_ROLES)
  role!: MemberRole;

  @ApiPropertyOptional({
    description: 'The Keycloak user (`sub` of their tokens). Exactly one of sub, client_id, email.',
    example: '2f0b3c1e-5d7a-4c3e-9a55-7e1f0c2d4b6a',
  })
  @IsOptional()
  @IsString()
  @Matches(IDENTIFIER, { message: '$property must be a Keycloak subject' })
  sub?: string;

  @ApiPropertyOptional({
    description: 'A service account, by its client id (client-credentials tokens).',
    example: 'reporting-tool',
  })
  @IsOptional()
  @IsString()
  @Matches(IDENTIFIER, { message: '$property must be a client id' })
  client_id?: string;

  @ApiPropertyOptional({
    description:
      'An invitation: bound to the first user who logs in with this email, verified by Keycloak.',
    example: 'auditor@audit-firm.example',
  })
  @IsOptional()
  @Transform(trim)
  @IsEmail()
  @MaxChars(320)
  email?: string;

  @ApiPropertyOptional({
    description: 'When the membership ends (an audit engagement); absent: it does not end.',
    example: '2027-03-31T23:59:59Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string;
}

export class UpdateMemberDto {
  @ApiPropertyOptional({ enum: MEMBER_ROLES })
  @IsOptional()
  @IsIn(MEMBER_ROLES)
  role?: MemberRole;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'A new end (null: the membership no longer ends).',
    example: '2027-06-30T23:59:59Z',
  })
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string | null;
}

export class MemberResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) company_id!: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role!: MemberRole;
  @ApiProperty({ nullable: true, type: String }) sub!: string | null;
  @ApiProperty({ nullable: true, type: String }) client_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) expires_at!: string | null;
  @ApiProperty({
    enum: ['active', 'invited', 'ended'],
    description: 'invited: an email no user has logged in with yet; ended: past expires_at.',
  })
  status!: 'active' | 'invited' | 'ended';
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}
