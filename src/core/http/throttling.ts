import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { CompanyContext } from '../tenancy/company-context';
import { ThrottlerGuard, ThrottlerModuleOptions } from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import type { AppConfigService } from '../config/app-config.service';
import { SlidingWindowThrottlerStorage } from './sliding-window-storage';

const LOGIN_ROUTE = 'throttle:login-route';

/** Marks the password login route, which the stricter `login` throttler counts per IP. */
export const LoginRoute = (): MethodDecorator => SetMetadata(LOGIN_ROUTE, true);

const isLoginRoute = (context: ExecutionContext): boolean =>
  Reflect.getMetadata(LOGIN_ROUTE, context.getHandler()) === true;

export function throttlerOptions(config: AppConfigService): ThrottlerModuleOptions {
  return {
    errorMessage: 'Too many requests: slow down and retry after the time given in Retry-After.',
    storage: new SlidingWindowThrottlerStorage(),
    throttlers: [
      { name: 'default', ttl: config.get('THROTTLE_TTL_MS'), limit: config.get('THROTTLE_LIMIT') },
      {
        name: 'login',
        ttl: config.get('THROTTLE_TTL_MS'),
        limit: config.get('THROTTLE_LOGIN_LIMIT'),
        skipIf: (context) => !isLoginRoute(context),
      },
    ],
  };
}

/**
 * Counts requests per principal (token `sub`) and company once authenticated, and per client IP
 * otherwise: one
 * budget across all routes (the library would count per route). Limits are per instance.
 */
@Injectable()
export class PrincipalThrottlerGuard extends ThrottlerGuard {
  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }

  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const { user, ip } = request as unknown as AuthenticatedRequest;
    // Per principal per company: one company's traffic never spends another company's budget.
    const company = CompanyContext.current() ?? '-';
    return Promise.resolve(user ? `sub:${user.sub}:${company}` : `ip:${ip}`);
  }
}
