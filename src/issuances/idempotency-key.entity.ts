import { CompanyIdColumn, CompanyRelation } from '../core/tenancy/company-columns';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A remembered `Idempotency-Key` of a caller: the hash of the request it came with and the
 * response it produced. Stored in the transaction of the issuance itself, so a key exists exactly
 * when its issuance does.
 */
@Entity({ name: 'idempotency_key' })
@Index('idx_idempotency_key_expires_at', ['expiresAt'])
export class IdempotencyKey {
  @CompanyIdColumn('pk_idempotency_key')
  /** Set by the database: the transaction's company. */
  companyId?: string;

  @CompanyRelation('fk_idempotency_key_company')
  company?: never;

  /** The caller (token `sub`): keys are scoped per caller. */
  @PrimaryColumn({ type: 'varchar', length: 255, primaryKeyConstraintName: 'pk_idempotency_key' })
  scope!: string;

  @PrimaryColumn({ type: 'varchar', length: 255, primaryKeyConstraintName: 'pk_idempotency_key' })
  key!: string;

  @Column({ type: 'char', length: 64, name: 'request_hash' })
  requestHash!: string;

  @Column({ type: 'jsonb', name: 'response_body', nullable: true })
  responseBody!: object | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'expires_at' })
  expiresAt!: Date;
}
