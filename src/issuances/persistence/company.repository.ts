import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, sql } from '../../core/db/database.service';
import { CompanyContext } from '../../core/tenancy/company-context';
import { Company } from '../company.entity';

/** A company whose details are known. */
export type SetUpCompany = Company & {
  legalName: string;
  country: string;
  formationDate: string;
  defaultCurrency: string;
};

export const isSetUp = (company: Company | null): company is SetUpCompany =>
  company !== null && company.legalName !== null;

/** A company as the deployment's lists show it. */
export interface CompanyName {
  id: string;
  legal_name: string | null;
}

/**
 * The current company's row (row-level security shows no other), and the deployment's companies
 * through the schema's SECURITY DEFINER functions (run without a company).
 */
@Injectable()
export class CompanyRepository {
  constructor(private readonly db: Database) {}

  /** Every company of the deployment, oldest first (for platform administrators). */
  all(): Promise<CompanyName[]> {
    return this.db.rows(sql`SELECT id, legal_name FROM app_companies()`, { unscoped: true });
  }

  names(ids: string[]): Promise<CompanyName[]> {
    return this.db.rows(sql`SELECT id, legal_name FROM app_company_names(${ids}::uuid[])`, {
      unscoped: true,
    });
  }

  async exists(id: string): Promise<boolean> {
    const [row] = await this.db.rows<{ exists: boolean }>(
      sql`SELECT app_company_exists(${id}::uuid) AS exists`,
      { unscoped: true },
    );
    return row?.exists === true;
  }
  find(manager: EntityManager, lock = false): Promise<Company | null> {
    return manager.findOne(Company, {
      where: { id: CompanyContext.require() },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** A new company: the transaction's company (row-level security admits no other id). */
  async insert(tx: EntityManager, values: Partial<Company>): Promise<void> {
    await tx.insert(Company, { ...values, id: CompanyContext.require() });
  }

  async update(tx: EntityManager, id: string, values: Partial<Company>): Promise<void> {
    await tx.update(Company, { id }, values);
  }
}
