import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../../core/db/database.service';
import { isUniqueViolation } from '../../core/db/pg-errors';
import { ShareClassNameTakenError, ShareClassPrefixTakenError } from '../issuances.errors';
import { ShareClass } from '../share-class.entity';

/** The share_class rows; unique violations become the module's errors here. */
@Injectable()
export class ShareClassesRepository {
  constructor(private readonly db: Database) {}

  /** Every class, most senior first. */
  list(): Promise<ShareClass[]> {
    return this.db.read((m) =>
      m.find(ShareClass, { order: { seniority: 'DESC', createdAt: 'ASC' } }),
    );
  }

  find(manager: EntityManager | undefined, id: string, lock = false): Promise<ShareClass | null> {
    const read = (m: EntityManager) =>
      m.findOne(ShareClass, {
        where: { id },
        ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
      });
    return manager ? read(manager) : this.db.read(read);
  }

  create(values: Partial<ShareClass>): ShareClass {
    return this.db.create(ShareClass, values);
  }

  async insert(tx: EntityManager, shareClass: ShareClass): Promise<void> {
    await explained(
      () => tx.insert(ShareClass, shareClass),
      shareClass.name,
      shareClass.certificatePrefix,
    );
  }

  async update(
    tx: EntityManager,
    id: string,
    changes: Partial<ShareClass>,
    shown: { name: string; prefix: string },
  ): Promise<void> {
    await explained(() => tx.update(ShareClass, { id }, changes), shown.name, shown.prefix);
  }
}

async function explained(
  write: () => Promise<unknown>,
  name: string,
  prefix: string,
): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (isUniqueViolation(error, 'uq_share_class_name')) throw new ShareClassNameTakenError(name);
    if (isUniqueViolation(error, 'uq_share_class_certificate_prefix'))
      throw new ShareClassPrefixTakenError(prefix);
    throw error;
  }
}
