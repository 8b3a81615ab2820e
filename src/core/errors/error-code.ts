/**
 * Every stable error code the API answers with: the single list the runtime, the OpenAPI
 * `Problem` schema and the tests read.
 *
 * `ERROR_CODES` are the codes a service may throw (as a DomainError); each has one HTTP status in
 * STATUS_OF_CODE, a record over every code, so adding a code without deciding its status does not
 * compile.
 * `HTTP_LAYER_ERROR_CODES` are the codes only the HTTP layer itself answers with (Fastify, the
 * throttler, the health checks); services never throw them.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_REQUEST',
  'AUTHENTICATION_REQUIRED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'CONFLICT',
  'IDENTITY_PROVIDER_UNAVAILABLE',
  'SIGNING_KEYS_UNAVAILABLE',
  'SHUTTING_DOWN',
  'SHAREHOLDER_NOT_FOUND',
  'SHAREHOLDER_EMAIL_TAKEN',
  'SHAREHOLDER_USER_TAKEN',
  'SHARE_CLASS_NOT_FOUND',
  'SHARE_CLASS_NAME_TAKEN',
  'SHARE_CLASS_PREFIX_TAKEN',
  'AUTHORIZED_SHARES_EXCEEDED',
  'AUTHORIZED_BELOW_ISSUED',
  'COMMON_CLASS_MISSING',
  'COMPANY_NOT_CONFIGURED',
  'ISSUANCE_NOT_FOUND',
  'IDEMPOTENCY_KEY_REUSED',
  'TRANSACTION_NOT_FOUND',
  'SECURITY_ALREADY_SPENT',
  'QUANTITY_EXCEEDS_SECURITY',
  'TRANSACTION_DATE_INVALID',
  'CONVERSION_NOT_DEFINED',
  'TRANSACTION_NOT_REVERSIBLE',
  'TRANSACTION_ALREADY_REVERSED',
  'LATER_TRANSACTION_EXISTS',
  'STOCK_PLAN_NOT_FOUND',
  'VESTING_TERMS_NOT_FOUND',
  'GRANT_NOT_FOUND',
  'POOL_EXHAUSTED',
  'GRANT_NOT_EXERCISABLE',
  'QUANTITY_EXCEEDS_EXERCISABLE',
  'CERTIFICATE_NOT_FOUND',
  'CERTIFICATE_CANCELLED',
  'CERTIFICATE_VOID',
  'CERTIFICATE_SUPERSEDED',
  'CERTIFICATE_RENDER_BUSY',
  'CERTIFICATE_RENDER_FAILED',
  'CHECK_VIOLATED',
  'AUDIT_CHAIN_BROKEN',
  'COMPANY_NOT_FOUND',
  'COMPANY_REQUIRED',
  'MEMBER_NOT_FOUND',
  'MEMBER_TAKEN',
  'LAST_ADMIN',
  'OCF_PACKAGE_UNREADABLE',
  'OCF_PACKAGE_INVALID',
  'OCF_UNSUPPORTED_OBJECTS',
  'LEDGER_NOT_EMPTY',
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const HTTP_LAYER_ERROR_CODES = [
  'REQUEST_TIMEOUT',
  'PAYLOAD_TOO_LARGE',
  'URI_TOO_LONG',
  'UNSUPPORTED_MEDIA_TYPE',
  'REQUEST_HEADER_FIELDS_TOO_LARGE',
  'TOO_MANY_REQUESTS',
  /** Any other 4xx the HTTP layer raises; the answer keeps that status. */
  'REQUEST_REFUSED',
  'SERVICE_UNAVAILABLE',
] as const;

export type HttpLayerErrorCode = (typeof HTTP_LAYER_ERROR_CODES)[number];

/** Every `code` a problem+json answer of this API can carry. */
export const PROBLEM_CODES: readonly ProblemCode[] = [...ERROR_CODES, ...HTTP_LAYER_ERROR_CODES];

export type ProblemCode = ErrorCode | HttpLayerErrorCode;

/** The HTTP status of every code a service may throw: adding a code without one does not compile. */
const STATUS_OF_CODE = {
  VALIDATION_FAILED: 400,
  MALFORMED_REQUEST: 400,
  AUTHENTICATION_REQUIRED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  SHAREHOLDER_NOT_FOUND: 404,
  SHARE_CLASS_NOT_FOUND: 404,
  ISSUANCE_NOT_FOUND: 404,
  TRANSACTION_NOT_FOUND: 404,
  CERTIFICATE_NOT_FOUND: 404,
  COMPANY_NOT_FOUND: 404,
  MEMBER_NOT_FOUND: 404,
  STOCK_PLAN_NOT_FOUND: 404,
  VESTING_TERMS_NOT_FOUND: 404,
  GRANT_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  OCF_PACKAGE_UNREADABLE: 400,
  OCF_PACKAGE_INVALID: 422,
  OCF_UNSUPPORTED_OBJECTS: 422,
  LEDGER_NOT_EMPTY: 409,
  SHAREHOLDER_EMAIL_TAKEN: 409,
  SHAREHOLDER_USER_TAKEN: 409,
  SHARE_CLASS_NAME_TAKEN: 409,
  SHARE_CLASS_PREFIX_TAKEN: 409,
  AUTHORIZED_SHARES_EXCEEDED: 409,
  AUTHORIZED_BELOW_ISSUED: 409,
  COMMON_CLASS_MISSING: 409,
  COMPANY_NOT_CONFIGURED: 409,
  CERTIFICATE_VOID: 409,
  CERTIFICATE_SUPERSEDED: 409,
  CERTIFICATE_CANCELLED: 409,
  SECURITY_ALREADY_SPENT: 409,
  TRANSACTION_NOT_REVERSIBLE: 409,
  TRANSACTION_ALREADY_REVERSED: 409,
  LATER_TRANSACTION_EXISTS: 409,
  POOL_EXHAUSTED: 409,
  GRANT_NOT_EXERCISABLE: 409,
  AUDIT_CHAIN_BROKEN: 409,
  COMPANY_REQUIRED: 409,
  MEMBER_TAKEN: 409,
  LAST_ADMIN: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  QUANTITY_EXCEEDS_SECURITY: 422,
  QUANTITY_EXCEEDS_EXERCISABLE: 422,
  TRANSACTION_DATE_INVALID: 422,
  CONVERSION_NOT_DEFINED: 422,
  CHECK_VIOLATED: 422,
  INTERNAL_ERROR: 500,
  IDENTITY_PROVIDER_UNAVAILABLE: 503,
  SIGNING_KEYS_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
  CERTIFICATE_RENDER_BUSY: 503,
  CERTIFICATE_RENDER_FAILED: 503,
} as const satisfies Record<ErrorCode, number>;

export function httpStatusFor(code: ErrorCode): number {
  return STATUS_OF_CODE[code];
}

/** The status of an HTTP layer code; REQUEST_REFUSED has none of its own (any other 4xx). */
export function httpLayerStatusFor(code: HttpLayerErrorCode): number | null {
  switch (code) {
    case 'REQUEST_TIMEOUT':
      return 408;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'URI_TOO_LONG':
      return 414;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'REQUEST_HEADER_FIELDS_TOO_LARGE':
      return 431;
    case 'TOO_MANY_REQUESTS':
      return 429;
    case 'SERVICE_UNAVAILABLE':
      return 503;
    case 'REQUEST_REFUSED':
      return null;
  }
}

export const isErrorCode = (code: string): code is ErrorCode =>
  (ERROR_CODES as readonly string[]).includes(code);

/** The status a problem with this code is answered with (null: REQUEST_REFUSED, any other 4xx). */
export function statusOfProblemCode(code: ProblemCode): number | null {
  return isErrorCode(code) ? httpStatusFor(code) : httpLayerStatusFor(code);
}

/** The code of a 4xx the HTTP layer raised itself (Nest's HttpException, Fastify's own errors). */
export function clientErrorCodeFor(status: number): ProblemCode {
  switch (status) {
    case 400:
      return 'MALFORMED_REQUEST';
    case 401:
      return 'AUTHENTICATION_REQUIRED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 408:
      return 'REQUEST_TIMEOUT';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 414:
      return 'URI_TOO_LONG';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 431:
      return 'REQUEST_HEADER_FIELDS_TOO_LARGE';
    case 429:
      return 'TOO_MANY_REQUESTS';
    default:
      return 'REQUEST_REFUSED';
  }
}
