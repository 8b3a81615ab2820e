import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, sql } from '../../core/db/database.service';
import { DomainError } from '../../core/errors/domain-error';
import type { ConversionRatioAdjustment } from '../conversion-ratio-adjustment.entity';
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

  /** One dated conversion ratio; a second one for the class and date gives 409. */
  async insertRatioAdjustment(
    tx: EntityManager,
    adjustment: Omit<ConversionRatioAdjustment, 'recordedAt'>,
  ): Promise<Date> {
    try {
      const [row] = await this.db.rows<{ recorded_at: Date }>(
        sql`INSERT INTO conversion_ratio_adjustment (id, share_class_id, date, numerator, denominator,
                                                      created_by_sub, created_by, request_id)
            VALUES (${adjustment.id}, ${adjustment.shareClassId}, ${adjustment.date}::date,
                    ${adjustment.numerator}::bigint, ${adjustment.denominator}::bigint,
                    ${adjustment.createdBySub}, ${adjustment.createdBy}, ${adjustment.requestId})
            RETURNING recorded_at`,
        { tx },
      );
      if (!row) throw new Error('the adjustment was not stored');
      return row.recorded_at;
    } catch (error) {
      if (isUniqueViolation(error, 'uq_conversion_ratio_adjustment_date'))
        throw new DomainError(
          'CONFLICT',
          `The class already has a conversion ratio adjustment dated ${adjustment.date}.`,
          { errors: [{ field: 'date', messages: ['already has an adjustment'] }] },
        );
      throw error;
    }
  }

  /**
   * The class's conversion on `date`: the class it converts into and the ratio then (the latest
   * adjustment dated on or before it, else the class's own). Locks the class row.
   */
  async conversionOn(
    tx: EntityManager,
    id: string,
    date: string,
  ): Promise<
    { name: string; target: string | null; numerator: string; denominator: string } | undefined
  > {
    const [row] = await this.db.rows<{
      name: string;
      target: string | null;
      numerator: string;
      denominator: string;
    }>(
      sql`
      SELECT c.name, c.converts_to_share_class_id AS target,
             coalesce(a.numerator, c.conversion_numerator)::text AS numerator,
             coalesce(a.denominator, c.conversion_denominator)::text AS denominator
        FROM share_class c
        LEFT JOIN LATERAL (SELECT numerator, denominator FROM conversion_ratio_adjustment
                            WHERE share_class_id = c.id AND date <= ${date}::date
                            ORDER BY date DESC LIMIT 1) a ON true
       WHERE c.id = ${id}`,
      { tx },
    );
    return row;
  }

  /**
   * Raises the class's outstanding total by `shares` while it stays within its authorized shares;
   * false (nothing changed) when it would not.
   */
  async raiseWithinAuthorized(tx: EntityManager, id: string, shares: bigint): Promise<boolean> {
    const { count } = await this.db.run(
      sql`UPDATE share_class SET issued_shares = issued_shares + ${shares.toString()}::bigint
           WHERE id = ${id} AND issued_shares + ${shares.toString()}::bigint <= authorized_shares`,
      { tx },
    );
    return count === 1;
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
