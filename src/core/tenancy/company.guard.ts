import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticatedRequest, IS_PUBLIC_KEY } from '../auth/auth.decorators';
import { DomainError } from '../errors/domain-error';
import { httpStatusFor } from '../errors/error-code';
import { requestMetaOf } from '../http/request-meta.decorator';
import { SECURITY_EVENTS, SecurityEventRecorder } from '../security/security-events.port';
import type { Principal } from '../auth/principal';
import { COMPANY_ACCESS, CompanyAccess, CompanyAccessGrant } from './company-access.port';
import { CompanyContext } from './company-context';

const ACROSS_COMPANIES_KEY = 'tenancy:across-companies';

/**
 * Marks a route that is about the caller across companies (their list of companies, their
 * holdings everywhere, creating a company): no company is resolved for it, and its roles are the
 * token's realm roles. Its service enters each company itself.
 */
export const AcrossCompanies = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACROSS_COMPANIES_KEY, true);

/** The path parameter that names the company of a route under /api/companies/{company_id}/. */
export const COMPANY_PARAM = 'company_id';

/**
 * Resolves the company of every authenticated request, after authentication and before rate
 * limiting and role checks: the company the path names, or the caller's default company on an
 * unscoped route (CompanyAccess decides, and refuses). From here on the request acts for that
 * company (CompanyContext) and with the caller's roles there (the principal's `roles`).
 */
@Injectable()
export class CompanyGuard implements CanActivate {
  private readonly noCompany = new WeakMap<object, boolean>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(COMPANY_ACCESS) private readonly access: CompanyAccess,
    @Inject(SECURITY_EVENTS) private readonly securityEvents: SecurityEventRecorder,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = request.user;
    if (!principal || this.resolvesNoCompany(context)) return true;
    const params = request.params as Record<string, string | undefined> | undefined;
    const apply = (grant: CompanyAccessGrant): boolean => {
      CompanyContext.resolve(grant.companyId);
      request.user = { ...principal, roles: grant.roles };
      return true;
    };
    let grant: CompanyAccessGrant | Promise<CompanyAccessGrant>;
    try {
      grant = this.access.grant(principal, params?.[COMPANY_PARAM]);
    } catch (error) {
      return this.refused(request, principal, error);
    }
    // Decided from memory (the usual request): no turn of the event loop spent on it.
    if (!(grant instanceof Promise)) return apply(grant);
    return grant.then(apply, (error: unknown) => this.refused(request, principal, error));
  }

  /** Public and across-companies routes, read from their metadata once per handler. */
  private resolvesNoCompany(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let skip = this.noCompany.get(handler);
    if (skip === undefined) {
      const targets = [handler, context.getClass()];
      skip =
        this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) === true ||
        this.reflector.getAllAndOverride<boolean>(ACROSS_COMPANIES_KEY, targets) === true;
      this.noCompany.set(handler, skip);
    }
    return skip;
  }

  /** Another company's ids answer 404, and the attempt goes to the caller's own audit log. */
  private async refused(
    request: AuthenticatedRequest,
    principal: Principal,
    error: unknown,
  ): Promise<never> {
    if (error instanceof DomainError && httpStatusFor(error.code) === 404) {
      const path = request.routeOptions.url ?? request.url.split('?')[0] ?? '/';
      await this.securityEvents.accessDenied(
        principal,
        requestMetaOf(request),
        request.method,
        path,
        [],
      );
    }
    throw error;
  }
}
