import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../../core/db/database.service';
import { VestingTerms } from '../vesting-terms.entity';

/** The statements of vesting_terms. */
@Injectable()
export class VestingTermsRepository {
  constructor(private readonly db: Database) {}

  async insert(tx: EntityManager, terms: Omit<VestingTerms, 'createdAt'>): Promise<VestingTerms> {
    await tx.insert(VestingTerms, terms);
    return tx.findOneOrFail(VestingTerms, { where: { id: terms.id } });
  }

  find(tx: EntityManager | undefined, id: string): Promise<VestingTerms | null> {
    const read = (m: EntityManager) => m.findOne(VestingTerms, { where: { id } });
    return tx ? read(tx) : this.db.read(read);
  }

  list(): Promise<VestingTerms[]> {
    return this.db.read((m) => m.find(VestingTerms, { order: { createdAt: 'ASC', id: 'ASC' } }));
  }
}
