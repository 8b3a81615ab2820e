import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../core/db/database.service';
import { DomainError } from '../core/errors/domain-error';
import type { ActionContext } from '../core/http/action-context';
import { OutboxService } from '../events';
import { CompanyResponseDto, PutCompanyDto } from './dto/company.dto';
import { companySnapshot, toCompanyResponse } from './issuance-views';
import {
  CompanyName,
  CompanyRepository,
  isSetUp,
  SetUpCompany,
} from './persistence/company.repository';

/** The current company's details. */
@Injectable()
export class CompanyService {
  constructor(
    private readonly db: Database,
    private readonly repository: CompanyRepository,
    private readonly outbox: OutboxService,
  ) {}

  async get(): Promise<CompanyResponseDto> {
    const company = await this.db.read((m) => this.find(m));
    if (!company)
      throw new DomainError(
        'NOT_FOUND',
        'The company is not set up yet: PUT /api/company to create it.',
      );
    return toCompanyResponse(company);
  }

  async exists(): Promise<boolean> {
    return (await this.db.read((m) => this.find(m))) !== null;
  }

  /** Every company of the deployment, oldest first: for platform administrators only. */
  all(): Promise<CompanyName[]> {
    return this.repository.all();
  }

  /** The names of these companies (null: not set up yet). */
  names(ids: string[]): Promise<CompanyName[]> {
    return this.repository.names(ids);
  }

  /** Whether the deployment has a company with this id (set up or not). */
  isCompany(id: string): Promise<boolean> {
    return this.repository.exists(id);
  }

  /** The company once its details are set; null before. */
  async find(manager: EntityManager, lock = false): Promise<SetUpCompany | null> {
    const company = await this.repository.find(manager, lock);
    return isSetUp(company) ? company : null;
  }

  /**
   * Creates the current company (CompanyContext names its new id) with its details, version 1, and
   * its company.created event: the first entry of its audit chain.
   */
  async create(dto: PutCompanyDto, context: ActionContext): Promise<CompanyResponseDto> {
    return this.db.transaction(async (tx) => {
      await this.repository.insert(tx, { ...valuesOf(dto), version: 1 });
      const saved = await this.find(tx);
      if (!saved) throw new Error('company vanished inside its own transaction');
      await this.outbox.publish(
        tx,
        {
          type: 'company.created',
          aggregateType: 'company',
          aggregateId: saved.id,
          payload: { before: null, after: companySnapshot(saved) },
        },
        context,
      );
      return toCompanyResponse(saved);
    });
  }

  /**
   * Sets the company's details (the first time: version 1) or replaces them; each change is a new
   * version with its event. The row lock queues concurrent PUTs.
   */
  async put(dto: PutCompanyDto, context: ActionContext): Promise<CompanyResponseDto> {
    return this.db.transaction(async (tx) => {
      const row = await this.repository.find(tx, true);
      if (!row) throw new Error('the current company has no row');
      const current = isSetUp(row) ? row : null;
      const values = valuesOf(dto);
      const before = current ? companySnapshot(current) : null;
      if (
        current &&
        JSON.stringify(before) === JSON.stringify(companySnapshot({ ...current, ...values }))
      ) {
        return toCompanyResponse(current);
      }
      await this.repository.update(tx, row.id, {
        ...values,
        version: current ? current.version + 1 : 1,
      });
      const saved = await this.find(tx);
      if (!saved) throw new Error('company vanished inside its own transaction');
      await this.outbox.publish(
        tx,
        {
          type: 'company.updated',
          aggregateType: 'company',
          aggregateId: saved.id,
          payload: { before, after: companySnapshot(saved) },
        },
        context,
      );
      return toCompanyResponse(saved);
    });
  }
}

function valuesOf(dto: PutCompanyDto) {
  return {
    legalName: dto.legal_name,
    country: dto.country,
    formationDate: dto.formation_date,
    defaultCurrency: dto.default_currency,
  };
}
