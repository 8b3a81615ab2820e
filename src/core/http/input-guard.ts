import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error';
import { inputOffence, InputOffence } from './input-text';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

function invalid(offence: InputOffence): DomainError {
  return new DomainError(
    'VALIDATION_FAILED',
    `The request is invalid. ${offence.field}: ${offence.message}`,
    { errors: [{ field: offence.field, messages: [offence.message] }] },
  );
}

/** A JSON body must be an object: no route takes an array, a string, a number or null. */
function bodyShapeOffence(request: FastifyRequest): InputOffence | null {
  if (!JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? '')) return null;
  const { body } = request;
  if (body === undefined) return null;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) return null;
  return { field: 'body', message: 'must be a JSON object' };
}

function offenceOf(request: FastifyRequest): InputOffence | null {
  const shape = bodyShapeOffence(request);
  if (shape) return shape;
  const inBody = inputOffence(request.body);
  if (inBody) return { ...inBody, field: inBody.field || 'body' };
  const inQuery = inputOffence(request.query);
  return inQuery ? { ...inQuery, field: inQuery.field || 'query' } : null;
}

/**
 * Applies the request text rule (input-text.ts) and the body shape rule to every route, after the
 * body is parsed and before anything else (authentication, validation, the handler) reads it: a
 * 400 problem naming the field, and nothing is written.
 */
export function refuseMalformedInput(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    const offence = offenceOf(request);
    done(offence ? invalid(offence) : undefined);
  });
}
