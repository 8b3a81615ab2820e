import { applyDecorators } from '@nestjs/common';
import { ApiResponse, DECORATORS } from '@nestjs/swagger';
import type { HeadersObject } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { PROBLEM_CODES, statusOfProblemCode } from '../errors/error-code';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem-details';
import { PROBLEM_SCHEMA_NAME } from '../errors/problem.schema';

/** The error statuses an operation can declare: those some problem code is answered with. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 414 | 415 | 422 | 429 | 500 | 503;

const RETRY_AFTER: HeadersObject = {
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer', minimum: 0 },
  },
};

function headersFor(status: ProblemStatus): HeadersObject | undefined {
  if (status === 401)
    return {
      'WWW-Authenticate': {
        description: 'The bearer challenge (RFC 6750), when a token is missing or not accepted.',
        schema: { type: 'string' },
      },
    };
  return status === 429 || status === 503 ? RETRY_AFTER : undefined;
}

/** The codes a problem with this status may carry, from the one list of codes. */
export function problemCodesFor(status: ProblemStatus): string[] {
  return PROBLEM_CODES.filter((code) => statusOfProblemCode(code) === status);
}

const describe = (status: ProblemStatus): string =>
  `${STATUS_CODES[status]} (problem+json). Codes this API answers ${status} with: ${problemCodesFor(status).join(', ')}.`;

type ResponseMetadata = Record<string, unknown>;

/**
 * One status, as @ApiResponse records it but replacing, not merging with, what the same target
 * declared for that status before: the same status from ApiAuth and a method's own list stays one
 * entry, and a library's own schema for it (terminus' 503 body) gives way to the problem.
 */
function problemResponse(status: ProblemStatus): MethodDecorator & ClassDecorator {
  const probe = {};
  ApiResponse({
    status,
    description: describe(status),
    headers: headersFor(status),
    content: {
      [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` } },
    },
  })(probe as new () => unknown);
  const entry = (Reflect.getMetadata(DECORATORS.API_RESPONSE, probe) as ResponseMetadata)[status];
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = (descriptor ? descriptor.value : target) as object;
    const declared = Reflect.getMetadata(DECORATORS.API_RESPONSE, holder) as
      ResponseMetadata | undefined;
    Reflect.defineMetadata(DECORATORS.API_RESPONSE, { ...declared, [status]: entry }, holder);
  };
}

/**
 * Declares the problem+json error answers of an operation (or, on a controller, of each of its
 * operations), all with the shared Problem schema. The description of a status is derived from
 * the codes answered with it, so the same status declared on a class and a method agrees.
 */
export const ApiProblemResponses = (
  ...statuses: ProblemStatus[]
): MethodDecorator & ClassDecorator => applyDecorators(...statuses.map(problemResponse));
