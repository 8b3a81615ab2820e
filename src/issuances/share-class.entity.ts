import { CompanyIdColumn, companyJoin, CompanyRelation } from '../core/tenancy/company-columns';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';

export enum ShareClassType {
  Common = 'COMMON',
  Preferred = 'PREFERRED',
}

/**
 * A class of shares. `issued_shares` is the running total of the ledger, maintained in the same
 * transaction as each issuance while the class row is locked; the check constraint
 * `ck_share_class_issued_within_authorized` is the backstop that no bug can get past.
 */
@Entity({ name: 'share_class' })
@Index('uq_share_class_ocf_id', ['companyId', 'ocfId'], {
  unique: true,
  where: 'ocf_id IS NOT NULL',
})
@Index('uq_share_class_name', ['companyId', 'name'], { unique: true })
@Index('uq_share_class_certificate_prefix', ['companyId', 'certificatePrefix'], { unique: true })
@Check('ck_share_class_type', `"type" IN ('COMMON', 'PREFERRED')`)
@Check('ck_share_class_authorized_positive', 'authorized_shares > 0')
@Check(
  'ck_share_class_issued_within_authorized',
  'issued_shares >= 0 AND issued_shares <= authorized_shares',
)
@Check('ck_share_class_par_value_non_negative', 'par_value >= 0')
@Check('ck_share_class_votes_non_negative', 'votes_per_share >= 0')
@Check('ck_share_class_certificate_prefix', `certificate_prefix ~ '^[A-Z]{1,6}$'`)
@Check(
  'ck_share_class_conversion_ratio',
  `"conversion_numerator" > 0 AND "conversion_denominator" > 0`,
)
@Check(
  'ck_share_class_converts_elsewhere',
  `"converts_to_share_class_id" IS NULL OR "converts_to_share_class_id" <> "id"`,
)
export class ShareClass {
  @CompanyIdColumn('pk_share_class')
  /** Set by the database: the transaction's company. */
  companyId?: string;

  @CompanyRelation('fk_share_class_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_share_class' })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 20 })
  type!: ShareClassType;

  @Column({ type: 'bigint', name: 'authorized_shares' })
  authorizedShares!: string;

  @Column({ type: 'bigint', name: 'issued_shares', default: 0 })
  issuedShares!: string;

  @Column({ type: 'numeric', precision: 30, scale: 10, name: 'par_value' })
  parValue!: string;

  @Column({ type: 'integer', name: 'votes_per_share' })
  votesPerShare!: number;

  @Column({ type: 'varchar', length: 6, name: 'certificate_prefix' })
  certificatePrefix!: string;

  /** Rank in a liquidation: 0 is the most junior. */
  @Column({ type: 'integer', default: 0 })
  seniority!: number;

  /** Printed on the class's certificates (restrictions, transfer legends). */
  @Column({ type: 'text', name: 'legend_text', nullable: true })
  legendText!: string | null;

  /** The class its shares convert into (OCF conversion rights); null: none. */
  @Column({ type: 'uuid', name: 'converts_to_share_class_id', nullable: true })
  convertsToShareClassId!: string | null;

  @ManyToOne(() => ShareClass, { onDelete: 'RESTRICT' })
  @companyJoin('converts_to_share_class_id', 'fk_share_class_converts_to')
  convertsTo?: never;

  /** New shares per share: numerator / denominator, until a dated adjustment changes it. */
  @Column({ type: 'bigint', name: 'conversion_numerator', default: 1 })
  conversionNumerator!: string;

  @Column({ type: 'bigint', name: 'conversion_denominator', default: 1 })
  conversionDenominator!: string;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;

  /** The OCF id this row came in with (an import); none: exported under its own id. Set once. */
  @Column({ type: 'varchar', length: 200, name: 'ocf_id', nullable: true })
  ocfId?: string | null;
}
