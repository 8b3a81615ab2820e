import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CompanyIdColumn, CompanyRelation } from '../core/tenancy/company-columns';

/**
 * A security that may no longer have a valid certificate because a ledger transaction spent it:
 * written when the spending is delivered, before or after the certificate was rendered, so a
 * render that comes later stores nothing.
 */
@Entity({ name: 'certificate_cancellation' })
export class CertificateCancellation {
  @CompanyIdColumn('pk_certificate_cancellation')
  companyId?: string;

  @CompanyRelation('fk_certificate_cancellation_company')
  company?: never;

  @PrimaryColumn({
    type: 'uuid',
    name: 'issuance_id',
    primaryKeyConstraintName: 'pk_certificate_cancellation',
  })
  issuanceId!: string;

  @Column({ type: 'uuid', name: 'transaction_id' })
  transactionId!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: string;

  @Column({ type: 'timestamptz', name: 'cancelled_at', default: () => 'now()' })
  cancelledAt!: Date;
}
