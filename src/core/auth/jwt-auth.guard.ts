import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError } from '../errors/domain-error';
import { IS_PUBLIC_KEY } from './auth.decorators';
import { AuthenticationRequiredError, UntrustedTokenError } from './auth.errors';
import type { Principal } from './principal';

function describe(info: unknown): string {
  if (info instanceof UntrustedTokenError) return `The token is not trusted: ${info.message}.`;
  if (info instanceof Error) {
    switch (info.name) {
      case 'TokenExpiredError':
        return 'The access token has expired.';
      case 'NotBeforeError':
        return 'The access token is not valid yet.';
      case 'JsonWebTokenError':
        return `The access token is invalid: ${info.message}.`;
      default:
        if (info.message === 'No auth token') {
          return 'A bearer access token is required in the Authorization header.';
        }
    }
  }
  return 'A valid bearer access token is required in the Authorization header.';
}

/** Global guard: every route needs a valid access token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    return super.canActivate(context);
  }

  override handleRequest<TUser = Principal>(error: unknown, user: unknown, info: unknown): TUser {
    if (error instanceof DomainError) throw error;
    if (info instanceof DomainError) throw info;
    if (error || !user) throw new AuthenticationRequiredError(describe(error ?? info));
    return user as TUser;
  }
}
