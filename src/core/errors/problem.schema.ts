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
      description:
        'VALIDATION_FAILED: each offending field with its messages. A CSV import also names each offending row and column (`row`, `column`, `message`, `code`), with any code. An OCF import (OCF_PACKAGE_INVALID, OCF_UNSUPPORTED_OBJECTS) names each finding by `file`, `pointer` (a JSON pointer into that file), the object `id` and a plain `message`; its `field` is `<file>#<pointer>`.',
      items: {
        type: 'object',
        required: ['field', 'messages'],
        properties: {
          field: {
            type: 'string',
            description:
              'Dotted path of the field as the client sent it (a CSV import: the column, or `row`).',
            example: 'number_of_shares',
          },
          messages: {
            type: 'array',
            items: { type: 'string' },
            example: ['number_of_shares must be a positive whole number'],
          },
          row: {
            type: 'integer',
            description: 'CSV imports: the row of the file, the header row being row 1.',
            example: 2,
          },
          column: {
            type: 'string',
            nullable: true,
            description: 'CSV imports: the column, or null when the whole row is wrong.',
            example: 'number_of_shares',
          },
          file: {
            type: 'string',
            description: 'OCF imports: the file of the package the finding is in.',
            example: 'Transactions.ocf.json',
          },
          pointer: {
            type: 'string',
            description: 'OCF imports: a JSON pointer (RFC 6901) into that file.',
            example: '/items/12/quantity',
          },
          id: {
            type: 'string',
            description: 'OCF imports: the OCF id of the object the finding is about.',
            example: 'tx-transfer-1',
          },
          message: {
            type: 'string',
            description: 'CSV imports: the first rule the cell breaks. OCF imports: the finding.',
            example: 'number_of_shares must be an integer number',
          },
          code: {
            type: 'string',
            description: 'CSV imports: VALIDATION_FAILED, or the code the row was refused with.',
            example: 'VALIDATION_FAILED',
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
