import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import type { ActionContext } from './action-context';
import { requestMetaOf } from './request-meta.decorator';

/** The principal and request metadata of the current request, for services that record changes. */
export const Action = createParamDecorator((_: unknown, ctx: ExecutionContext): ActionContext => {
  const request = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.user) throw new Error('Action used on a route without authentication');
  return { principal: request.user, meta: requestMetaOf(request) };
});
