import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Database } from '../core/db/database.service';
import { DomainError } from '../core/errors/domain-error';
import type { ActionContext } from '../core/http/action-context';
import { OutboxService } from '../events';
import type { Company } from './company.entity';
import { CompanyResponseDto, PutCompanyDto } from './dto/company.dto';
import { companySnapshot, toCompanyResponse } from './issuance-views';
import { CompanyRepository } from './persistence/company.repository';

@Injectable()
export class CompanyService {
  constructor(
    private readonly db: Database,
    private readonly repository: CompanyRepository,
    private readonly outbox: OutboxService,
  ) {}

  async get(): Promise<CompanyResponseDto> {
    const company = await this.find(this.db.manager);
    if (!company)
      throw new DomainError(
        'NOT_FOUND',
        'The company is not set up yet: PUT /api/company to create it.',
      );
    return toCompanyResponse(company);
  }

  async exists(): Promise<boolean> {
    return (await this.repository.find(this.db.manager)) !== null;
  }

  find(manager: EntityManager, lock = false): Promise<Company | null> {
    return this.repository.find(manager, lock);
  }

  /** Creates the company or replaces its details; each change is a new version with its event. */
  async put(dto: PutCompanyDto, context: ActionContext): Promise<CompanyResponseDto> {
    return this.db.transaction(async (tx) => {
      await this.repository.lockForSetUp(tx);
      const current = await this.find(tx, true);
      const values = {
        legalName: dto.legal_name,
        country: dto.country,
        formationDate: dto.formation_date,
        defaultCurrency: dto.default_currency,
      };
      const before = current ? companySnapshot(current) : null;
      if (
        current &&
        JSON.stringify(before) === JSON.stringify(companySnapshot({ ...current, ...values }))
      ) {
        return toCompanyResponse(current);
      }
      if (current) {
        await this.repository.update(tx, current.id, { ...values, version: current.version + 1 });
      } else {
        await this.repository.insert(tx, {
          id: randomUUID(),
          singleton: true,
          version: 1,
          ...values,
        });
      }
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
