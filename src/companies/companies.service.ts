import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../core/auth/principal';
import { ForbiddenError } from '../core/auth/auth.errors';
import type { ActionContext } from '../core/http/action-context';
import { CompanyContext } from '../core/tenancy/company-context';
import { CompanyService, PutCompanyDto } from '../issuances';
import { CompanyAccessService } from './company-access.service';
import type { MemberRole } from './company-member.entity';
import type { CompanyMembershipDto, CreatedCompanyDto } from './dto/company-list.dto';

/** The deployment's companies as a caller sees them, and their creation. */
@Injectable()
export class CompaniesService {
  constructor(
    private readonly access: CompanyAccessService,
    private readonly company: CompanyService,
  ) {}

  /** The companies the caller belongs to, with their roles there (a platform admin: all, admin). */
  async mine(principal: Principal): Promise<CompanyMembershipDto[]> {
    if (this.access.isPlatformAdmin(principal)) {
      const all = await this.company.all();
      return all.map((c) => ({ id: c.id, legal_name: c.legal_name, roles: ['admin'] }));
    }
    const rows = await this.access.companiesOf(principal);
    const roles = new Map<string, Set<MemberRole>>();
    for (const row of rows) {
      const set = roles.get(row.company_id) ?? new Set<MemberRole>();
      set.add(row.role);
      roles.set(row.company_id, set);
    }
    const names = await this.company.names([...roles.keys()]);
    return names.map((c) => ({
      id: c.id,
      legal_name: c.legal_name,
      roles: [...(roles.get(c.id) ?? [])].sort(),
    }));
  }

  /** A new company with its details (platform administrators only); its audit chain starts here. */
  async create(dto: PutCompanyDto, context: ActionContext): Promise<CreatedCompanyDto> {
    if (!this.access.isPlatformAdmin(context.principal)) {
      throw new ForbiddenError('Only platform administrators create companies.', [
        'platform admin',
      ]);
    }
    const id = randomUUID();
    await CompanyContext.run(id, () => this.company.create(dto, context));
    return { id };
  }
}
