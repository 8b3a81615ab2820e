import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, sql } from '../../core/db/database.service';
import { Company } from '../company.entity';

/** The company row (one per deployment). */
@Injectable()
export class CompanyRepository {
  constructor(private readonly db: Database) {}

  find(manager: EntityManager, lock = false): Promise<Company | null> {
    return manager.findOne(Company, {
      where: { singleton: true },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** Serialises concurrent first PUTs, which would otherwise both see no company. */
  async lockForSetUp(tx: EntityManager): Promise<void> {
    await this.db.run(sql`SELECT pg_advisory_xact_lock(hashtext('company'))`, { tx });
  }

  async update(tx: EntityManager, id: string, values: Partial<Company>): Promise<void> {
    await tx.update(Company, { id }, values);
  }

  async insert(tx: EntityManager, values: Partial<Company>): Promise<void> {
    await tx.insert(Company, tx.create(Company, values));
  }
}
