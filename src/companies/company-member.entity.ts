import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { CompanyIdColumn, CompanyRelation } from '../core/tenancy/company-columns';

export const MEMBER_ROLES = ['admin', 'auditor', 'shareholder'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * Who may act in a company, and as what. Named by Keycloak `sub` (a person), by `client_id` (a
 * service account), or invited by `email` until the first login with that verified email binds it
 * (`sub` is then set and the email kept). `expires_at` ends the membership (an audit engagement).
 */
@Entity({ name: 'company_member' })
@Index('uq_company_member_sub', ['companyId', 'sub'], { unique: true, where: 'sub IS NOT NULL' })
@Index('uq_company_member_client', ['companyId', 'clientId'], {
  unique: true,
  where: 'client_id IS NOT NULL',
})
@Index('uq_company_member_invitation', { synchronize: false })
@Index('idx_company_member_sub', ['sub'], { where: 'sub IS NOT NULL' })
@Index('idx_company_member_client', ['clientId'], { where: 'client_id IS NOT NULL' })
@Index('idx_company_member_invitation', { synchronize: false })
@Check('ck_company_member_role', `"role" IN ('admin', 'auditor', 'shareholder')`)
@Check(
  'ck_company_member_principal',
  'num_nonnulls(sub, client_id) <= 1 AND num_nonnulls(sub, client_id, email) >= 1',
)
@Check('ck_company_member_email_person', 'email IS NULL OR client_id IS NULL')
export class CompanyMember {
  @CompanyIdColumn('pk_company_member')
  /** Set by the database: the transaction's company. */
  companyId?: string;

  @CompanyRelation('fk_company_member_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_company_member' })
  id!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: MemberRole;

  @Column({ type: 'varchar', length: 255, nullable: true })
  sub!: string | null;

  @Column({ type: 'varchar', length: 255, name: 'client_id', nullable: true })
  clientId!: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @Column({ type: 'timestamptz', name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;

  @Column({ type: 'varchar', length: 255, name: 'created_by' })
  createdBy!: string;
}
