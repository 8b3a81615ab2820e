import { ApiProperty } from '@nestjs/swagger';
import { MEMBER_ROLES, MemberRole } from '../company-member.entity';

export class CompanyMembershipDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Null until the company is set up.' })
  legal_name!: string | null;
  @ApiProperty({ enum: MEMBER_ROLES, isArray: true, description: 'The caller’s roles there.' })
  roles!: MemberRole[];
}

export class CreatedCompanyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
}
