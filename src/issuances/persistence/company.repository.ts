import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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

/** The current company's row (row-level security shows no other). */
@Injectable()
export class CompanyRepository {
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
