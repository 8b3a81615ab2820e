import { ErrorCode } from './error-code';

export interface FieldError {
  /** Dotted path of the offending field as the client sent it, e.g. `number_of_shares`. */
  field: string;
  messages: string[];
}

/**
 * Base of every error a service throws on purpose. Services never throw HttpException: the
 * global problem-details filter maps the code to a status.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extras: {
      errors?: FieldError[];
      headers?: Record<string, string>;
      /** Extra problem members (RFC 9457 extensions), e.g. the current figures behind a conflict. */
      extensions?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(detail, { cause: extras.cause });
    this.name = new.target.name;
  }
}
