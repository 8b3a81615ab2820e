import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors/domain-error';

/**
 * While the server closes (on SIGTERM: no new connections, in-flight requests finish, then the
 * outbox drains), a request that still arrives on an open connection gets 503 problem+json with
 * Retry-After, so the client retries it on another instance; and every answer given meanwhile says
 * `connection: close`, so no keep-alive connection holds the close up. Connections still open after
 * `graceMs` are cut: once the server closes, Node no longer enforces request deadlines, and a
 * stalled or silent client would hold the close up for ever.
 *
 * Fastify's own 503 (return503OnClosing, switched off in createAdapter) is plain JSON without the
 * request id or the security headers; this onRequest hook runs after the security headers' hook.
 */
export function answerWhileClosing(fastify: FastifyInstance, graceMs: number): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    setTimeout(() => fastify.server.closeAllConnections(), graceMs).unref();
    done();
  });
  fastify.addHook('onRequest', (_request, _reply, done) => {
    if (!closing) return done();
    done(
      new DomainError('SHUTTING_DOWN', 'This instance is shutting down; send the request again.', {
        headers: { 'retry-after': '1' },
      }),
    );
  });
  fastify.addHook('onSend', async (_request, reply) => {
    if (closing) void reply.header('connection', 'close');
  });
}
