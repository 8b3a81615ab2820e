import { Check, Column, Entity, Index, ManyToOne, PrimaryColumn } from 'typeorm';
import { CompanyIdColumn, companyJoin, CompanyRelation } from '../core/tenancy/company-columns';

export const CANCELLATION_BEHAVIORS = [
  'RETIRE',
  'RETURN_TO_POOL',
  'HOLD_AS_CAPITAL_STOCK',
  'DEFINED_PER_PLAN_SECURITY',
] as const;
export type CancellationBehavior = (typeof CANCELLATION_BEHAVIORS)[number];

/**
 * An equity plan (OCF StockPlan): a pool of shares of one class to grant from. `sharesReserved`
 * is the pool today; `committedShares` what grants took from it and did not give back.
 */
@Entity({ name: 'stock_plan' })
@Index('uq_stock_plan_ocf_id', ['companyId', 'ocfId'], {
  unique: true,
  where: 'ocf_id IS NOT NULL',
})
@Index('uq_stock_plan_name', ['companyId', 'name'], { unique: true })
@Check('ck_stock_plan_reserved', `"initial_shares_reserved" > 0 AND "shares_reserved" > 0`)
@Check(
  'ck_stock_plan_committed_within_pool',
  `"committed_shares" >= 0 AND "committed_shares" <= "shares_reserved"`,
)
@Check(
  'ck_stock_plan_cancellation_behavior',
  `"default_cancellation_behavior" IN ('RETIRE', 'RETURN_TO_POOL', 'HOLD_AS_CAPITAL_STOCK', 'DEFINED_PER_PLAN_SECURITY')`,
)
export class StockPlan {
  @CompanyIdColumn('pk_stock_plan')
  companyId?: string;

  @CompanyRelation('fk_stock_plan_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_stock_plan' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'uuid', name: 'share_class_id' })
  shareClassId!: string;

  @ManyToOne('ShareClass', { onDelete: 'RESTRICT' })
  @companyJoin('share_class_id', 'fk_stock_plan_share_class')
  shareClass?: never;

  @Column({ type: 'bigint', name: 'initial_shares_reserved' })
  initialSharesReserved!: string;

  @Column({ type: 'bigint', name: 'shares_reserved' })
  sharesReserved!: string;

  @Column({ type: 'bigint', name: 'committed_shares', default: 0 })
  committedShares!: string;

  @Column({ type: 'date', name: 'board_approval_date', nullable: true })
  boardApprovalDate!: string | null;

  @Column({ type: 'date', name: 'stockholder_approval_date', nullable: true })
  stockholderApprovalDate!: string | null;

  @Column({ type: 'varchar', length: 30, name: 'default_cancellation_behavior' })
  defaultCancellationBehavior!: CancellationBehavior;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ type: 'varchar', length: 255, name: 'created_by_sub' })
  createdBySub!: string;

  @Column({ type: 'varchar', length: 255, name: 'created_by' })
  createdBy!: string;

  /** The OCF id this row came in with (an import); none: exported under its own id. Set once. */
  @Column({ type: 'varchar', length: 200, name: 'ocf_id', nullable: true })
  ocfId?: string | null;
}
