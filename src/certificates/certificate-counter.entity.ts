import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/**
 * The last certificate sequence used per share class. Incremented by an upsert whose row lock is
 * held until the numbering transaction ends, so concurrent numberings of a class queue up and a
 * rolled-back one gives its number back: the sequence has no gaps.
 */
@Entity({ name: 'certificate_counter' })
@Check('ck_certificate_counter_non_negative', 'last_sequence >= 0')
export class CertificateCounter {
  @PrimaryColumn({
    type: 'uuid',
    name: 'share_class_id',
    primaryKeyConstraintName: 'pk_certificate_counter',
  })
  shareClassId!: string;

  @ManyToOne('ShareClass', { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'share_class_id',
    foreignKeyConstraintName: 'fk_certificate_counter_share_class',
  })
  shareClass?: { id: string };

  @Column({ type: 'bigint', name: 'last_sequence', default: 0 })
  lastSequence!: string;
}
