import { Check, Column, Entity, Index, ManyToOne, PrimaryColumn } from 'typeorm';
import { CompanyIdColumn, companyJoin, CompanyRelation } from '../core/tenancy/company-columns';
import { ShareClass } from './share-class.entity';

/**
 * A split of a class (OCF StockClassSplit): numerator / denominator new shares per share from
 * `date` on; each outstanding security of the class is reissued with the new quantity
 * (stock_transaction.split_transaction_id). Append-only.
 */
@Entity({ name: 'stock_class_split' })
@Index('uq_stock_class_split_ocf_id', ['companyId', 'ocfId'], {
  unique: true,
  where: 'ocf_id IS NOT NULL',
})
@Index('idx_stock_class_split_class', ['companyId', 'shareClassId', 'date'])
@Check(
  'ck_stock_class_split_ratio',
  `"numerator" > 0 AND "denominator" > 0 AND "numerator" <> "denominator"`,
)
@Check('ck_stock_class_split_within_authorized', `"outstanding_after" <= "authorized_shares_after"`)
export class StockClassSplit {
  @CompanyIdColumn('pk_stock_class_split')
  companyId?: string;

  @CompanyRelation('fk_stock_class_split_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_stock_class_split' })
  id!: string;

  @Column({ type: 'uuid', name: 'share_class_id' })
  shareClassId!: string;

  @ManyToOne(() => ShareClass, { onDelete: 'RESTRICT' })
  @companyJoin('share_class_id', 'fk_stock_class_split_share_class')
  shareClass?: never;

  @Column({ type: 'date' })
  date!: string;

  @Column({ type: 'bigint' })
  numerator!: string;

  @Column({ type: 'bigint' })
  denominator!: string;

  @Column({ type: 'bigint', name: 'authorized_shares_before' })
  authorizedSharesBefore!: string;

  @Column({ type: 'bigint', name: 'authorized_shares_after' })
  authorizedSharesAfter!: string;

  @Column({ type: 'bigint', name: 'outstanding_before' })
  outstandingBefore!: string;

  @Column({ type: 'bigint', name: 'outstanding_after' })
  outstandingAfter!: string;

  /** Outstanding securities reissued. */
  @Column({ type: 'integer' })
  securities!: number;

  @Column({
    type: 'numeric',
    precision: 30,
    scale: 10,
    name: 'fraction_price_per_share',
    nullable: true,
  })
  fractionPricePerShare!: string | null;

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
