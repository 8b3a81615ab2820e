import { ArgumentsHost, Catch, ExceptionFilter, Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { ForbiddenError } from '../auth/auth.errors';
import { requestMetaOf } from '../http/request-meta.decorator';
import { SECURITY_EVENTS, SecurityEventRecorder } from '../security/security-events.port';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem-details';

/**
 * Renders every error as RFC 9457 problem+json; unknown errors become a generic 500. A 403 to an
 * authenticated caller is recorded as an access.denied event before the answer goes out.
 */
@Catch()
@Injectable()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(@Inject(SECURITY_EVENTS) private readonly securityEvents: SecurityEventRecorder) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const reply = http.getResponse<FastifyReply>();
    void this.recordDenial(exception, request).finally(() =>
      sendProblem(exception, request, reply, this.logger),
    );
  }

  private async recordDenial(exception: unknown, request: AuthenticatedRequest): Promise<void> {
    if (!(exception instanceof ForbiddenError) || !request.user) return;
    const path = request.routeOptions.url ?? request.url.split('?')[0] ?? '/';
    await this.securityEvents.accessDenied(
      request.user,
      requestMetaOf(request),
      request.method,
      path,
      exception.requiredRoles,
    );
  }
}

/** Paths longer than this are not echoed back (they may be an attack on the client reading them). */
const MAX_INSTANCE_LENGTH = 200;

/** The problem's `instance`: the request path, or for an over-long one its first segment. */
export function instanceOf(url: string): string {
  const path = url.split('?')[0] ?? '/';
  if (path.length <= MAX_INSTANCE_LENGTH && !path.split('/').some((part) => part.length > 100))
    return path;
  const [, first] = path.split('/');
  return first && first.length <= 100 ? `/${first}/` : '/';
}

export function sendProblem(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Pick<Logger, 'error'>,
): void {
  const problem = toProblem(exception, instanceOf(request.url), request.id);
  if (problem.unexpected) {
    logger.error(
      { err: exception, requestId: request.id },
      'Unhandled error while serving request',
    );
  }
  if (reply.sent) return;
  if (problem.status === 429 && !reply.hasHeader('retry-after')) {
    // @nestjs/throttler suffixes the header with the throttler's name (Retry-After-login).
    const named = Object.entries(reply.getHeaders()).find(([name]) =>
      name.startsWith('retry-after-'),
    );
    if (named) void reply.header('retry-after', String(named[1]));
  }
  void reply
    .status(problem.status)
    .headers(problem.headers)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(problem.body);
}
