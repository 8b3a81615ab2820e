import type { FastifyInstance } from 'fastify';
import { CompanyContext } from './company-context';
import type { DefaultCompany } from './default-company';

/**
 * Every request acts for a company (CompanyContext) from its handler on: for now the deployment's
 * default company. preHandler, not onRequest: the context must survive body parsing, whose stream
 * callbacks do not carry the request's asynchronous context; the handler and everything it starts
 * run inside `done`.
 */
export function actForCompany(fastify: FastifyInstance, defaultCompany: DefaultCompany): void {
  fastify.addHook('preHandler', (request, reply, done) => {
    const companyId = defaultCompany.cached;
    if (companyId) {
      CompanyContext.run(companyId, done);
      return;
    }
    void resolveThenContinue(defaultCompany, done);
  });
}

/** Before start-up resolved it (it normally has): resolves the default company, then continues. */
async function resolveThenContinue(
  defaultCompany: DefaultCompany,
  done: (error?: Error) => void,
): Promise<void> {
  let companyId: string;
  try {
    companyId = await defaultCompany.id();
  } catch (error) {
    done(error as Error);
    return;
  }
  CompanyContext.run(companyId, done);
}
