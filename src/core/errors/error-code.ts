/**
 * Every stable error code the API answers with: the single list the runtime, the OpenAPI
 * `Problem` schema and the tests read.
 *
 * `ERROR_CODES` are the codes a service may throw (as a DomainError); each has one HTTP status in
 * an exhaustive switch, so adding a code without deciding its status does not compile.
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
  'CERTIFICATE_NOT_FOUND',
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
    case 'CERTIFICATE_NOT_FOUND':
    case 'COMPANY_NOT_FOUND':
    case 'MEMBER_NOT_FOUND':
      return 404;
    case 'METHOD_NOT_ALLOWED':
      return 405;
    case 'CONFLICT':
    case 'SHAREHOLDER_EMAIL_TAKEN':
    case 'SHAREHOLDER_USER_TAKEN':
    case 'SHARE_CLASS_NAME_TAKEN':
    case 'SHARE_CLASS_PREFIX_TAKEN':
    case 'AUTHORIZED_SHARES_EXCEEDED':
    case 'AUTHORIZED_BELOW_ISSUED':
    case 'COMMON_CLASS_MISSING':
    case 'COMPANY_NOT_CONFIGURED':
    case 'CERTIFICATE_VOID':
    case 'CERTIFICATE_SUPERSEDED':
    case 'AUDIT_CHAIN_BROKEN':
    case 'COMPANY_REQUIRED':
    case 'MEMBER_TAKEN':
    case 'LAST_ADMIN':
      return 409;
    case 'IDEMPOTENCY_KEY_REUSED':
    case 'CHECK_VIOLATED':
      return 422;
    case 'INTERNAL_ERROR':
      return 500;
    case 'IDENTITY_PROVIDER_UNAVAILABLE':
    case 'SIGNING_KEYS_UNAVAILABLE':
    case 'SHUTTING_DOWN':
    case 'CERTIFICATE_RENDER_BUSY':
    case 'CERTIFICATE_RENDER_FAILED':
      return 503;
  }
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
