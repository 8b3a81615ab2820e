import {
  createParamDecorator,
  ExecutionContext,
  Injectable,
  OnModuleInit,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { acceptBodyOnRoutes } from '../core/http/route-body-parser';

/**
 * The largest body the import routes take (their own route limit, core/http/route-body-limit.ts):
 * 10,000 rows of long names, addresses and emails fit. Every other route keeps BODY_LIMIT_BYTES.
 */
export const IMPORT_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/** text/csv, in UTF-8 (the default; any other charset given is refused). */
const CSV_MEDIA_TYPE = /^text\/csv\s*(;\s*charset="?utf-?8"?\s*)?$/i;
/** The import routes, unscoped and under /api/companies/:company_id/ (Fastify's route patterns). */
const IMPORT_ROUTE = /\/imports\/(shareholders|issuances)$/;

/**
 * Registers Fastify's parser for text/csv (as text, UTF-8) for the import routes; any other route
 * still answers text/csv with 415, as it did without the parser. The parser takes the route's body
 * limit (the import routes raise theirs), else BODY_LIMIT_BYTES.
 */
@Injectable()
export class CsvBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    acceptBodyOnRoutes(this.adapterHost, {
      types: ['text/csv'],
      parseAs: 'string',
      routes: IMPORT_ROUTE,
    });
  }
}

/**
 * The CSV text of the request: a text/csv body, or 415 for any other media type (a JSON body
 * reaches the handler parsed, and is refused here, after authentication and the company check).
 */
export const CsvBody = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const type = request.headers['content-type'] ?? '';
  if (CSV_MEDIA_TYPE.test(type) && typeof request.body === 'string') return request.body;
  throw new UnsupportedMediaTypeException(
    'Send the file as text/csv (UTF-8), its first row the header row.',
  );
});
