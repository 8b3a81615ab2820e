import { CompanyIdColumn, companyJoin, CompanyRelation } from '../core/tenancy/company-columns';
import { Check, Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryColumn } from 'typeorm';

/**
 * The certificate number an issuance received: one per issuance (its primary key), given once and
 * kept by every reissued version. Numbering commits before the PDF is rendered, so renders run in
 * parallel while numbers stay gap-free; a retried render reuses the number.
 */
@Entity({ name: 'certificate_assignment' })
@Index('uq_certificate_assignment_class_sequence', ['companyId', 'shareClassId', 'sequence'], {
  unique: true,
})
@Index('uq_certificate_assignment_number', ['companyId', 'certificateNumber'], { unique: true })
@Check('ck_certificate_assignment_sequence_positive', 'sequence >= 1')
export class CertificateAssignment {
  @CompanyIdColumn('pk_certificate_assignment')
  /** Set by the database: the transaction's company. */
  companyId?: string;

  @CompanyRelation('fk_certificate_assignment_company')
  company?: never;

  @PrimaryColumn({
    type: 'uuid',
    name: 'issuance_id',
    primaryKeyConstraintName: 'pk_certificate_assignment',
  })
  issuanceId!: string;

  @ManyToOne('Issuance', { onDelete: 'RESTRICT' })
  @companyJoin('issuance_id', 'fk_certificate_assignment_issuance')
  issuance?: { id: string };

  @Column({ type: 'uuid', name: 'share_class_id' })
  shareClassId!: string;

  @ManyToOne('ShareClass', { onDelete: 'RESTRICT' })
  @companyJoin('share_class_id', 'fk_certificate_assignment_share_class')
  shareClass?: { id: string };

  /** The class's sequence; null when the number is an imported security's own (OCF custom_id). */
  @Column({ type: 'bigint', nullable: true })
  sequence!: string | null;

  @Column({ type: 'varchar', length: 32, name: 'certificate_number' })
  certificateNumber!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'assigned_at' })
  assignedAt!: Date;
}
