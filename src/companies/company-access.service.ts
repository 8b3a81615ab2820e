import { Injectable } from '@nestjs/common';
import { LruMap } from '../core/cache/lru-map';
import { AppConfigService } from '../core/config/app-config.service';
import type { Principal } from '../core/auth/principal';
import { isRole, Role } from '../core/auth/role.enum';
import type { CompanyAccess, CompanyAccessGrant } from '../core/tenancy/company-access.port';
import { CompanyContext, isUuid } from '../core/tenancy/company-context';
import { DefaultCompany } from '../core/tenancy/default-company';
import { CompanyService } from '../issuances';
import { ShareholdersService } from '../shareholders';
import {
  CompanyIdMalformedError,
  CompanyNotFoundError,
  CompanyRequiredError,
  MembershipEndedError,
  NoCompanyError,
} from './companies.errors';
import {
  MemberLookup,
  MembershipRow,
  MembershipsRepository,
} from './persistence/memberships.repository';

interface Cached {
  rows: MembershipRow[];
  until: number;
}

const isLive = (row: MembershipRow, now: number): boolean =>
  row.expires_at === null || row.expires_at.getTime() > now;

const unique = (values: string[]): string[] => [...new Set(values)];

const cacheKeyOf = (who: MemberLookup): string =>
  `${who.sub ?? ''}|${who.clientId ?? ''}|${who.email?.toLowerCase() ?? ''}`;

/** Whom a principal's memberships name: their sub (and verified email), or their client id. */
export function lookupOf(principal: Principal): MemberLookup {
  if (principal.serviceAccount) return { sub: null, clientId: principal.clientId, email: null };
  const email = principal.email && principal.emailVerified ? principal.email : null;
  return { sub: principal.sub, clientId: null, email };
}

/**
 * The membership rules (the CompanyAccess port). A platform administrator (realm role
 * PLATFORM_ADMIN_ROLE) acts as admin in every company, and by default in the deployment's default
 * company. Anyone else acts only where a live membership names them, with its role, or where they
 * are a holder of record (linked by sub, or by their verified email), as a shareholder; an email
 * invitation binds to the first user who logs in with that verified email. A caller with no
 * company at all acts in the default company with no role. A principal's
 * memberships are cached for ACCESS_TOKEN_CACHE_SECONDS, like verified tokens, so a change takes
 * effect on other instances within that time (at once on this one).
 */
@Injectable()
export class CompanyAccessService implements CompanyAccess {
  private readonly cache = new LruMap<string, Cached>(10_000);

  constructor(
    private readonly repository: MembershipsRepository,
    private readonly config: AppConfigService,
    private readonly defaultCompany: DefaultCompany,
    private readonly companies: CompanyService,
    private readonly shareholders: ShareholdersService,
  ) {}

  isPlatformAdmin(principal: Principal): boolean {
    return principal.realmRoles.includes(this.config.get('PLATFORM_ADMIN_ROLE'));
  }

  /**
   * Answered from memory, without a promise, when it can be (the usual request: a platform
   * administrator on an unscoped route, or a caller whose memberships are cached and bound);
   * else after reading the memberships.
   */
  grant(
    principal: Principal,
    requested: string | undefined,
  ): CompanyAccessGrant | Promise<CompanyAccessGrant> {
    if (requested !== undefined && !isUuid(requested)) throw new CompanyIdMalformedError();
    const wanted = requested?.toLowerCase();
    const defaultId = this.defaultCompany.cached;
    if (this.isPlatformAdmin(principal)) {
      if (!wanted && defaultId) return { companyId: defaultId, roles: [Role.Admin] };
      return this.platformGrant(wanted);
    }
    const cached = this.cachedMemberships(principal);
    if (cached && defaultId) {
      const decision = this.decide(cached, wanted, defaultId);
      if (decision.unbound.length === 0) return decision.grant;
    }
    return this.grantAfterReading(principal, wanted);
  }

  private async platformGrant(wanted: string | undefined): Promise<CompanyAccessGrant> {
    if (wanted && !(await this.companies.isCompany(wanted))) throw new CompanyNotFoundError();
    return { companyId: wanted ?? (await this.defaultCompany.id()), roles: [Role.Admin] };
  }

  private async grantAfterReading(
    principal: Principal,
    wanted: string | undefined,
  ): Promise<CompanyAccessGrant> {
    const memberships = await this.membershipsOf(principal);
    const decision = this.decide(memberships, wanted, await this.defaultCompany.id());
    await this.bindInvitations(principal, decision.unbound);
    return decision.grant;
  }

  /** The grant the memberships give (or the problem they answer), and invitations to bind. */
  private decide(
    memberships: MembershipRow[],
    wanted: string | undefined,
    defaultId: string,
  ): { grant: CompanyAccessGrant; unbound: MembershipRow[] } {
    if (!wanted && memberships.length === 0) {
      // No company of their own: the default company, with no role there (they see nothing
      // that is not linked to them, which is nothing), as a stranger to a single company did.
      return { grant: { companyId: defaultId, roles: [] }, unbound: [] };
    }
    const companyId = wanted ?? this.defaultOf(memberships);
    const mine = memberships.filter((row) => row.company_id === companyId);
    if (mine.length === 0) throw new CompanyNotFoundError();
    const now = Date.now();
    const live = mine.filter((row) => isLive(row, now));
    if (live.length === 0) {
      const ended = Math.max(...mine.map((row) => row.expires_at?.getTime() ?? now));
      throw new MembershipEndedError(new Date(ended));
    }
    const roles = unique(live.map((row) => row.role)).filter(isRole);
    return { grant: { companyId, roles }, unbound: live.filter((row) => !row.bound) };
  }

  async homeCompanies(principal: Principal | undefined): Promise<string[]> {
    if (!principal || this.isPlatformAdmin(principal)) return [await this.defaultCompany.id()];
    return unique((await this.companiesOf(principal)).map((row) => row.company_id));
  }

  /** The companies the principal has a live membership in (cached, like grant). */
  async companiesOf(principal: Principal): Promise<MembershipRow[]> {
    const now = Date.now();
    return (await this.membershipsOf(principal)).filter((row) => isLive(row, now));
  }

  /** Forgets every cached membership (this instance): after a change of membership here. */
  forget(): void {
    this.cache.clear();
  }

  /** An unscoped route's company: the one company the principal is a (live) member of. */
  private defaultOf(memberships: MembershipRow[]): string {
    const now = Date.now();
    const live = unique(memberships.filter((row) => isLive(row, now)).map((row) => row.company_id));
    if (live.length > 1) throw new CompanyRequiredError(live);
    const any = unique(memberships.map((row) => row.company_id));
    const companyId = live[0] ?? (any.length === 1 ? any[0] : undefined);
    if (!companyId) throw any.length > 1 ? new CompanyRequiredError(any) : new NoCompanyError();
    return companyId;
  }

  private cachedMemberships(principal: Principal): MembershipRow[] | undefined {
    const cached = this.cache.get(cacheKeyOf(lookupOf(principal)));
    return cached && cached.until > Date.now() ? cached.rows : undefined;
  }

  private async membershipsOf(principal: Principal): Promise<MembershipRow[]> {
    const cached = this.cachedMemberships(principal);
    if (cached) return cached;
    const who = lookupOf(principal);
    const key = cacheKeyOf(who);
    const ttlMs = this.config.get('ACCESS_TOKEN_CACHE_SECONDS') * 1000;
    const [explicit, holderOf] = await Promise.all([
      this.repository.membershipsOf(who),
      principal.serviceAccount
        ? Promise.resolve([])
        : this.shareholders.companiesHolding(who.sub, who.email),
    ]);
    // A holder of record acts as a shareholder there (their own rows only), member or not.
    const rows = [
      ...explicit,
      ...holderOf.map((companyId) => ({
        company_id: companyId,
        id: '',
        role: 'shareholder' as const,
        expires_at: null,
        bound: true,
      })),
    ];
    this.cache.set(key, { rows, until: Date.now() + ttlMs });
    return rows;
  }

  /** Invitations of the principal's verified email become theirs (their sub is recorded). */
  private async bindInvitations(principal: Principal, unbound: MembershipRow[]): Promise<void> {
    if (unbound.length === 0 || principal.serviceAccount) return;
    for (const row of unbound) {
      await CompanyContext.run(row.company_id, () => this.repository.bind(row.id, principal.sub));
    }
    this.forget();
  }
}
