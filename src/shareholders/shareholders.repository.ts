import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, sql, Sql } from '../core/db/database.service';
import { isUniqueViolation } from '../core/db/pg-errors';
import type { ShareholderQueryDto } from './dto/shareholder.dto';
import { Shareholder } from './shareholder.entity';
import { ShareholderVersion } from './shareholder-version.entity';
import { ShareholderEmailTakenError, ShareholderUserTakenError } from './shareholders.errors';

/** A new record: everything but the timestamps the database sets. */
export type NewShareholder = Omit<Shareholder, 'createdAt' | 'updatedAt'>;

/** What a profile change writes: every column but the id and the timestamps. */
export type ProfileColumns = Omit<Shareholder, 'id' | 'createdAt' | 'updatedAt'>;

/** A new profile version: everything but its id and the time the database sets. */
export type NewShareholderVersion = Omit<ShareholderVersion, 'id' | 'changedAt' | 'shareholder'>;

/** `value` as an ILIKE pattern matching it anywhere, its own wildcards taken literally. */
const containing = (value: string): string => `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * All data access of the shareholders module: the `shareholder` and `shareholder_version` tables.
 * Reads without `tx` run on the pool; writes run in the caller's transaction. Unique violations
 * come back as the module's errors.
 */
/**
 * The holders as other modules' statements may join them: `(id, name, email, user_id, ocf_id)`. A
 * module that needs a holder's name, linked user or OCF id in the same statement as its rows joins this
 * subquery (PostgreSQL pulls it up: the plan is that of a direct join) instead of naming the
 * table, so the shareholders module stays the one place that spells out its columns.
 */
export const HOLDER_DIRECTORY_SQL: Sql = sql`SELECT id, name, email, user_id, ocf_id FROM shareholder`;

/** A holder as an OCF export reads it (as a stakeholder). */
export interface ExportHolderRow {
  id: string;
  ocf_id: string | null;
  name: string;
  email: string;
  type: string;
}

@Injectable()
export class ShareholdersRepository {
  constructor(private readonly db: Database) {}

  /** Every holder, oldest first, in the caller's transaction (an export's snapshot). */
  forExport(tx: EntityManager): Promise<ExportHolderRow[]> {
    return this.db.rows<ExportHolderRow>(
      sql`SELECT id, ocf_id, name, email, type FROM shareholder ORDER BY coalesce(ocf_id, id::text)`,
      { tx },
    );
  }

  /** Gives holders the OCF ids they came in with (set once: the schema refuses a change). */
  async recordOcfIds(rows: Array<{ id: string; ocfId: string }>): Promise<void> {
    if (rows.length === 0) return;
    await this.db.run(
      sql`UPDATE shareholder s SET ocf_id = r.ocf_id
            FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.ocfId)}::text[]) AS r(id, ocf_id)
           WHERE s.id = r.id`,
    );
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  findById(id: string): Promise<Shareholder | null> {
    return this.db.read((m) => m.findOne(Shareholder, { where: { id } }));
  }

  exists(id: string): Promise<boolean> {
    return this.db.read((m) => m.exists(Shareholder, { where: { id } }));
  }

  /** The record linked to the login `userId` (a token's `sub`), if any. */
  findByUser(userId: string): Promise<Shareholder | null> {
    return this.db.read((m) => m.findOne(Shareholder, { where: { userId } }));
  }

  /** The record, locked for the rest of the transaction. */
  lockById(tx: EntityManager, id: string): Promise<Shareholder | null> {
    return tx.findOne(Shareholder, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The record as the transaction now sees it (after its own writes). */
  reload(tx: EntityManager, id: string): Promise<Shareholder> {
    return tx.findOneOrFail(Shareholder, { where: { id } });
  }

  /** The unlinked record with this email (any case), locked for the rest of the transaction. */
  lockUnlinkedByEmail(tx: EntityManager, email: string): Promise<Shareholder | null> {
    return tx
      .createQueryBuilder(Shareholder, 's')
      .setLock('pessimistic_write')
      .where('lower(s.email) = lower(:email)', { email })
      .andWhere('s.user_id IS NULL')
      .getOne();
  }

  /** Inserts the record; answers it with the timestamps the database set. */
  async insert(tx: EntityManager, values: NewShareholder): Promise<Shareholder> {
    const shareholder = tx.create(Shareholder, values);
    try {
      const result = await tx.insert(Shareholder, shareholder);
      Object.assign(shareholder, result.generatedMaps[0]);
    } catch (error) {
      throw explainUniqueViolation(error, values.email);
    }
    return shareholder;
  }

  async updateProfile(tx: EntityManager, id: string, columns: ProfileColumns): Promise<void> {
    try {
      await tx.update(
        Shareholder,
        { id },
        {
          name: columns.name,
          email: columns.email,
          type: columns.type,
          userId: columns.userId,
          version: columns.version,
          phoneEnc: columns.phoneEnc,
          addressEnc: columns.addressEnc,
          taxIdEnc: columns.taxIdEnc,
        },
      );
    } catch (error) {
      throw explainUniqueViolation(error, columns.email);
    }
  }

  async linkUser(tx: EntityManager, id: string, userId: string, version: number): Promise<void> {
    await tx.update(Shareholder, { id }, { userId, version });
  }

  /** One page of the records matching the filters, by name, and how many match in all. */
  async page(query: ShareholderQueryDto): Promise<{ rows: Shareholder[]; total: number }> {
    return this.db.read((m) => this.pageIn(m, query));
  }

  private async pageIn(
    m: EntityManager,
    query: ShareholderQueryDto,
  ): Promise<{ rows: Shareholder[]; total: number }> {
    const builder = m.createQueryBuilder(Shareholder, 's');
    if (query.q) {
      builder.andWhere('(s.name ILIKE :q OR s.email ILIKE :q)', { q: containing(query.q) });
    }
    if (query.name) builder.andWhere('s.name ILIKE :name', { name: containing(query.name) });
    if (query.email) builder.andWhere('s.email ILIKE :email', { email: containing(query.email) });
    const [rows, total] = await builder
      .orderBy('s.name', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    return { rows, total };
  }

  /**
   * The companies where a person is a holder of record: a record linked to their `sub`, or an
   * unlinked one with their verified email (the schema's SECURITY DEFINER function; no company).
   */
  async companiesHolding(sub: string | null, email: string | null): Promise<string[]> {
    if (sub === null && email === null) return [];
    const rows = await this.db.rows<{ id: string }>(
      sql`SELECT id FROM app_holder_companies(${sub}, ${email}) AS id`,
      { name: 'holder_companies', unscoped: true },
    );
    return rows.map((row) => row.id);
  }

  /** The ids of the records with these emails (any case), keyed by the lower-cased email. */
  async idsByEmail(emails: readonly string[]): Promise<Map<string, string>> {
    if (emails.length === 0) return new Map();
    const lowered = [...new Set(emails.map((email) => email.toLowerCase()))];
    const rows = await this.db.rows<{ id: string; email: string }>(
      sql`SELECT id, lower(email) AS email FROM shareholder WHERE lower(email) = ANY(${lowered}::text[])`,
    );
    return new Map(rows.map((row) => [row.email, row.id]));
  }

  /** Every record, by name. */
  all(): Promise<Shareholder[]> {
    return this.db.read((m) => m.find(Shareholder, { order: { name: 'ASC', id: 'ASC' } }));
  }

  /** Every version of the profile, oldest first. */
  versions(shareholderId: string): Promise<ShareholderVersion[]> {
    return this.db.read((m) =>
      m.find(ShareholderVersion, { where: { shareholderId }, order: { version: 'ASC' } }),
    );
  }

  async insertVersion(tx: EntityManager, version: NewShareholderVersion): Promise<void> {
    await tx.insert(ShareholderVersion, tx.create(ShareholderVersion, version));
  }
}

function explainUniqueViolation(error: unknown, email: string): unknown {
  if (isUniqueViolation(error, 'uq_shareholder_email_lower')) {
    return new ShareholderEmailTakenError(email);
  }
  if (isUniqueViolation(error, 'uq_shareholder_user_id')) return new ShareholderUserTakenError();
  return error;
}
