import { Check, Column, Entity, Index, ManyToOne, PrimaryColumn } from 'typeorm';
import { CompanyIdColumn, companyJoin, CompanyRelation } from '../core/tenancy/company-columns';
import { StockPlan } from './stock-plan.entity';
import { VestingTerms } from './vesting-terms.entity';
import type { VestingTranche } from './vesting/vesting-tranches';

export const COMPENSATION_TYPES = ['OPTION_ISO', 'OPTION_NSO', 'RSU', 'CSAR', 'SSAR'] as const;
export type CompensationType = (typeof COMPENSATION_TYPES)[number];

/**
 * A grant of equity compensation (OCF EquityCompensationIssuance) to a holder, from a plan. What
 * of it was exercised, released or cancelled (expired included) only grows;
 * `equity_grant_transaction` is the history.
 */
@Entity({ name: 'equity_grant' })
@Index('uq_equity_grant_ocf_id', ['companyId', 'ocfId'], {
  unique: true,
  where: 'ocf_id IS NOT NULL',
})
@Index('uq_equity_grant_ocf_security_id', ['companyId', 'ocfSecurityId'], {
  unique: true,
  where: 'ocf_security_id IS NOT NULL',
})
@Index('idx_equity_grant_shareholder', ['companyId', 'shareholderId'])
@Index('idx_equity_grant_plan', ['companyId', 'stockPlanId'])
@Index('idx_equity_grant_share_class', ['companyId', 'shareClassId'])
@Check(
  'ck_equity_grant_compensation_type',
  `"compensation_type" IN ('OPTION_ISO', 'OPTION_NSO', 'RSU', 'CSAR', 'SSAR')`,
)
@Check('ck_equity_grant_quantity_positive', `"quantity" > 0`)
@Check(
  'ck_equity_grant_spent_within_quantity',
  `"exercised_quantity" >= 0 AND "released_quantity" >= 0 AND "cancelled_quantity" >= 0 AND "exercised_quantity" + "released_quantity" + "cancelled_quantity" <= "quantity"`,
)
@Check(
  'ck_equity_grant_price',
  `("compensation_type" = 'RSU') = ("exercise_price" IS NULL) AND ("exercise_price" IS NULL) = ("currency" IS NULL) AND ("exercise_price" IS NULL OR "exercise_price" >= 0)`,
)
@Check('ck_equity_grant_currency', `"currency" IS NULL OR "currency" ~ '^[A-Z]{3}$'`)
@Check('ck_equity_grant_vesting', `("vesting_terms_id" IS NULL) = ("vesting_start_date" IS NULL)`)
@Check(
  'ck_equity_grant_vesting_tranches',
  `"vesting_tranches" IS NULL OR ("vesting_terms_id" IS NULL AND app_equity_grant_tranches_valid("vesting_tranches", "quantity", "grant_date"))`,
)
@Check(
  'ck_equity_grant_termination_days',
  `"termination_exercise_days" IS NULL OR "termination_exercise_days" >= 0`,
)
export class EquityGrant {
  @CompanyIdColumn('pk_equity_grant')
  companyId?: string;

  @CompanyRelation('fk_equity_grant_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_equity_grant' })
  id!: string;

  @Column({ type: 'uuid', name: 'shareholder_id' })
  shareholderId!: string;

  @ManyToOne('Shareholder', { onDelete: 'RESTRICT' })
  @companyJoin('shareholder_id', 'fk_equity_grant_shareholder')
  shareholder?: never;

  /** The plan it was granted from; null: outside any plan (no pool). */
  @Column({ type: 'uuid', name: 'stock_plan_id', nullable: true })
  stockPlanId!: string | null;

  @ManyToOne(() => StockPlan, { onDelete: 'RESTRICT' })
  @companyJoin('stock_plan_id', 'fk_equity_grant_plan')
  stockPlan?: never;

  /** The class an exercise or release issues: the plan's, or the grant's own outside a plan. */
  @Column({ type: 'uuid', name: 'share_class_id' })
  shareClassId!: string;

  @ManyToOne('ShareClass', { onDelete: 'RESTRICT' })
  @companyJoin('share_class_id', 'fk_equity_grant_share_class')
  shareClass?: never;

  @Column({ type: 'varchar', length: 20, name: 'compensation_type' })
  compensationType!: CompensationType;

  @Column({ type: 'bigint' })
  quantity!: string;

  @Column({ type: 'numeric', precision: 30, scale: 10, name: 'exercise_price', nullable: true })
  exercisePrice!: string | null;

  @Column({ type: 'char', length: 3, nullable: true })
  currency!: string | null;

  @Column({ type: 'date', name: 'grant_date' })
  grantDate!: string;

  @Column({ type: 'uuid', name: 'vesting_terms_id', nullable: true })
  vestingTermsId!: string | null;

  @ManyToOne(() => VestingTerms, { onDelete: 'RESTRICT' })
  @companyJoin('vesting_terms_id', 'fk_equity_grant_vesting_terms')
  vestingTerms?: never;

  @Column({ type: 'date', name: 'vesting_start_date', nullable: true })
  vestingStartDate!: string | null;

  /** OCF `vestings`: the grant's own schedule, instead of vesting terms. */
  @Column({ type: 'jsonb', name: 'vesting_tranches', nullable: true })
  vestingTranches?: VestingTranche[] | null;

  @Column({ type: 'date', name: 'expiration_date', nullable: true })
  expirationDate!: string | null;

  @Column({ type: 'boolean', name: 'early_exercise', default: false })
  earlyExercise!: boolean;

  /** Days a vested option stays exercisable after the holder's termination. */
  @Column({ type: 'integer', name: 'termination_exercise_days', nullable: true })
  terminationExerciseDays!: number | null;

  @Column({ type: 'bigint', name: 'exercised_quantity', default: 0 })
  exercisedQuantity!: string;

  @Column({ type: 'bigint', name: 'released_quantity', default: 0 })
  releasedQuantity!: string;

  @Column({ type: 'bigint', name: 'cancelled_quantity', default: 0 })
  cancelledQuantity!: string;

  @Column({ type: 'date', name: 'terminated_on', nullable: true })
  terminatedOn!: string | null;

  /** The date of its EXPIRATION transaction (the day after its last exercisable day), once recorded. */
  @Column({ type: 'date', name: 'expired_on', nullable: true })
  expiredOn?: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'varchar', length: 255, name: 'created_by_sub' })
  createdBySub!: string;

  @Column({ type: 'varchar', length: 255, name: 'created_by' })
  createdBy!: string;

  @Column({ type: 'varchar', length: 128, name: 'request_id', nullable: true })
  requestId!: string | null;

  /** The OCF id this row came in with (an import); none: exported under its own id. Set once. */
  @Column({ type: 'varchar', length: 200, name: 'ocf_id', nullable: true })
  ocfId?: string | null;

  /** The OCF security id this security came in with (an import). Set once. */
  @Column({ type: 'varchar', length: 200, name: 'ocf_security_id', nullable: true })
  ocfSecurityId?: string | null;
}
