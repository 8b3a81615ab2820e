import { Injectable } from '@nestjs/common';
import type { Principal } from '../core/auth/principal';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { todayUtc } from '../core/http/validators';
import { CompanyContext } from '../core/tenancy/company-context';
import { CapTableService, CompanyService } from '../issuances';
import { CompanyAccessService } from './company-access.service';
import type { MyCompanyHoldingsDto } from './dto/my-holdings.dto';

/**
 * The investor's view across companies: in every company where the caller has a live membership
 * and a holder record of their own, their row of that company's cap table as of today, read for
 * that company and as its shareholder (so only their own row, whatever else they may be there).
 */
@Injectable()
export class MyHoldingsService {
  constructor(
    private readonly access: CompanyAccessService,
    private readonly company: CompanyService,
    private readonly capTable: CapTableService,
  ) {}

  async of(context: ActionContext): Promise<MyCompanyHoldingsDto[]> {
    const companies = [
      ...new Set((await this.access.companiesOf(context.principal)).map((m) => m.company_id)),
    ];
    if (companies.length === 0) return [];
    const names = new Map((await this.company.names(companies)).map((c) => [c.id, c.legal_name]));
    const asHolder: Principal = { ...context.principal, roles: [Role.Shareholder] };
    const result: MyCompanyHoldingsDto[] = [];
    for (const companyId of companies) {
      const table = await CompanyContext.run(companyId, () =>
        this.capTable.asOf(todayUtc(), { ...context, principal: asHolder }),
      );
      for (const row of table.holders) {
        result.push({
          company_id: companyId,
          company_name: names.get(companyId) ?? null,
          shareholder_id: row.shareholder_id,
          holdings: row.holdings,
          total_shares: row.total_shares,
          ownership_pct: row.ownership_pct,
          certificates_url: `/api/companies/${companyId}/certificates?shareholder_id=${row.shareholder_id}`,
        });
      }
    }
    return result.sort((a, b) => (a.company_name ?? '').localeCompare(b.company_name ?? ''));
  }
}
