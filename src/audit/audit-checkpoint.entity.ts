import { CompanyIdColumn, CompanyRelation } from '../core/tenancy/company-columns';
import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A signed checkpoint of the audit chain: "entry `seq` had hash `hash` at `recorded_at`", signed
 * (Ed25519) with a key the database does not hold. `payload` is the exact text that was signed.
 * Append-only like the chain itself (trigger `trg_audit_checkpoint_append_only`); at most one
 * checkpoint per head, since `seq` is the key.
 */
@Entity({ name: 'audit_checkpoint' })
@Check('ck_audit_checkpoint_seq_positive', `"seq" > 0`)
export class AuditCheckpoint {
  @CompanyIdColumn('pk_audit_checkpoint')
  /** Set by the database: the transaction's company. */
  companyId?: string;

  @CompanyRelation('fk_audit_checkpoint_company')
  company?: never;

  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_audit_checkpoint' })
  seq!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;

  @Column({ type: 'timestamptz', name: 'recorded_at' })
  recordedAt!: Date;

  /** First 16 hex digits of the SHA-256 of the signing key's public key (SPKI DER). */
  @Column({ type: 'varchar', length: 64, name: 'key_id' })
  keyId!: string;

  /** Base64 Ed25519 signature of `payload` (UTF-8). */
  @Column({ type: 'text' })
  signature!: string;

  @Column({ type: 'text' })
  payload!: string;
}
