import type { OpenAPIObject } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem-details';
import { PROBLEM_SCHEMA_NAME } from '../errors/problem.schema';
import { problemCodesFor } from './problem-responses.decorator';

/** Where every company's routes live: /api/companies/{company_id}/… */
export const COMPANY_SCOPE_PREFIX = '/api/companies/{company_id}';

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

type Operation = {
  operationId?: string;
  parameters?: Array<{ name: string; in: string } & Record<string, unknown>>;
  responses: Record<string, unknown>;
  description?: string;
};

const problem = (status: 404 | 409, why: string) => ({
  description: `${STATUS_CODES[status]} (problem+json). ${why} Codes this API answers ${status} with: ${problemCodesFor(status).join(', ')}.`,
  content: {
    [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` } },
  },
});

const COMPANY_ID_PARAMETER = {
  name: 'company_id',
  in: 'path',
  required: true,
  description: 'The company: one the caller is a member of (or any, for a platform administrator).',
  schema: { type: 'string', format: 'uuid' },
};

/**
 * Each controller serves its routes twice: unscoped (the caller's default company) and under
 * /api/companies/{company_id}/. In the document the scoped twin gets its own operationId (suffix
 * `ForCompany`), its company_id parameter, and its 404 for a company the caller may not see; the
 * unscoped one its 409 for a caller of several companies.
 */
export function describeCompanyScopes(document: OpenAPIObject): void {
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const op = (item as Record<string, Operation | undefined>)[method];
      return op ? [{ scoped: path.startsWith(COMPANY_SCOPE_PREFIX), op }] : [];
    }),
  );
  const unscopedIds = new Set(operations.filter((o) => !o.scoped).map((o) => o.op.operationId));
  /** The unscoped operations that have a twin under /api/companies/{company_id}/. */
  const twinned = new Set<string>();
  for (const { op } of operations.filter((o) => o.scoped)) {
    if (op.operationId && unscopedIds.has(op.operationId)) {
      twinned.add(op.operationId);
      op.operationId += 'ForCompany';
    }
    op.parameters ??= [];
    if (!op.parameters.some((p) => p.name === 'company_id' && p.in === 'path'))
      op.parameters.unshift({ ...COMPANY_ID_PARAMETER });
    op.responses['404'] ??= problem(
      404,
      'COMPANY_NOT_FOUND for a company the caller is not a member of (the same as for none).',
    );
  }
  for (const { op } of operations.filter((o) => !o.scoped && twinned.has(o.op.operationId ?? '')))
    op.responses['409'] ??= problem(
      409,
      'COMPANY_REQUIRED when the caller belongs to several companies: call the route under /api/companies/{company_id}/ (company_ids lists them).',
    );
}
