import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * An issuer. Every company-owned row carries its id. A company is created before its details are
 * known (the first company of a new deployment): until then its details are null (`isSetUp`).
 */
@Entity({ name: 'company' })
@Index('idx_company_created', ['createdAt', 'id'])
@Check(
  'ck_company_set_up',
  'num_nulls(legal_name, country, formation_date, default_currency) IN (0, 4)',
)
@Check('ck_company_country', `country ~ '^[A-Z]{2}$'`)
@Check('ck_company_currency', `default_currency ~ '^[A-Z]{3}$'`)
@Check('ck_company_authorized_positive', `"authorized_shares" IS NULL OR "authorized_shares" > 0`)
export class Company {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_company' })
  id!: string;

  @Column({ type: 'varchar', length: 300, name: 'legal_name', nullable: true })
  legalName!: string | null;

  @Column({ type: 'char', length: 2, nullable: true })
  country!: string | null;

  @Column({ type: 'date', name: 'formation_date', nullable: true })
  formationDate!: string | null;

  @Column({ type: 'char', length: 3, name: 'default_currency', nullable: true })
  defaultCurrency!: string | null;

  /**
   * Shares the company may have outstanding over all its classes (OCF Issuer
   * initial_shares_authorized, then its dated adjustments); null: no company-wide limit.
   */
  @Column({ type: 'bigint', name: 'authorized_shares', nullable: true })
  authorizedShares!: string | null;

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
