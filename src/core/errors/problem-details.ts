import { checkViolation } from '../db/pg-errors';
import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { DomainError, FieldError } from './domain-error';
import { clientErrorCodeFor, httpStatusFor, ProblemCode } from './error-code';

/** RFC 9457 problem details, plus our stable `code` and per-field `errors`. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  /** One of PROBLEM_CODES: a service's ErrorCode, or a code of the HTTP layer itself. */
  code: ProblemCode;
  errors?: FieldError[];
  request_id?: string;
  [extension: string]: unknown;
}

export interface ProblemResponse {
  status: number;
  body: ProblemDetails;
  headers: Record<string, string>;
  /** True when the error was not expected and must be logged with its stack. */
  unexpected: boolean;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const typeFor = (code: ProblemCode): string =>
  `urn:corporate-os:problem:${code.toLowerCase().replace(/_/g, '-')}`;

const titleFor = (status: number): string => STATUS_CODES[status] ?? 'Error';

/** Terminus answers an unhealthy check with its per-component details; keep them. */
function healthChecksOf(exception: HttpException): Record<string, unknown> | undefined {
  const response = exception.getResponse() as { details?: unknown };
  return typeof response === 'object' && response.details
    ? { checks: response.details }
    : undefined;
}

function httpExceptionDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message;
  return exception.message;
}

interface ProblemExtras {
  errors?: FieldError[];
  headers?: Record<string, string>;
  extensions?: Record<string, unknown>;
}

type MakeProblem = (
  status: number,
  code: ProblemCode,
  detail: string,
  extras?: ProblemExtras,
  unexpected?: boolean,
) => ProblemResponse;

/** The problem builder for one request (its instance path and request id). */
function problemFor(instance: string, requestId?: string): MakeProblem {
  return (status, code, detail, extras = {}, unexpected = false) => ({
    status,
    body: {
      type: typeFor(code),
      title: titleFor(status),
      status,
      detail,
      instance,
      code,
      ...(extras.errors ? { errors: extras.errors } : {}),
      ...extras.extensions,
      ...(requestId ? { request_id: requestId } : {}),
    },
    headers: extras.headers ?? {},
    unexpected,
  });
}

/**
 * The 4xx status of an error raised by the HTTP layer itself (Fastify: body too large, unsupported
 * media type, malformed JSON, URL too long), which carries it as `statusCode`.
 */
function clientErrorStatusOf(exception: unknown): number | null {
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

/** A fixed detail per status: the framework's own message may echo the request back. */
function frameworkDetail(status: number): string {
  switch (status) {
    case 400:
      return 'The request body is not valid JSON (or not what its Content-Type says).';
    case 408:
      return 'The request was not received in time; send it again.';
    case 413:
      return 'The request body is larger than the service accepts.';
    case 414:
      return 'The request URL is longer than the service accepts.';
    case 415:
      return 'The request body has a media type this route does not accept.';
    case 431:
      return 'The request headers are larger than the service accepts.';
    default:
      return `The request could not be served (${STATUS_CODES[status] ?? status}).`;
  }
}

/**
 * The problem for a 4xx error of the HTTP layer itself (Fastify, or Node's HTTP server before
 * Fastify sees the request), with a fixed detail unless one is given.
 */
export function httpLayerProblem(
  status: number,
  instance: string,
  requestId?: string,
  detail = frameworkDetail(status),
): ProblemResponse {
  return problemFor(instance, requestId)(status, clientErrorCodeFor(status), detail);
}

/** Turns anything thrown while serving a request into one problem+json answer. */
/** Rules of the schema that keep outstanding shares within the authorized shares on every date. */
const AUTHORIZED_RULES = new Set([
  'ck_share_class_authorized_on_every_date',
  'ck_company_authorized_shares',
]);

export function toProblem(
  exception: unknown,
  instance: string,
  requestId?: string,
): ProblemResponse {
  const make = problemFor(instance, requestId);
  if (exception instanceof DomainError) {
    return make(httpStatusFor(exception.code), exception.code, exception.detail, exception.extras);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === 503) {
      return make(status, 'SERVICE_UNAVAILABLE', httpExceptionDetail(exception), {
        extensions: healthChecksOf(exception),
      });
    }
    if (status >= 500) {
      return make(status, 'INTERNAL_ERROR', 'The server could not complete the request.', {}, true);
    }
    return make(status, clientErrorCodeFor(status), httpExceptionDetail(exception));
  }
  const check = checkViolation(exception);
  if (check && AUTHORIZED_RULES.has(check.constraint)) {
    // The schema's authorized-shares triggers: the message names the day and the figures.
    return make(
      409,
      'AUTHORIZED_SHARES_EXCEEDED',
      `Refused, nothing was written: ${check.message}.`,
      {
        extensions: { constraint: check.constraint },
      },
    );
  }
  if (check) {
    return make(
      422,
      'CHECK_VIOLATED',
      `The request breaks the rule ${check.constraint}; nothing was written.`,
      { extensions: { constraint: check.constraint } },
    );
  }
  const frameworkStatus = clientErrorStatusOf(exception);
  if (frameworkStatus) return httpLayerProblem(frameworkStatus, instance, requestId);
  return make(
    500,
    'INTERNAL_ERROR',
    `The server could not complete the request. Quote request id ${requestId ?? 'unknown'} when reporting it.`,
    {},
    true,
  );
}
