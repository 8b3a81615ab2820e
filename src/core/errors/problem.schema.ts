import type { SchemaObject } from '@nestjs/swagger';
import { PROBLEM_CODES } from './error-code';

export const PROBLEM_SCHEMA_NAME = 'Problem';

/**
 * The one problem+json shape every error answer has (RFC 9457 plus this service's members), as
 * toProblem builds it. Codes come from PROBLEM_CODES, so the document cannot list a code the
 * service does not know, nor miss one it answers with.
 */
export const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  description:
    'An RFC 9457 problem. `code` is stable and meant for programs; `detail` is for people and may change. Some problems carry more members (RFC 9457 extensions), e.g. the figures behind AUTHORIZED_SHARES_EXCEEDED.',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
  properties: {
    type: {
      type: 'string',
      format: 'uri',
      description: 'A URN naming the problem type, derived from `code`.',
      example: 'urn:corporate-os:problem:shareholder-not-found',
    },
    title: {
      type: 'string',
      description: 'The HTTP reason phrase of `status`.',
      example: 'Not Found',
    },
    status: { type: 'integer', minimum: 400, maximum: 599, example: 404 },
    detail: {
      type: 'string',
      example: 'Shareholder 0b7e8f5c-4c1e-4d0a-9d6e-2f1a3b4c5d6e does not exist.',
    },
    instance: {
      type: 'string',
      description: 'The request path (only its first segment when the path is very long).',
      example: '/api/shareholders/0b7e8f5c-4c1e-4d0a-9d6e-2f1a3b4c5d6e',
    },
    code: {
      type: 'string',
      enum: [...PROBLEM_CODES],
      description:
        'REQUEST_REFUSED stands for any other 4xx the HTTP layer raises, with that status.',
      example: 'SHAREHOLDER_NOT_FOUND',
    },
    errors: {
      type: 'array',
      description: 'VALIDATION_FAILED only: each offending field with its messages.',
      items: {
        type: 'object',
        required: ['field', 'messages'],
        properties: {
          field: {
            type: 'string',
            description: 'Dotted path of the field as the client sent it.',
            example: 'number_of_shares',
          },
          messages: {
            type: 'array',
            items: { type: 'string' },
            example: ['number_of_shares must be a positive whole number'],
          },
        },
      },
    },
    request_id: {
      type: 'string',
      description: 'The request id, also in the X-Request-Id header; quote it when reporting.',
      example: '5b0f6a1e-8c2d-4f3a-9e7b-1c2d3e4f5a6b',
    },
    constraint: {
      type: 'string',
      description: 'CHECK_VIOLATED only: the database rule the request breaks.',
      example: 'ck_issuance_currency',
    },
    checks: {
      type: 'object',
      additionalProperties: true,
      description: 'SERVICE_UNAVAILABLE from /health/ready only: the state of each check.',
    },
  },
  additionalProperties: true,
};
