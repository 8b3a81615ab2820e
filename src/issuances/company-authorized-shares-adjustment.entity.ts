import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CompanyIdColumn, CompanyRelation } from '../core/tenancy/company-columns';

/**
 * OCF IssuerAuthorizedSharesAdjustment: from `date` on, the company may have `authorizedShares`
 * outstanding over all its classes (before: `previousAuthorizedShares`, null for no limit).
 * Append-only.
 */
@Entity({ name: 'company_authorized_shares_adjustment' })
@Index('uq_company_authorized_shares_adjustment_ocf_id', ['companyId', 'ocfId'], {
  unique: true,
  where: 'ocf_id IS NOT NULL',
})
@Index('uq_company_authorized_shares_adjustment_date', ['companyId', 'date'], { unique: true })
@Check(
  'ck_company_authorized_shares_adjustment_positive',
  `"authorized_shares" > 0 AND ("previous_authorized_shares" IS NULL OR "previous_authorized_shares" > 0)`,
)
export class CompanyAuthorizedSharesAdjustment {
  @CompanyIdColumn('pk_company_authorized_shares_adjustment')
  companyId?: string;

  @CompanyRelation('fk_company_authorized_shares_adjustment_company')
  company?: never;

  @PrimaryColumn({
    type: 'uuid',
    primaryKeyConstraintName: 'pk_company_authorized_shares_adjustment',
  })
  id!: string;

  @Column({ type: 'date' })
  date!: string;

  @Column({ type: 'bigint', name: 'authorized_shares' })
  authorizedShares!: string;

  @Column({ type: 'bigint', name: 'previous_authorized_shares', nullable: true })
  previousAuthorizedShares!: string | null;

  @Column({ type: 'date', name: 'board_approval_date', nullable: true })
  boardApprovalDate!: string | null;

  @Column({ type: 'date', name: 'stockholder_approval_date', nullable: true })
  stockholderApprovalDate!: string | null;

  @Column({ type: 'timestamptz', name: 'recorded_at', default: () => 'now()' })
  recordedAt!: Date;

  @Column({ type: 'varchar', length: 255, name: 'created_by_sub' })
  createdBySub!: string;

  @Column({ type: 'varchar', length: 255, name: 'created_by' })
  createdBy!: string;

  @Column({ type: 'varchar', length: 128, name: 'request_id', nullable: true })
  requestId!: string | null;

  /** The OCF id this row came in with (an import); none: exported under its own id. Set once. */
  @Column({ type: 'varchar', length: 200, name: 'ocf_id', nullable: true })
  ocfId?: string | null;
}
