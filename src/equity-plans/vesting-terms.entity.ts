import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CompanyIdColumn, CompanyRelation } from '../core/tenancy/company-columns';
import type { AllocationType } from './vesting/allocation';
import type { VestingCondition, VestingShorthand } from './vesting/vesting-terms';

/** OCF VestingTerms: the conditions as given (or as the shorthand stands for). Append-only. */
@Entity({ name: 'vesting_terms' })
@Index('uq_vesting_terms_ocf_id', ['companyId', 'ocfId'], {
  unique: true,
  where: 'ocf_id IS NOT NULL',
})
@Check(
  'ck_vesting_terms_allocation_type',
  `"allocation_type" IN ('CUMULATIVE_ROUNDING', 'CUMULATIVE_ROUND_DOWN', 'FRONT_LOADED', 'BACK_LOADED', 'FRONT_LOADED_TO_SINGLE_TRANCHE', 'BACK_LOADED_TO_SINGLE_TRANCHE', 'FRACTIONAL')`,
)
export class VestingTerms {
  @CompanyIdColumn('pk_vesting_terms')
  companyId?: string;

  @CompanyRelation('fk_vesting_terms_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_vesting_terms' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'varchar', length: 40, name: 'allocation_type' })
  allocationType!: AllocationType;

  @Column({ type: 'jsonb', name: 'vesting_conditions' })
  vestingConditions!: VestingCondition[];

  @Column({ type: 'jsonb', nullable: true })
  shorthand!: VestingShorthand | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'varchar', length: 255, name: 'created_by_sub' })
  createdBySub!: string;

  @Column({ type: 'varchar', length: 255, name: 'created_by' })
  createdBy!: string;

  /** The OCF id this row came in with (an import); none: exported under its own id. Set once. */
  @Column({ type: 'varchar', length: 200, name: 'ocf_id', nullable: true })
  ocfId?: string | null;
}
