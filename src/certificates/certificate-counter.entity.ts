import { CompanyIdColumn, companyJoin, CompanyRelation } from '../core/tenancy/company-columns';
import { Check, Column, Entity, ManyToOne, PrimaryColumn } from 'typeorm';

/**
 * The last certificate sequence used per share class. Incremented by an upsert whose row lock is
 * held until the numbering transaction ends, so concurrent numberings of a class queue up and a
 * rolled-back one gives its number back: the sequence has no gaps.
 */
@Entity({ name: 'certificate_counter' })
@Check('ck_certificate_counter_non_negative', 'last_sequence >= 0')
export class CertificateCounter {
  @CompanyIdColumn('pk_certificate_counter')
  /** Set by the database: the transaction's company. */
  companyId?: string;

  @CompanyRelation('fk_certificate_counter_company')
  company?: never;

  @PrimaryColumn({
    type: 'uuid',
    name: 'share_class_id',
    primaryKeyConstraintName: 'pk_certificate_counter',
  })
  shareClassId!: string;

  @ManyToOne('ShareClass', { onDelete: 'RESTRICT' })
  @companyJoin('share_class_id', 'fk_certificate_counter_share_class')
  shareClass?: { id: string };

  @Column({ type: 'bigint', name: 'last_sequence', default: 0 })
  lastSequence!: string;
}
