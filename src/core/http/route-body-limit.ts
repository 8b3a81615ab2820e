import type { FastifyInstance } from 'fastify';

/**
 * Lets a route raise its own body limit above BODY_LIMIT_BYTES: a handler declares
 * `@RouteConfig({ bodyLimit })` (an import that takes a whole package), every other route keeps
 * the global limit. Must be installed before the routes are registered (configureApp runs before
 * the application is initialised).
 */
export function allowRouteBodyLimits(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const config: { bodyLimit?: unknown } | undefined = route.config;
    const wanted = config?.bodyLimit;
    if (typeof wanted === 'number' && wanted > 0) route.bodyLimit = wanted;
  });
}
