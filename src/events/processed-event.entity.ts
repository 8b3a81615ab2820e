import { CompanyIdColumn, CompanyRelation } from '../core/tenancy/company-columns';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Which consumer has handled which event: the idempotency record of every listener. */
@Entity({ name: 'processed_event' })
export class ProcessedEvent {
  @CompanyIdColumn('pk_processed_event')
  /** Set by the database: the transaction's company. */
  companyId?: string;

  @CompanyRelation('fk_processed_event_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', name: 'event_id', primaryKeyConstraintName: 'pk_processed_event' })
  eventId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_processed_event' })
  consumer!: string;

  @Column({ type: 'timestamptz', name: 'processed_at', default: () => 'now()' })
  processedAt!: Date;
}
