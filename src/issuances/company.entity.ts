import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';

/** The issuer. One company per deployment: the `singleton` column admits a single row. */
@Entity({ name: 'company' })
@Index('uq_company_singleton', ['singleton'], { unique: true })
@Check('ck_company_singleton', 'singleton')
@Check('ck_company_country', `country ~ '^[A-Z]{2}$'`)
@Check('ck_company_currency', `default_currency ~ '^[A-Z]{3}$'`)
export class Company {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_company' })
  id!: string;

  @Column({ type: 'boolean', default: true })
  singleton!: boolean;

  @Column({ type: 'varchar', length: 300, name: 'legal_name' })
  legalName!: string;

  @Column({ type: 'char', length: 2 })
  country!: string;

  @Column({ type: 'date', name: 'formation_date' })
  formationDate!: string;

  @Column({ type: 'char', length: 3, name: 'default_currency' })
  defaultCurrency!: string;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
