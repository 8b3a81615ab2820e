import { isRole, Role } from './role.enum';

/** Who is calling: a person logged in through Keycloak, or a service account (client credentials). */
export interface Principal {
  sub: string;
  username: string;
  email?: string;
  emailVerified: boolean;
  /** Every realm role of the token (the platform-administrator role among them, if any). */
  realmRoles: string[];
  /**
   * The roles this request acts with: the token's realm roles until the company is resolved, then
   * the principal's role in that company (CompanyGuard).
   */
  roles: Role[];
  /** The OAuth client the token was issued to (`azp`). */
  clientId: string;
  serviceAccount: boolean;
  /** Name recorded as the actor of an action: the username, or the client id of a service account. */
  actorName: string;
}

/** The claims of a Keycloak access token that we rely on. */
export interface AccessTokenClaims {
  sub?: unknown;
  typ?: unknown;
  exp?: unknown;
  azp?: unknown;
  client_id?: unknown;
  preferred_username?: unknown;
  email?: unknown;
  email_verified?: unknown;
  realm_access?: { roles?: unknown };
}

const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

export function principalFromClaims(claims: AccessTokenClaims): Principal {
  const sub = asString(claims.sub);
  if (!sub) throw new Error('access token has no subject');
  const clientId = asString(claims.azp) ?? asString(claims.client_id) ?? '';
  const username = asString(claims.preferred_username) ?? sub;
  const serviceAccount =
    asString(claims.client_id) !== undefined || username === `service-account-${clientId}`;
  const rawRoles = claims.realm_access?.roles;
  const realmRoles = Array.isArray(rawRoles)
    ? [...new Set(rawRoles.filter((role): role is string => typeof role === 'string'))]
    : [];
  const roles = realmRoles.filter(isRole);
  return {
    realmRoles,
    sub,
    username,
    email: asString(claims.email),
    emailVerified: claims.email_verified === true,
    roles: [...new Set(roles)],
    clientId,
    serviceAccount,
    actorName: serviceAccount ? clientId : username,
  };
}

export function hasAnyRole(principal: Principal, roles: readonly Role[]): boolean {
  return roles.some((role) => principal.roles.includes(role));
}
