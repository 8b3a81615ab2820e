import { Check, Column, Entity, Index, ManyToOne, PrimaryColumn } from 'typeorm';
import { CompanyIdColumn, companyJoin, CompanyRelation } from '../core/tenancy/company-columns';
import { EquityGrant } from './equity-grant.entity';

export const GRANT_TRANSACTION_KINDS = [
  'EXERCISE',
  'RELEASE',
  'CANCELLATION',
  'TERMINATION',
  'EXPIRATION',
  'VESTING_EVENT',
  'VESTING_ACCELERATION',
] as const;
export type GrantTransactionKind = (typeof GRANT_TRANSACTION_KINDS)[number];

/**
 * One dated change of a grant (OCF TX_EQUITY_COMPENSATION_EXERCISE, _RELEASE, _CANCELLATION,
 * TX_VESTING_EVENT, TX_VESTING_ACCELERATION, a termination, and an expiration: at most one per
 * grant, exported as a TX_EQUITY_COMPENSATION_CANCELLATION, OCF 1.2.0 having no expiry
 * transaction). Append-only. A SAR exercise carries its settlement: the fair market value, the
 * shares delivered and the cash paid, exclusively for an EXERCISE.
 */
@Entity({ name: 'equity_grant_transaction' })
@Index('uq_equity_grant_transaction_ocf_id', ['companyId', 'ocfId'], {
  unique: true,
  where: 'ocf_id IS NOT NULL',
})
@Index('idx_equity_grant_transaction_grant', ['companyId', 'grantId', 'date'])
@Index('uq_equity_grant_transaction_expiration', ['companyId', 'grantId'], {
  unique: true,
  where: `kind = 'EXPIRATION'`,
})
@Check(
  'ck_equity_grant_transaction_kind',
  `"kind" IN ('EXERCISE', 'RELEASE', 'CANCELLATION', 'TERMINATION', 'EXPIRATION', 'VESTING_EVENT', 'VESTING_ACCELERATION')`,
)
@Check('ck_equity_grant_transaction_quantity', `"quantity" IS NULL OR "quantity" >= 0`)
@Check('ck_equity_grant_transaction_returned', `"returned_to_pool" >= 0`)
@Check(
  'ck_equity_grant_transaction_sar_amounts',
  `("fair_market_value" IS NULL OR "fair_market_value" > 0) AND ("cash_amount" IS NULL OR "cash_amount" >= 0) AND ("settled_shares" IS NULL OR "settled_shares" >= 0)`,
)
@Check(
  'ck_equity_grant_transaction_sar_settlement',
  `("fair_market_value" IS NULL) = ("cash_amount" IS NULL) AND ("cash_amount" IS NULL) = ("settled_shares" IS NULL) AND ("fair_market_value" IS NULL OR ("kind" = 'EXERCISE' AND "total_amount" IS NULL AND ("settled_shares" > 0) = ("resulting_security_id" IS NOT NULL)))`,
)
export class EquityGrantTransaction {
  @CompanyIdColumn('pk_equity_grant_transaction')
  companyId?: string;

  @CompanyRelation('fk_equity_grant_transaction_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_equity_grant_transaction' })
  id!: string;

  @Column({ type: 'uuid', name: 'grant_id' })
  grantId!: string;

  @ManyToOne(() => EquityGrant, { onDelete: 'RESTRICT' })
  @companyJoin('grant_id', 'fk_equity_grant_transaction_grant')
  grant?: never;

  @Column({ type: 'varchar', length: 30 })
  kind!: GrantTransactionKind;

  @Column({ type: 'date' })
  date!: string;

  @Column({ type: 'bigint', nullable: true })
  quantity!: string | null;

  /** A vesting event's condition of the grant's terms. */
  @Column({ type: 'varchar', length: 200, name: 'condition_id', nullable: true })
  conditionId!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** An exercise's or release's stock issuance. */
  @Column({ type: 'uuid', name: 'resulting_security_id', nullable: true })
  resultingSecurityId!: string | null;

  @ManyToOne('Issuance', { onDelete: 'RESTRICT' })
  @companyJoin('resulting_security_id', 'fk_equity_grant_transaction_security')
  resultingSecurity?: never;

  /** What the holder paid for an option exercise (quantity × exercise price); none for a SAR. */
  @Column({ type: 'numeric', precision: 52, scale: 10, name: 'total_amount', nullable: true })
  totalAmount!: string | null;

  /** A SAR exercise: the fair market value per share it was settled at (see sar-settlement.ts). */
  @Column({
    type: 'numeric',
    precision: 30,
    scale: 10,
    name: 'fair_market_value',
    nullable: true,
  })
  fairMarketValue!: string | null;

  /** A SAR exercise: the whole shares delivered (an SSAR's, as resulting_security_id; a CSAR 0). */
  @Column({ type: 'bigint', name: 'settled_shares', nullable: true })
  settledShares!: string | null;

  /** A SAR exercise: the appreciation paid in cash (a CSAR's all, an SSAR's share fraction). */
  @Column({ type: 'numeric', precision: 52, scale: 10, name: 'cash_amount', nullable: true })
  cashAmount!: string | null;

  /** An early exercise's shares not vested yet (subject to repurchase). */
  @Column({ type: 'bigint', name: 'unvested_quantity', nullable: true })
  unvestedQuantity!: string | null;

  /** Shares given back to the plan's pool (cancellations, terminations and expirations). */
  @Column({ type: 'bigint', name: 'returned_to_pool', default: 0 })
  returnedToPool!: string;

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
