import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CompanyIdColumn, CompanyRelation } from '../core/tenancy/company-columns';

/**
 * An OCF object kept as it came in an imported package and exported again unchanged: a valuation,
 * or an acceptance (which changes no position). Append-only.
 */
@Entity({ name: 'ocf_retained_object' })
@Index('uq_ocf_retained_object_ocf_id', ['companyId', 'objectType', 'ocfId'], { unique: true })
export class OcfRetainedObject {
  @CompanyIdColumn('pk_ocf_retained_object')
  companyId?: string;

  @CompanyRelation('fk_ocf_retained_object_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_ocf_retained_object' })
  id!: string;

  @Column({ type: 'varchar', length: 200, name: 'ocf_id' })
  ocfId!: string;

  @Column({ type: 'varchar', length: 80, name: 'object_type' })
  objectType!: string;

  /** The file it came in (and goes out) in: OCF_VALUATIONS_FILE or OCF_TRANSACTIONS_FILE. */
  @Column({ type: 'varchar', length: 80, name: 'file_type' })
  fileType!: string;

  /** Its place in the package it came in, so it goes out in the same order. */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'jsonb' })
  object!: Record<string, unknown>;

  @Column({ type: 'timestamptz', name: 'imported_at', default: () => 'now()' })
  importedAt!: Date;
}
