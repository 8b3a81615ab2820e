import { CompanyIdColumn, CompanyRelation } from '../core/tenancy/company-columns';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export interface EventActor {
  sub: string;
  name: string;
  client_id: string;
  roles: string[];
  ip?: string;
  user_agent?: string;
  /** What wrote it for the caller, when not a route of its own: 'ocf-import' for an import. */
  via?: string;
}

/** An event waiting for (or done with) delivery to the consuming modules. */
@Entity({ name: 'outbox_event' })
@Index('idx_outbox_event_pending', ['nextAttemptAt'], {
  where: 'delivered_at IS NULL AND dead_lettered_at IS NULL',
})
@Index('idx_outbox_event_aggregate', ['companyId', 'aggregateType', 'aggregateId'])
export class OutboxEvent {
  @CompanyIdColumn('pk_outbox_event')
  /** Set by the database: the transaction's company. */
  companyId?: string;

  @CompanyRelation('fk_outbox_event_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_outbox_event' })
  id!: string;

  /** Gap-free ordering is not promised; this only orders delivery roughly by commit time. */
  @Column({ type: 'bigint', generated: 'increment', name: 'position' })
  position!: string;

  @Column({ type: 'varchar', length: 100 })
  type!: string;

  @Column({ type: 'varchar', length: 50, name: 'aggregate_type' })
  aggregateType!: string;

  /** Usually a UUID; for login events, the Keycloak subject or the attempted username. */
  @Column({ type: 'varchar', length: 255, name: 'aggregate_id' })
  aggregateId!: string;

  @Column({ type: 'jsonb' })
  payload!: object;

  @Column({ type: 'jsonb' })
  actor!: EventActor;

  @Column({ type: 'varchar', length: 128, name: 'request_id', nullable: true })
  requestId!: string | null;

  @Column({ type: 'timestamptz', name: 'occurred_at' })
  occurredAt!: Date;

  @CreateDateColumn({ type: 'timestamptz', name: 'recorded_at' })
  recordedAt!: Date;

  @Column({ type: 'timestamptz', name: 'next_attempt_at', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'text', name: 'last_error', nullable: true })
  lastError!: string | null;

  /** The relay instance that last claimed the row (its lease runs until next_attempt_at). */
  @Column({ type: 'varchar', length: 100, name: 'claimed_by', nullable: true })
  claimedBy!: string | null;

  @Column({ type: 'timestamptz', name: 'delivered_at', nullable: true })
  deliveredAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'dead_lettered_at', nullable: true })
  deadLetteredAt!: Date | null;
}
