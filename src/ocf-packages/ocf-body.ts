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
import type { ImportBody } from './import/ocf-import.service';

/** The largest package an import takes, as a zip or as one JSON document. */
export const OCF_IMPORT_BODY_LIMIT_BYTES = 64 * 1024 * 1024;

const ZIP_TYPES = ['application/zip', 'application/x-zip-compressed'];
/** The import routes, unscoped and under /api/companies/:company_id/ (Fastify's route patterns). */
const IMPORT_ROUTE = /\/ocf\/import$/;

/**
 * Registers Fastify's parser for zip archives (as bytes) on the OCF import routes (their body limit
 * is their route's); any other route still answers a zip body with 415.
 */
@Injectable()
export class OcfBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    acceptBodyOnRoutes(this.adapterHost, {
      types: ZIP_TYPES,
      parseAs: 'buffer',
      routes: IMPORT_ROUTE,
    });
  }
}

/** The package of the request: a zip's bytes, or a JSON document (as parsed, and re-serialized). */
export const OcfBody = createParamDecorator((_: unknown, ctx: ExecutionContext): ImportBody => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (ZIP_TYPES.includes(type) && Buffer.isBuffer(request.body)) return { zip: request.body };
  if (type === 'application/json' && request.body && typeof request.body === 'object')
    return { json: request.body, raw: JSON.stringify(request.body) };
  throw new UnsupportedMediaTypeException(
    'Send the package as application/zip (a .ocf.zip) or application/json (the single-document form).',
  );
});
