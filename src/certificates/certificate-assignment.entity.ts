import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';

/**
 * The certificate number an issuance received: one per issuance (its primary key), given once and
 * kept by every reissued version. Numbering commits before the PDF is rendered, so renders run in
 * parallel while numbers stay gap-free; a retried render reuses the number.
 */
@Entity({ name: 'certificate_assignment' })
@Index('uq_certificate_assignment_class_sequence', ['shareClassId', 'sequence'], { unique: true })
@Index('uq_certificate_assignment_number', ['certificateNumber'], { unique: true })
@Check('ck_certificate_assignment_sequence_positive', 'sequence >= 1')
export class CertificateAssignment {
  @PrimaryColumn({
    type: 'uuid',
    name: 'issuance_id',
    primaryKeyConstraintName: 'pk_certificate_assignment',
  })
  issuanceId!: string;

  @ManyToOne('Issuance', { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'issuance_id',
    foreignKeyConstraintName: 'fk_certificate_assignment_issuance',
  })
  issuance?: { id: string };

  @Column({ type: 'uuid', name: 'share_class_id' })
  shareClassId!: string;

  @ManyToOne('ShareClass', { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'share_class_id',
    foreignKeyConstraintName: 'fk_certificate_assignment_share_class',
  })
  shareClass?: { id: string };

  @Column({ type: 'bigint' })
  sequence!: string;

  @Column({ type: 'varchar', length: 32, name: 'certificate_number' })
  certificateNumber!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'assigned_at' })
  assignedAt!: Date;
}
