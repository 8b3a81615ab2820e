import { Check, Column, Entity, Index, ManyToOne, PrimaryColumn } from 'typeorm';
import { CompanyIdColumn, companyJoin, CompanyRelation } from '../core/tenancy/company-columns';

/**
 * The transactions of the stock ledger: the terminal ones (OCF TX_STOCK_*), each spending one
 * security, and REVERSAL, the correction that undoes one ledger line.
 */
export const TRANSACTION_KINDS = [
  'TRANSFER',
  'CANCELLATION',
  'REPURCHASE',
  'REISSUANCE',
  'CONVERSION',
  'REVERSAL',
] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

/**
 * One transaction of the stock ledger: it spends the whole security `securityId` (the unique index
 * makes a second spending of it fail in the database, unless the first was reversed) and names
 * what came of it. Append-only, but for the mark of its reversal.
 */
@Entity({ name: 'stock_transaction' })
/** (company_id, coalesce(ocf_id, id::text)): the export's order (migration OcfIds). */
@Index('idx_stock_transaction_ocf_ref', { synchronize: false })
@Index('uq_stock_transaction_ocf_id', ['companyId', 'ocfId'], {
  unique: true,
  where: 'ocf_id IS NOT NULL',
})
@Index('uq_stock_transaction_security', ['companyId', 'securityId'], {
  unique: true,
  where: `kind <> 'REVERSAL' AND reversed_by_transaction_id IS NULL`,
})
@Index('uq_stock_transaction_reversed', ['companyId', 'reversedTransactionId'], {
  unique: true,
  where: 'reversed_transaction_id IS NOT NULL',
})
@Index('idx_stock_transaction_date', ['companyId', 'date', 'recordedAt'])
@Index('idx_stock_transaction_split', ['companyId', 'splitTransactionId'], {
  where: 'split_transaction_id IS NOT NULL',
})
@Check(
  'ck_stock_transaction_split_reissues',
  `"split_transaction_id" IS NULL OR "kind" = 'REISSUANCE'`,
)
@Check(
  'ck_stock_transaction_kind',
  `"kind" IN ('TRANSFER', 'CANCELLATION', 'REPURCHASE', 'REISSUANCE', 'CONVERSION', 'REVERSAL')`,
)
@Check(
  'ck_stock_transaction_reversal',
  `("kind" = 'REVERSAL') = ("reversed_transaction_id" IS NOT NULL) AND ("kind" <> 'REVERSAL' OR "reversed_by_transaction_id" IS NULL)`,
)
@Check(
  'ck_stock_transaction_conversion',
  `("kind" = 'CONVERSION') = ("conversion_numerator" IS NOT NULL) AND ("conversion_numerator" IS NULL) = ("conversion_denominator" IS NULL) AND ("conversion_numerator" IS NULL OR ("conversion_numerator" > 0 AND "conversion_denominator" > 0))`,
)
@Check(
  'ck_stock_transaction_fraction',
  `("fraction_numerator" IS NULL) = ("fraction_denominator" IS NULL) AND ("fraction_numerator" IS NULL) = ("fraction_cash_amount" IS NULL) AND ("fraction_numerator" IS NULL OR ("fraction_numerator" > 0 AND "fraction_numerator" < "fraction_denominator" AND "fraction_price_per_share" >= 0))`,
)
@Check('ck_stock_transaction_quantity_positive', `"quantity" > 0`)
@Check(
  'ck_stock_transaction_total_exact',
  `"total_amount" IS NULL OR "total_amount" = "quantity" * "price_per_share"`,
)
@Check(
  'ck_stock_transaction_money',
  `("price_per_share" IS NULL) = ("currency" IS NULL) AND ("price_per_share" IS NULL OR "price_per_share" >= 0)`,
)
@Check('ck_stock_transaction_currency', `"currency" IS NULL OR "currency" ~ '^[A-Z]{3}$'`)
export class StockTransaction {
  @CompanyIdColumn('pk_stock_transaction')
  companyId?: string;

  @CompanyRelation('fk_stock_transaction_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_stock_transaction' })
  id!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: TransactionKind;

  /** The effective (legal) date. */
  @Column({ type: 'date' })
  date!: string;

  /** When the ledger learned of it. */
  @Column({ type: 'timestamptz', name: 'recorded_at', default: () => 'now()' })
  recordedAt!: Date;

  @Column({ type: 'uuid', name: 'security_id' })
  securityId!: string;

  @ManyToOne('Issuance', { onDelete: 'RESTRICT' })
  @companyJoin('security_id', 'fk_stock_transaction_security')
  security?: never;

  @Column({ type: 'bigint' })
  quantity!: string;

  @Column({ type: 'numeric', precision: 30, scale: 10, name: 'price_per_share', nullable: true })
  pricePerShare!: string | null;

  @Column({ type: 'numeric', precision: 52, scale: 10, name: 'total_amount', nullable: true })
  totalAmount!: string | null;

  @Column({ type: 'char', length: 3, nullable: true })
  currency!: string | null;

  @Column({ type: 'text', name: 'consideration_text', nullable: true })
  considerationText!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'uuid', name: 'balance_security_id', nullable: true })
  balanceSecurityId!: string | null;

  @Column({ type: 'uuid', array: true, name: 'resulting_security_ids', default: () => "'{}'" })
  resultingSecurityIds!: string[];

  /** A conversion's ratio on its date: new shares per share = numerator / denominator. */
  @Column({ type: 'bigint', name: 'conversion_numerator', nullable: true })
  conversionNumerator!: string | null;

  @Column({ type: 'bigint', name: 'conversion_denominator', nullable: true })
  conversionDenominator!: string | null;

  /** The fraction of a new share not issued (numerator / denominator), paid out in cash. */
  @Column({ type: 'bigint', name: 'fraction_numerator', nullable: true })
  fractionNumerator!: string | null;

  @Column({ type: 'bigint', name: 'fraction_denominator', nullable: true })
  fractionDenominator!: string | null;

  @Column({
    type: 'numeric',
    precision: 30,
    scale: 10,
    name: 'fraction_price_per_share',
    nullable: true,
  })
  fractionPricePerShare!: string | null;

  @Column({
    type: 'numeric',
    precision: 52,
    scale: 10,
    name: 'fraction_cash_amount',
    nullable: true,
  })
  fractionCashAmount!: string | null;

  /** The class split this reissuance belongs to (OCF StockReissuance.split_transaction_id). */
  @Column({ type: 'uuid', name: 'split_transaction_id', nullable: true })
  splitTransactionId!: string | null;

  @ManyToOne('StockClassSplit', { onDelete: 'RESTRICT' })
  @companyJoin('split_transaction_id', 'fk_stock_transaction_split')
  split?: never;

  /** A reversal's: the ledger line it undoes (a transaction, or an original issuance's id). */
  @Column({ type: 'uuid', name: 'reversed_transaction_id', nullable: true })
  reversedTransactionId!: string | null;

  /** The reversal that undid this transaction, once there is one. */
  @Column({ type: 'uuid', name: 'reversed_by_transaction_id', nullable: true })
  reversedByTransactionId!: string | null;

  @ManyToOne('StockTransaction', { onDelete: 'RESTRICT' })
  @companyJoin('reversed_by_transaction_id', 'fk_stock_transaction_reversed_by')
  reversedBy?: never;

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
