import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors/domain-error';

interface KnownRoute {
  method: string;
  pattern: RegExp;
}

const REGEX_SPECIALS = /[.*+?^${}()|[\]\\]/g;

/**
 * The concrete paths a route URL (`/api/shareholders/:id`, `/docs/*`) serves. A trailing slash is
 * optional, as the router ignores it.
 */
export function routePattern(url: string): RegExp {
  const source = url
    .replace(/\/+$/, '')
    .split(/(:\w+|\*)/)
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(REGEX_SPECIALS, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}/?$`);
}

/** The methods the known routes serve for a path, sorted; empty when no route has the path. */
export function allowedMethods(routes: readonly KnownRoute[], url: string): string[] {
  const path = url.split('?')[0] ?? '/';
  const methods = routes.filter((route) => route.pattern.test(path)).map((route) => route.method);
  return [...new Set(methods)].sort();
}

/**
 * A request whose path a route serves, but not with its method, gets 405 with an `Allow` header
 * (RFC 9110 §15.5.6) instead of the router's 404: the problem+json of every other answer, before
 * the body is read and before authentication. Paths no route serves stay 404.
 *
 * The router has no "which methods serve this path" lookup, so the routes are collected as they
 * are registered. The catch-all OPTIONS route of CORS preflight answers every path and is left out.
 */
export function answerUnsupportedMethods(fastify: FastifyInstance): void {
  const routes: KnownRoute[] = [];
  fastify.addHook('onRoute', (route) => {
    if (route.url === '*' || route.url === '/*') return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method, pattern: routePattern(route.url) });
  });
  // preParsing: after every onRequest hook (security headers, CORS), before the body is read.
  fastify.addHook('preParsing', (request, _reply, _payload, done) => {
    if (!request.is404) return done();
    const allowed = allowedMethods(routes, request.url);
    if (allowed.length === 0) return done();
    const allow = allowed.join(', ');
    done(
      new DomainError(
        'METHOD_NOT_ALLOWED',
        `${request.method} is not supported on this path; it allows ${allow}.`,
        { headers: { allow } },
      ),
    );
  });
}
