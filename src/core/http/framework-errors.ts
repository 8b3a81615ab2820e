import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { instanceOf, sendProblem } from '../errors/problem-details.filter';
import { httpLayerProblem, PROBLEM_CONTENT_TYPE } from '../errors/problem-details';
import { REQUEST_ID_HEADER } from './request-id';

type Middleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

interface FrameworkErrorContext {
  securityHeaders?: Middleware;
  logger: { error: (...args: unknown[]) => void };
}

const context: FrameworkErrorContext & { staticHeaders: Record<string, string> } = {
  logger: console,
  staticHeaders: {},
};

/** The headers a middleware sets on every response, captured once (helmet's are fixed). */
function headersSetBy(middleware: Middleware): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  const request = { headers: {} } as IncomingMessage;
  middleware(request, response as unknown as ServerResponse, () => undefined);
  return headers;
}

/** Set once the app is configured: the security headers and logger the answers below use. */
export function configureFrameworkErrors(next: FrameworkErrorContext): void {
  Object.assign(context, next);
  context.staticHeaders = next.securityHeaders ? headersSetBy(next.securityHeaders) : {};
}

/**
 * Fastify's `frameworkErrors`: errors raised while routing (a URL segment over the router's
 * length limit: 414; a malformed URL: 400), before any hook or Nest handler runs. They get the same
 * problem+json, request id and security headers as every other answer.
 */
export function answerFrameworkError(
  error: Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  void reply.header(REQUEST_ID_HEADER, request.id);
  const send = () => sendProblem(error, request, reply, context.logger);
  if (!context.securityHeaders) return send();
  context.securityHeaders(request.raw, reply.raw, send);
}

const CLIENT_ERROR_DETAIL = 'The request is not valid HTTP.';

/** The status for an error Node's HTTP server raised while reading a request. */
function clientErrorStatus(code: string | undefined): number {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  return 400;
}

/** A whole problem+json response, written straight to the socket (there is no reply object). */
function rawProblemResponse(status: number, request: IncomingMessage | undefined): string {
  const given = request?.headers[REQUEST_ID_HEADER];
  const requestId = typeof given === 'string' ? given : randomUUID();
  const instance = request?.url ? instanceOf(request.url) : '/';
  const detail = status === 400 ? CLIENT_ERROR_DETAIL : undefined;
  const body = JSON.stringify(httpLayerProblem(status, instance, requestId, detail).body);
  const headers = {
    ...context.staticHeaders,
    [REQUEST_ID_HEADER]: requestId,
    'content-type': `${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join('\r\n')}\r\n\r\n${body}`;
}

/**
 * Fastify's `clientErrorHandler`: errors of Node's HTTP server while it reads a request, before
 * Fastify routes it (a request not received within REQUEST_TIMEOUT_MS: 408; headers over the size
 * limit: 431; malformed HTTP: 400). The connection cannot be trusted any further, so the answer
 * says `connection: close` and the socket is closed. Fastify's default answers plain JSON
 * without the request id or the security headers.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Like Node's own handler: never write into a response that has already begun.
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    socket.write(rawProblemResponse(clientErrorStatus(error.code), inFlight?.req));
  }
  socket.destroy(error);
}
