import { CompanyIdColumn, companyJoin, CompanyRelation } from '../core/tenancy/company-columns';
import { Check, Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryColumn } from 'typeorm';

export enum CertificateStatus {
  Active = 'active',
  Superseded = 'superseded',
  Void = 'void',
  /** Its security was spent by a ledger transaction (transfer, cancellation, …). */
  Cancelled = 'cancelled',
}

/**
 * One version of an issuance's share certificate: the PDF exactly as it was handed out, with its
 * SHA-256. A reissue adds a version with the same certificate number and supersedes the previous
 * one; at most one version of an issuance is active (`uq_certificate_issuance_active`).
 */
@Entity({ name: 'certificate' })
@Index('uq_certificate_number_version', ['companyId', 'certificateNumber', 'version'], {
  unique: true,
})
@Index('uq_certificate_issuance_version', ['companyId', 'issuanceId', 'version'], { unique: true })
@Index('uq_certificate_issuance_active', ['companyId', 'issuanceId'], {
  unique: true,
  where: `status = 'active'`,
})
@Index('uq_certificate_verification_code', ['companyId', 'verificationCode'], { unique: true })
@Index('idx_certificate_shareholder', ['companyId', 'shareholderId'])
@Check('ck_certificate_status', `status IN ('active', 'superseded', 'void', 'cancelled')`)
@Check('ck_certificate_cancelled', `(status = 'cancelled') = (cancelled_at IS NOT NULL)`)
@Check('ck_certificate_version_positive', 'version >= 1')
@Check('ck_certificate_chain', '(version = 1) = (supersedes_id IS NULL)')
@Check('ck_certificate_size', 'size_bytes = octet_length(content)')
@Check('ck_certificate_sha256', `sha256 ~ '^[0-9a-f]{64}$'`)
@Check('ck_certificate_voided', `(status = 'void') = (voided_at IS NOT NULL)`)
export class Certificate {
  @CompanyIdColumn('pk_certificate')
  /** Set by the database: the transaction's company. */
  companyId?: string;

  @CompanyRelation('fk_certificate_company')
  company?: never;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_certificate' })
  id!: string;

  @Column({ type: 'uuid', name: 'issuance_id' })
  issuanceId!: string;

  @ManyToOne('Issuance', { onDelete: 'RESTRICT' })
  @companyJoin('issuance_id', 'fk_certificate_issuance')
  issuance?: { id: string };

  @Column({ type: 'uuid', name: 'shareholder_id' })
  shareholderId!: string;

  @ManyToOne('Shareholder', { onDelete: 'RESTRICT' })
  @companyJoin('shareholder_id', 'fk_certificate_shareholder')
  shareholder?: { id: string };

  @Column({ type: 'uuid', name: 'share_class_id' })
  shareClassId!: string;

  @ManyToOne('ShareClass', { onDelete: 'RESTRICT' })
  @companyJoin('share_class_id', 'fk_certificate_share_class')
  shareClass?: { id: string };

  @Column({ type: 'varchar', length: 32, name: 'certificate_number' })
  certificateNumber!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: CertificateStatus;

  /** The version this one replaced (null for version 1). */
  @Column({ type: 'uuid', name: 'supersedes_id', nullable: true })
  supersedesId!: string | null;

  @ManyToOne(() => Certificate, { onDelete: 'RESTRICT' })
  @companyJoin('supersedes_id', 'fk_certificate_supersedes')
  supersedes?: Certificate;

  /** Why this version was made (a reissue's reason); null for the first issue. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** As printed: the class may be renamed later, the paper is not. */
  @Column({ type: 'varchar', length: 100, name: 'share_class_name' })
  shareClassName!: string;

  @Column({ type: 'bigint', name: 'number_of_shares' })
  numberOfShares!: string;

  @Column({ type: 'date', name: 'issue_date' })
  issueDate!: string;

  @Column({ type: 'varchar', length: 32, name: 'verification_code' })
  verificationCode!: string;

  /** True when the PDF carries the SPECIMEN watermark. */
  @Column({ type: 'boolean' })
  specimen!: boolean;

  /** The PDF; not loaded unless asked for (`select: false`). */
  @Column({ type: 'bytea', select: false })
  content?: Buffer;

  @Column({ type: 'integer', name: 'size_bytes' })
  sizeBytes!: number;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'varchar', length: 255, name: 'created_by_sub' })
  createdBySub!: string;

  @Column({ type: 'varchar', length: 255, name: 'created_by' })
  createdBy!: string;

  @Column({ type: 'varchar', length: 128, name: 'request_id', nullable: true })
  requestId!: string | null;

  @Column({ type: 'timestamptz', name: 'superseded_at', nullable: true })
  supersededAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'voided_at', nullable: true })
  voidedAt!: Date | null;

  @Column({ type: 'varchar', length: 255, name: 'voided_by', nullable: true })
  voidedBy!: string | null;

  @Column({ type: 'text', name: 'void_reason', nullable: true })
  voidReason!: string | null;

  @Column({ type: 'timestamptz', name: 'cancelled_at', nullable: true })
  cancelledAt!: Date | null;

  /** The ledger transaction that spent the security, e.g. "TRANSFER 4f0c…". */
  @Column({ type: 'text', name: 'cancellation_reason', nullable: true })
  cancellationReason!: string | null;
}
