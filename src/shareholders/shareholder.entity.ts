import { CompanyIdColumn, CompanyRelation } from '../core/tenancy/company-columns';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';

export enum ShareholderType {
  Individual = 'INDIVIDUAL',
  Institution = 'INSTITUTION',
}

/**
 * A holder of shares. `phone`, `address` and `tax_id` are stored only encrypted (see FieldCipher);
 * emails are unique case-insensitively through the expression index `uq_shareholder_email_lower`.
 */
@Entity({ name: 'shareholder' })
@Index('uq_shareholder_ocf_id', ['companyId', 'ocfId'], {
  unique: true,
  where: 'ocf_id IS NOT NULL',
})
@Index('uq_shareholder_email_lower', { synchronize: false })
// The cross-company lookup of a person's holder records (app_holder_companies).
@Index('idx_shareholder_user_any', ['userId'], { where: 'user_id IS NOT NULL' })
@Index('idx_shareholder_email_unlinked', { synchronize: false })
@Index('uq_shareholder_user_id', ['companyId', 'userId'], {
  unique: true,
  where: 'user_id IS NOT NULL',
})
@Check('ck_shareholder_type', `"type" IN ('INDIVIDUAL', 'INSTITUTION')`)
@Check('ck_shareholder_version_positive', '"version" >= 1')
export class Shareholder {
  @CompanyIdColumn('pk_shareholder')
  /** Set by the database: the transaction's company. */
  companyId?: string;

  @CompanyRelation('fk_shareholder_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_shareholder' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ type: 'varchar', length: 20, default: ShareholderType.Individual })
  type!: ShareholderType;

  @Column({ type: 'text', name: 'phone_enc', nullable: true })
  phoneEnc!: string | null;

  @Column({ type: 'text', name: 'address_enc', nullable: true })
  addressEnc!: string | null;

  @Column({ type: 'text', name: 'tax_id_enc', nullable: true })
  taxIdEnc!: string | null;

  /** The Keycloak `sub` of the holder's login, once linked. */
  @Column({ type: 'varchar', length: 255, name: 'user_id', nullable: true })
  userId!: string | null;

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
