import { CompanyIdColumn, companyJoin, CompanyRelation } from '../core/tenancy/company-columns';
import { Check, Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryColumn } from 'typeorm';
import { ShareClass } from './share-class.entity';

/**
 * OCF's life of a stock security: outstanding, or spent by one terminal transaction; REVERSED
 * when the ledger line that created it was reversed (it was never outstanding, as the books now
 * read).
 */
export const SECURITY_STATUSES = [
  'OUTSTANDING',
  'TRANSFERRED',
  'CANCELLED',
  'REPURCHASED',
  'CONVERTED',
  'REISSUED',
  'REVERSED',
] as const;
export type SecurityStatus = (typeof SECURITY_STATUSES)[number];

/**
 * One entry of the share ledger. Quantities are bigint, money is numeric; the check constraints
 * keep the ledger sane even against a faulty writer (`total_amount` must equal shares × price).
 * Relations to other modules' entities name their target by entity name, so the foreign keys are
 * part of the schema model without this module importing another module's entity.
 */
@Entity({ name: 'issuance' })
/** (company_id, coalesce(ocf_id, id::text)): the export's order (migration OcfIds). */
@Index('idx_issuance_ocf_ref', { synchronize: false })
@Index('uq_issuance_ocf_id', ['companyId', 'ocfId'], { unique: true, where: 'ocf_id IS NOT NULL' })
@Index('idx_issuance_ocf_custom_id', ['companyId', 'ocfCustomId'], {
  where: 'ocf_custom_id IS NOT NULL',
})
@Index('uq_issuance_ocf_security_id', ['companyId', 'ocfSecurityId'], {
  unique: true,
  where: 'ocf_security_id IS NOT NULL',
})
@Index('idx_issuance_shareholder_date', ['companyId', 'shareholderId', 'date'])
@Index('idx_issuance_share_class_date', ['companyId', 'shareClassId', 'date'])
@Index('idx_issuance_date', ['companyId', 'date'])
@Check('ck_issuance_shares_positive', 'number_of_shares > 0')
@Check('ck_issuance_price_non_negative', 'price >= 0')
@Check('ck_issuance_total_exact', 'total_amount = number_of_shares * price')
@Check('ck_issuance_currency', `currency ~ '^[A-Z]{3}$'`)
@Index('idx_issuance_origin_transaction', ['companyId', 'originTransactionId'], {
  where: 'origin_transaction_id IS NOT NULL',
})
@Index('idx_issuance_outstanding', ['companyId', 'shareholderId', 'shareClassId'], {
  where: `status = 'OUTSTANDING'`,
})
@Check(
  'ck_issuance_status',
  `"status" IN ('OUTSTANDING', 'TRANSFERRED', 'CANCELLED', 'REPURCHASED', 'CONVERTED', 'REISSUED', 'REVERSED')`,
)
@Check(
  'ck_issuance_spent',
  `("status" = 'OUTSTANDING') = ("spent_by_transaction_id" IS NULL) AND ("spent_by_transaction_id" IS NULL) = ("spent_on" IS NULL)`,
)
@Check('ck_issuance_spent_on_or_after_issue', `"spent_on" IS NULL OR "spent_on" >= "date"`)
export class Issuance {
  @CompanyIdColumn('pk_issuance')
  /** Set by the database: the transaction's company. */
  companyId?: string;

  @CompanyRelation('fk_issuance_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_issuance' })
  id!: string;

  @Column({ type: 'uuid', name: 'shareholder_id' })
  shareholderId!: string;

  @ManyToOne('Shareholder', { onDelete: 'RESTRICT' })
  @companyJoin('shareholder_id', 'fk_issuance_shareholder')
  shareholder?: { id: string };

  @Column({ type: 'uuid', name: 'share_class_id' })
  shareClassId!: string;

  @ManyToOne(() => ShareClass, { onDelete: 'RESTRICT' })
  @companyJoin('share_class_id', 'fk_issuance_share_class')
  shareClass?: ShareClass;

  @Column({ type: 'bigint', name: 'number_of_shares' })
  numberOfShares!: string;

  @Column({ type: 'numeric', precision: 30, scale: 10 })
  price!: string;

  @Column({ type: 'numeric', precision: 52, scale: 10, name: 'total_amount' })
  totalAmount!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  /** The issue date; the cap table as of a day counts issuances dated on or before it. */
  @Column({ type: 'date' })
  date!: string;

  /** Not a column: the certificates module owns the number; reads join it (CERTIFICATE_NUMBERS). */
  certificateNumber!: string | null;

  /** Not a column: what the spending transaction made of it (its balance, then resulting ones). */
  derivedSecurityIds!: string[];

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'varchar', length: 255, name: 'created_by_sub' })
  createdBySub!: string;

  @Column({ type: 'varchar', length: 255, name: 'created_by' })
  createdBy!: string;

  @Column({ type: 'varchar', length: 128, name: 'request_id', nullable: true })
  requestId!: string | null;

  /** OUTSTANDING until a terminal transaction spends the whole security. */
  @Column({ type: 'varchar', length: 20, default: 'OUTSTANDING' })
  status!: SecurityStatus;

  /** The transaction this security came from (a balance or resulting security); null: issued. */
  @Column({ type: 'uuid', name: 'origin_transaction_id', nullable: true })
  originTransactionId!: string | null;

  @ManyToOne('StockTransaction', { onDelete: 'RESTRICT' })
  @companyJoin('origin_transaction_id', 'fk_issuance_origin_transaction')
  originTransaction?: never;

  @Column({ type: 'uuid', name: 'spent_by_transaction_id', nullable: true })
  spentByTransactionId!: string | null;

  @ManyToOne('StockTransaction', { onDelete: 'RESTRICT' })
  @companyJoin('spent_by_transaction_id', 'fk_issuance_spent_by_transaction')
  spentByTransaction?: never;

  /** The effective date of the transaction that spent it. */
  @Column({ type: 'date', name: 'spent_on', nullable: true })
  spentOn!: string | null;

  /** The OCF id this row came in with (an import); none: exported under its own id. Set once. */
  @Column({ type: 'varchar', length: 200, name: 'ocf_id', nullable: true })
  ocfId?: string | null;

  /** The OCF security id this security came in with (an import). Set once. */
  @Column({ type: 'varchar', length: 200, name: 'ocf_security_id', nullable: true })
  ocfSecurityId?: string | null;

  /** The OCF custom_id (certificate number) this security came in with (an import). Set once. */
  @Column({ type: 'varchar', length: 200, name: 'ocf_custom_id', nullable: true })
  ocfCustomId?: string | null;
}
