import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database, sql } from '../../core/db/database.service';
import { isUniqueViolation } from '../../core/db/pg-errors';
import { CompanyMember } from '../company-member.entity';
import { MemberTakenError } from '../companies.errors';

/** One of a principal's memberships, as the cross-company lookup answers it. */
export interface MembershipRow {
  company_id: string;
  id: string;
  role: CompanyMember['role'];
  expires_at: Date | null;
  bound: boolean;
}

/** Who a membership lookup is for: a person (sub, verified email) or a service account. */
export interface MemberLookup {
  sub: string | null;
  clientId: string | null;
  email: string | null;
}

const MEMBER_UNIQUE = [
  'uq_company_member_sub',
  'uq_company_member_client',
  'uq_company_member_invitation',
];

/** The company_member table, and the schema's cross-company functions about companies. */
@Injectable()
export class MembershipsRepository {
  constructor(private readonly db: Database) {}

  /** The principal's memberships in every company (SECURITY DEFINER: no company is set). */
  membershipsOf(who: MemberLookup): Promise<MembershipRow[]> {
    return this.db.rows<MembershipRow>(
      sql`SELECT company_id, id, role, expires_at, bound
            FROM app_memberships_of(${who.sub}, ${who.clientId}, ${who.email})`,
      { name: 'memberships_of', unscoped: true },
    );
  }

  /** Binds an email invitation to the user who logged in with that verified email. */
  async bind(id: string, sub: string): Promise<void> {
    await this.db
      .run(
        sql`UPDATE company_member SET sub = ${sub}, version = version + 1, updated_at = now()
             WHERE id = ${id} AND sub IS NULL`,
      )
      .catch((error: unknown) => {
        // The user is a member already under their sub: the invitation stays unbound.
        if (!isUniqueViolation(error, 'uq_company_member_sub')) throw error;
      });
  }

  /** The current company's members, admins first, then by when they were added. */
  list(): Promise<CompanyMember[]> {
    return this.db.read((m) =>
      m
        .createQueryBuilder(CompanyMember, 'm')
        .orderBy(`CASE m.role WHEN 'admin' THEN 0 WHEN 'auditor' THEN 1 ELSE 2 END`, 'ASC')
        .addOrderBy('m.created_at', 'ASC')
        .addOrderBy('m.id', 'ASC')
        .getMany(),
    );
  }

  find(tx: EntityManager, id: string, lock = false): Promise<CompanyMember | null> {
    return tx.findOne(CompanyMember, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** Locks the company's admin memberships: changes that could remove the last one queue here. */
  async lockAdmins(tx: EntityManager): Promise<CompanyMember[]> {
    return tx.find(CompanyMember, {
      where: { role: 'admin' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async insert(tx: EntityManager, member: CompanyMember): Promise<void> {
    try {
      await tx.insert(CompanyMember, member);
    } catch (error) {
      if (MEMBER_UNIQUE.some((name) => isUniqueViolation(error, name)))
        throw new MemberTakenError();
      throw error;
    }
  }

  async update(tx: EntityManager, id: string, values: Partial<CompanyMember>): Promise<void> {
    await tx.update(CompanyMember, { id }, values);
  }

  async delete(tx: EntityManager, id: string): Promise<void> {
    await tx.delete(CompanyMember, { id });
  }
}
