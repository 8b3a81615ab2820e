import { Check, Column, Entity, Index, ManyToOne, PrimaryColumn } from 'typeorm';
import { CompanyIdColumn, companyJoin, CompanyRelation } from '../core/tenancy/company-columns';
import { ShareClass } from './share-class.entity';

/**
 * OCF StockClassAuthorizedSharesAdjustment: from `date` on, the class may have
 * `authorizedShares` outstanding (before: `previousAuthorizedShares`). Append-only.
 */
@Entity({ name: 'authorized_shares_adjustment' })
@Index('uq_authorized_shares_adjustment_ocf_id', ['companyId', 'ocfId'], {
  unique: true,
  where: 'ocf_id IS NOT NULL',
})
@Index('uq_authorized_shares_adjustment_date', ['companyId', 'shareClassId', 'date'], {
  unique: true,
})
@Check(
  'ck_authorized_shares_adjustment_positive',
  `"authorized_shares" > 0 AND "previous_authorized_shares" > 0`,
)
export class AuthorizedSharesAdjustment {
  @CompanyIdColumn('pk_authorized_shares_adjustment')
  companyId?: string;

  @CompanyRelation('fk_authorized_shares_adjustment_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_authorized_shares_adjustment' })
  id!: string;

  @Column({ type: 'uuid', name: 'share_class_id' })
  shareClassId!: string;

  @ManyToOne(() => ShareClass, { onDelete: 'RESTRICT' })
  @companyJoin('share_class_id', 'fk_authorized_shares_adjustment_share_class')
  shareClass?: never;

  @Column({ type: 'date' })
  date!: string;

  @Column({ type: 'bigint', name: 'authorized_shares' })
  authorizedShares!: string;

  @Column({ type: 'bigint', name: 'previous_authorized_shares' })
  previousAuthorizedShares!: string;

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
