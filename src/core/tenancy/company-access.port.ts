import type { Principal } from '../auth/principal';
import type { Role } from '../auth/role.enum';

/** The company a request acts in, and the caller's roles there. */
export interface CompanyAccessGrant {
  companyId: string;
  roles: Role[];
}

/**
 * Which company a principal may act in, and as what: memberships kept by the service, and the
 * platform-administrator rule. Core declares the port (the company guard and the security events
 * use it); the companies module provides it.
 */
export interface CompanyAccess {
  /**
   * The grant for a request to `requested` (a route under /api/companies/{company_id}/), or for an
   * unscoped route (`requested` undefined: the caller's default company). Throws the problem to
   * answer otherwise: 400 for a malformed id, 404 for a company the caller is not a member of
   * (never 403: ids cannot be probed), 403 for a membership that has ended, 409 when an unscoped
   * route could mean several companies. Answers without a promise when it can decide from
   * memory (the usual request), so the request does not wait a turn for it.
   */
  grant(
    principal: Principal,
    requested: string | undefined,
  ): CompanyAccessGrant | Promise<CompanyAccessGrant>;

  /**
   * Where to record a security event of a principal outside any resolved company: their own
   * companies (for a platform administrator, the default company); none when they have none.
   * Without a principal (a failed login): the deployment's default company.
   */
  homeCompanies(principal: Principal | undefined): Promise<string[]>;
}

/** The injection token of the CompanyAccess port. */
export const COMPANY_ACCESS = Symbol('CompanyAccess');
