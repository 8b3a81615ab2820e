import { CompanyIdColumn, CompanyRelation } from '../core/tenancy/company-columns';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EventActor } from '../events';

/**
 * A certificate still to be rendered for an issuance. Written by the `issuance.created` listener in
 * the transaction that records the event as handled, so the event relay never waits for Chromium;
 * the render worker deletes the row once the certificate is stored.
 */
@Entity({ name: 'certificate_request' })
@Index('idx_certificate_request_next_attempt', ['nextAttemptAt'])
export class CertificateRequest {
  @CompanyIdColumn('pk_certificate_request')
  /** Set by the database: the transaction's company. */
  companyId?: string;

  @CompanyRelation('fk_certificate_request_company')
  company?: never;

  @PrimaryColumn({
    type: 'uuid',
    name: 'issuance_id',
    primaryKeyConstraintName: 'pk_certificate_request',
  })
  issuanceId!: string;

  @Column({ type: 'timestamptz', name: 'requested_at', default: () => 'now()' })
  requestedAt!: Date;

  /** Also the lease: a claimed request is not claimed again before this time. */
  /** When the issuance was recorded: the worker renders in issuance order. */
  @Column({ type: 'timestamptz', name: 'issued_at', default: () => 'now()' })
  issuedAt!: Date;

  @Column({ type: 'timestamptz', name: 'next_attempt_at', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'text', name: 'last_error', nullable: true })
  lastError!: string | null;

  /** Who caused the issuance, recorded on the certificate and its event. */
  @Column({ type: 'jsonb' })
  actor!: EventActor;

  @Column({ type: 'varchar', length: 128, name: 'request_id', nullable: true })
  requestId!: string | null;
}
