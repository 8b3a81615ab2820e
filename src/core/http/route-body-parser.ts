import type { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/** A media type some routes take that Fastify does not parse by itself. */
export interface RouteBodyType {
  /** The media types (e.g. text/csv), as Fastify matches them. */
  types: string[];
  /** As text or as bytes. */
  parseAs: 'string' | 'buffer';
  /** The routes that take it (Fastify's route patterns, e.g. `/api/companies/:company_id/x`). */
  routes: RegExp;
}

/** As Fastify answers a media type no parser takes (core/errors/problem-details.ts maps it). */
function unsupportedMediaType(): Error {
  return Object.assign(new Error('Unsupported Media Type'), {
    statusCode: 415,
    code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
  });
}

/**
 * Registers Fastify's parser for `body.types` for the routes that take them; any other route still
 * answers those types with 415, as it did without the parser. The parser takes the route's body
 * limit (`@RouteConfig({ bodyLimit })`, route-body-limit.ts), else BODY_LIMIT_BYTES. Called from a
 * module's onModuleInit; nothing happens when the OpenAPI document is built without a server.
 */
export function acceptBodyOnRoutes(adapterHost: HttpAdapterHost, body: RouteBodyType): void {
  const fastify = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
  if (!fastify || body.types.some((type) => fastify.hasContentTypeParser(type))) return;
  fastify.addContentTypeParser(body.types, { parseAs: body.parseAs }, (request, raw, done) => {
    if (body.routes.test(request.routeOptions.url ?? '')) done(null, raw);
    else done(unsupportedMediaType(), undefined);
  });
}
