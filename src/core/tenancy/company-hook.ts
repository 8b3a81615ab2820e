import type { FastifyInstance } from 'fastify';
import { CompanyContext } from './company-context';

/**
 * Every request runs in a CompanyContext of its own from its handler on, its company still to be
 * resolved: the company guard resolves it once the caller is known. preHandler, not onRequest: the
 * context must survive body parsing, whose stream callbacks do not carry the request's
 * asynchronous context; the handler and everything it starts run inside `done`.
 */
export function actForCompany(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (request, reply, done) => {
    CompanyContext.forRequest(done);
  });
}
