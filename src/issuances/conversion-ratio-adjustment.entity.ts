import { Check, Column, Entity, Index, ManyToOne, PrimaryColumn } from 'typeorm';
import { CompanyIdColumn, companyJoin, CompanyRelation } from '../core/tenancy/company-columns';
import { ShareClass } from './share-class.entity';

/**
 * OCF StockClassConversionRatioAdjustment: from `date` on, a share of the class converts into
 * numerator / denominator shares of the class it converts to. Append-only.
 */
@Entity({ name: 'conversion_ratio_adjustment' })
@Index('uq_conversion_ratio_adjustment_ocf_id', ['companyId', 'ocfId'], {
  unique: true,
  where: 'ocf_id IS NOT NULL',
})
@Index('uq_conversion_ratio_adjustment_date', ['companyId', 'shareClassId', 'date'], {
  unique: true,
})
@Check('ck_conversion_ratio_adjustment_ratio', `"numerator" > 0 AND "denominator" > 0`)
export class ConversionRatioAdjustment {
  @CompanyIdColumn('pk_conversion_ratio_adjustment')
  companyId?: string;

  @CompanyRelation('fk_conversion_ratio_adjustment_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_conversion_ratio_adjustment' })
  id!: string;

  @Column({ type: 'uuid', name: 'share_class_id' })
  shareClassId!: string;

  @ManyToOne(() => ShareClass, { onDelete: 'RESTRICT' })
  @companyJoin('share_class_id', 'fk_conversion_ratio_adjustment_share_class')
  shareClass?: never;

  @Column({ type: 'date' })
  date!: string;

  @Column({ type: 'bigint' })
  numerator!: string;

  @Column({ type: 'bigint' })
  denominator!: string;

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
