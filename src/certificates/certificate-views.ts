import type { CertificateSnapshot } from '../events';
import { shareCount } from '../core/money/money';
import type { Certificate } from './certificate.entity';
import { versionedNumber } from './certificate-numbering';
import type { CertificateResponseDto, CertificateVerificationDto } from './dto/certificate.dto';

/** What a certificate's event payload shows of it. */
export type CertificateSnapshotSource = Pick<
  Certificate,
  | 'id'
  | 'issuanceId'
  | 'certificateNumber'
  | 'version'
  | 'status'
  | 'sha256'
  | 'voidReason'
  | 'cancellationReason'
  | 'reason'
>;

export function certificateSnapshot(certificate: CertificateSnapshotSource): CertificateSnapshot {
  return {
    id: certificate.id,
    issuance_id: certificate.issuanceId,
    certificate_number: certificate.certificateNumber,
    version: certificate.version,
    status: certificate.status,
    sha256: certificate.sha256,
    reason: certificate.voidReason ?? certificate.cancellationReason ?? certificate.reason,
  };
}

export function certificateFilename(certificate: Certificate): string {
  return `certificate-${versionedNumber(certificate.certificateNumber, certificate.version)}.pdf`;
}

export function toCertificateResponse(
  certificate: Certificate,
  verificationUrl: string,
): CertificateResponseDto {
  return {
    id: certificate.id,
    issuance_id: certificate.issuanceId,
    shareholder_id: certificate.shareholderId,
    share_class_id: certificate.shareClassId,
    certificate_number: certificate.certificateNumber,
    version: certificate.version,
    versioned_number: versionedNumber(certificate.certificateNumber, certificate.version),
    status: certificate.status,
    supersedes_id: certificate.supersedesId,
    reason: certificate.reason,
    share_class_name: certificate.shareClassName,
    number_of_shares: shareCount(certificate.numberOfShares),
    issue_date: certificate.issueDate,
    size_bytes: certificate.sizeBytes,
    sha256: certificate.sha256,
    verification_code: certificate.verificationCode,
    verification_url: verificationUrl,
    specimen: certificate.specimen,
    created_at: certificate.createdAt.toISOString(),
    created_by: certificate.createdBy,
    superseded_at: certificate.supersededAt?.toISOString() ?? null,
    voided_at: certificate.voidedAt?.toISOString() ?? null,
    voided_by: certificate.voidedBy,
    void_reason: certificate.voidReason,
    cancelled_at: certificate.cancelledAt?.toISOString() ?? null,
    cancellation_reason: certificate.cancellationReason,
  };
}

/** What the public verification route may tell anyone: no holder, no amounts. */
export function toVerification(certificate: Certificate): CertificateVerificationDto {
  return {
    exists: true,
    status: certificate.status,
    certificate_number: certificate.certificateNumber,
    share_class: certificate.shareClassName,
    issue_date: certificate.issueDate,
  };
}
