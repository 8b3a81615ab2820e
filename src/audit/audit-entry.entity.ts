import { CompanyIdColumn, CompanyRelation } from '../core/tenancy/company-columns';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type AuditOutcome = 'success' | 'failure' | 'denied';

/**
 * One entry of the append-only audit log. The database refuses UPDATE, DELETE and TRUNCATE
 * (trigger `trg_audit_entry_append_only`); `hash` chains each entry to the previous one.
 * Indexes serve the auditors' filters: each leads with the filtered column and ends with time.
 */
@Entity({ name: 'audit_entry' })
@Index('uq_audit_entry_source_event', ['companyId', 'sourceEventId'], { unique: true })
@Index('idx_audit_entry_occurred', ['companyId', 'occurredAt', 'seq'])
@Index('idx_audit_entry_actor_name', ['companyId', 'actorName', 'occurredAt', 'seq'])
@Index('idx_audit_entry_actor_sub', ['companyId', 'actorSub', 'occurredAt', 'seq'])
@Index('idx_audit_entry_action', ['companyId', 'action', 'occurredAt', 'seq'])
@Index('idx_audit_entry_entity', ['companyId', 'entityType', 'entityId', 'occurredAt', 'seq'])
@Index('idx_audit_entry_outcome', ['companyId', 'outcome', 'occurredAt', 'seq'])
@Index('idx_audit_entry_search_trgm', { synchronize: false })
export class AuditEntry {
  @CompanyIdColumn('pk_audit_entry')
  /** Set by the database: the transaction's company. */
  companyId?: string;

  @CompanyRelation('fk_audit_entry_company')
  company?: never;

  /** Gap-free sequence: appends are serialised, so seq n+1 always follows n. */
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_audit_entry' })
  seq!: string;

  @Column({ type: 'timestamptz', name: 'occurred_at' })
  occurredAt!: Date;

  @Column({ type: 'timestamptz', name: 'recorded_at' })
  recordedAt!: Date;

  @Column({ type: 'varchar', length: 255, name: 'actor_sub' })
  actorSub!: string;

  @Column({ type: 'varchar', length: 255, name: 'actor_name' })
  actorName!: string;

  @Column({ type: 'varchar', length: 255, name: 'actor_client_id' })
  actorClientId!: string;

  @Column({ type: 'text', array: true, name: 'actor_roles' })
  actorRoles!: string[];

  @Column({ type: 'varchar', length: 100 })
  action!: string;

  @Column({ type: 'varchar', length: 50, name: 'entity_type' })
  entityType!: string;

  @Column({ type: 'varchar', length: 255, name: 'entity_id', nullable: true })
  entityId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before!: object | null;

  @Column({ type: 'jsonb', nullable: true })
  after!: object | null;

  @Column({ type: 'varchar', length: 128, name: 'request_id', nullable: true })
  requestId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 512, name: 'user_agent', nullable: true })
  userAgent!: string | null;

  @Column({ type: 'varchar', length: 20 })
  outcome!: AuditOutcome;

  @Column({ type: 'uuid', name: 'source_event_id', nullable: true })
  sourceEventId!: string | null;

  /** Lower-cased text of the details, for the `q` filter (trigram index). */
  @Column({ type: 'text', name: 'search_text' })
  searchText!: string;

  @Column({ type: 'char', length: 64, name: 'prev_hash' })
  prevHash!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;
}
