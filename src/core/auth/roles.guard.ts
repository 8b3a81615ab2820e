import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticatedRequest, IS_PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { ForbiddenError } from './auth.errors';
import { hasAnyRole } from './principal';
import type { Role } from './role.enum';

/**
 * Checks @Roles() metadata, handler first. A route without @Roles() is open to any authenticated
 * principal; row-level rules ("only my own holdings") live in the services.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!required || required.length === 0) return true;
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (principal && hasAnyRole(principal, required)) return true;
    throw new ForbiddenError(
      `This action requires one of the roles: ${required.join(', ')}.`,
      required,
    );
  }
}
