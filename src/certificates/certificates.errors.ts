import { DomainError } from '../core/errors/domain-error';

export class CertificateNotFoundError extends DomainError {
  constructor(detail: string) {
    super('CERTIFICATE_NOT_FOUND', detail);
  }
}

export class CertificateVoidError extends DomainError {
  constructor(certificateNumber: string, version: number) {
    super(
      'CERTIFICATE_VOID',
      `Certificate ${certificateNumber} version ${version} is void; a void certificate cannot be served as current, reissued or voided again.`,
    );
  }
}

export class CertificateSupersededError extends DomainError {
  constructor(certificateNumber: string, version: number) {
    super(
      'CERTIFICATE_SUPERSEDED',
      `Certificate ${certificateNumber} version ${version} has been superseded by a later version; act on the current version.`,
    );
  }
}

export class CertificateCancelledError extends DomainError {
  constructor(detail: string) {
    super('CERTIFICATE_CANCELLED', detail);
  }
}

/** Seconds a client should wait before retrying a render that was refused or failed. */
export const RENDER_RETRY_AFTER_SECONDS = 5;

export class CertificateRenderBusyError extends DomainError {
  constructor(detail = 'Too many certificates are being rendered right now. Try again shortly.') {
    super('CERTIFICATE_RENDER_BUSY', detail, {
      headers: { 'retry-after': String(RENDER_RETRY_AFTER_SECONDS) },
    });
  }
}

export class CertificateRenderFailedError extends DomainError {
  constructor(detail: string, cause?: unknown) {
    super('CERTIFICATE_RENDER_FAILED', `${detail} Try again shortly.`, {
      headers: { 'retry-after': String(RENDER_RETRY_AFTER_SECONDS) },
      cause,
    });
  }
}
