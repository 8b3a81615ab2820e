import { Check, Column, Entity, Index, ManyToOne, PrimaryColumn } from 'typeorm';
import { CompanyIdColumn, companyJoin, CompanyRelation } from '../core/tenancy/company-columns';
import { StockPlan } from './stock-plan.entity';

/** OCF StockPlanPoolAdjustment: the plan's pool from `date` on. Append-only. */
@Entity({ name: 'stock_plan_pool_adjustment' })
@Index('uq_stock_plan_pool_adjustment_ocf_id', ['companyId', 'ocfId'], {
  unique: true,
  where: 'ocf_id IS NOT NULL',
})
@Index('uq_stock_plan_pool_adjustment_date', ['companyId', 'stockPlanId', 'date'], { unique: true })
@Check(
  'ck_stock_plan_pool_adjustment_positive',
  `"shares_reserved" > 0 AND "previous_shares_reserved" > 0`,
)
export class StockPlanPoolAdjustment {
  @CompanyIdColumn('pk_stock_plan_pool_adjustment')
  companyId?: string;

  @CompanyRelation('fk_stock_plan_pool_adjustment_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_stock_plan_pool_adjustment' })
  id!: string;

  @Column({ type: 'uuid', name: 'stock_plan_id' })
  stockPlanId!: string;

  @ManyToOne(() => StockPlan, { onDelete: 'RESTRICT' })
  @companyJoin('stock_plan_id', 'fk_stock_plan_pool_adjustment_plan')
  stockPlan?: never;

  @Column({ type: 'date' })
  date!: string;

  @Column({ type: 'bigint', name: 'shares_reserved' })
  sharesReserved!: string;

  @Column({ type: 'bigint', name: 'previous_shares_reserved' })
  previousSharesReserved!: string;

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
