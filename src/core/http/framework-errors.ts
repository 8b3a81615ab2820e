import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendProblem } from '../errors/problem-details.filter';
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

const context: FrameworkErrorContext = { logger: console };

/** Set once the app is configured: the security headers and logger the answers below use. */
export function configureFrameworkErrors(next: FrameworkErrorContext): void {
  Object.assign(context, next);
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
