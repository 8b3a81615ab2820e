import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Where a request came from, recorded beside every change it makes. */
export interface RequestMeta {
  requestId: string;
  ip: string;
  userAgent?: string;
  /** Set when the request's writes are one import (an OCF package): no notifications for them. */
  via?: 'ocf-import';
}

export function requestMetaOf(request: FastifyRequest): RequestMeta {
  const userAgent = request.headers['user-agent'];
  return { requestId: request.id, ip: request.ip, userAgent: userAgent?.slice(0, 512) };
}

export const ReqMeta = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestMeta =>
  requestMetaOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
