import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request id of a request: the caller's `x-request-id` when it is a sane token, otherwise a new
 * UUID. The header is rewritten so that every later reader (logger, handlers) sees the same id.
 */
export function requestIdFor(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
  request.headers[REQUEST_ID_HEADER] = id;
  return id;
}
