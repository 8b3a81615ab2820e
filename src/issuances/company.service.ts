import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../core/errors/domain-error';
import type { ActionContext } from '../core/http/action-context';
import { OutboxService } from '../events/outbox.service';
import { Company } from './company.entity';
import { CompanyResponseDto, PutCompanyDto } from './dto/company.dto';
import { companySnapshot, toCompanyResponse } from './issuance-views';

@Injectable()
export class CompanyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {}

  async get(): Promise<CompanyResponseDto> {
    const company = await this.find(this.dataSource.manager);
    if (!company)
      throw new DomainError(
        'NOT_FOUND',
        'The company is not set up yet: PUT /api/company to create it.',
      );
    return toCompanyResponse(company);
  }

  find(manager: EntityManager, lock = false): Promise<Company | null> {
    return manager.findOne(Company, {
      where: { singleton: true },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** Creates the company or replaces its details; each change is a new version with its event. */
  async put(dto: PutCompanyDto, context: ActionContext): Promise<CompanyResponseDto> {
    return this.dataSource.transaction(async (tx) => {
      // Serialises concurrent first PUTs, which would otherwise both see no company.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['company']);
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
        await tx.update(Company, { id: current.id }, { ...values, version: current.version + 1 });
      } else {
        await tx.insert(
          Company,
          tx.create(Company, { id: randomUUID(), singleton: true, version: 1, ...values }),
        );
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
