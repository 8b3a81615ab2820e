/**
 * Every stable error code the API can answer with, and its HTTP status. The switch is exhaustive:
 * adding a code without deciding its status does not compile.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'MALFORMED_REQUEST'
  | 'AUTHENTICATION_REQUIRED'
  | 'INVALID_CREDENTIALS'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'IDENTITY_PROVIDER_UNAVAILABLE'
  | 'SIGNING_KEYS_UNAVAILABLE'
  | 'SHAREHOLDER_NOT_FOUND'
  | 'SHAREHOLDER_EMAIL_TAKEN'
  | 'SHAREHOLDER_USER_TAKEN'
  | 'SHARE_CLASS_NOT_FOUND'
  | 'SHARE_CLASS_NAME_TAKEN'
  | 'SHARE_CLASS_PREFIX_TAKEN'
  | 'AUTHORIZED_SHARES_EXCEEDED'
  | 'AUTHORIZED_BELOW_ISSUED'
  | 'COMMON_CLASS_MISSING'
  | 'COMPANY_NOT_CONFIGURED'
  | 'ISSUANCE_NOT_FOUND'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_KEY_IN_PROGRESS'
  | 'INTERNAL_ERROR';

export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'MALFORMED_REQUEST':
      return 400;
    case 'AUTHENTICATION_REQUIRED':
    case 'INVALID_CREDENTIALS':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
    case 'SHAREHOLDER_NOT_FOUND':
    case 'SHARE_CLASS_NOT_FOUND':
    case 'ISSUANCE_NOT_FOUND':
      return 404;
    case 'CONFLICT':
    case 'SHAREHOLDER_EMAIL_TAKEN':
    case 'SHAREHOLDER_USER_TAKEN':
    case 'SHARE_CLASS_NAME_TAKEN':
    case 'SHARE_CLASS_PREFIX_TAKEN':
    case 'AUTHORIZED_SHARES_EXCEEDED':
    case 'AUTHORIZED_BELOW_ISSUED':
    case 'COMMON_CLASS_MISSING':
    case 'COMPANY_NOT_CONFIGURED':
    case 'IDEMPOTENCY_KEY_IN_PROGRESS':
      return 409;
    case 'IDEMPOTENCY_KEY_REUSED':
      return 422;
    case 'INTERNAL_ERROR':
      return 500;
    case 'IDENTITY_PROVIDER_UNAVAILABLE':
    case 'SIGNING_KEYS_UNAVAILABLE':
      return 503;
  }
}
