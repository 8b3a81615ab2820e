import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Database } from '../core/db/database.service';
import { CompanyMember, MemberRole } from './company-member.entity';
import { MembershipsRepository } from './persistence/memberships.repository';

/**
 * The development realm's users (keycloak/realm-corporate-os.json), as members of the demo
 * company with the roles their realm roles give them: invitations by their verified emails, bound
 * at their first login. So the demo behaves as a single-company deployment did.
 */
export const DEMO_MEMBERS: ReadonlyArray<{ email: string; role: MemberRole }> = [
  { email: 'admin@example.com', role: 'admin' },
  { email: 'auditor@example.com', role: 'auditor' },
  { email: 'shareholder1@example.com', role: 'shareholder' },
  { email: 'shareholder2@example.com', role: 'shareholder' },
];

@Injectable()
export class DemoMembersSeeder {
  constructor(
    private readonly db: Database,
    private readonly repository: MembershipsRepository,
  ) {}

  /** For the current company, when it has no members yet; answers whether it added them. */
  async seedIfNone(): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if ((await tx.count(CompanyMember)) > 0) return false;
      for (const { email, role } of DEMO_MEMBERS) {
        const member = Object.assign(new CompanyMember(), {
          id: randomUUID(),
          role,
          sub: null,
          clientId: null,
          email,
          expiresAt: null,
          version: 1,
          createdBy: 'demo-data',
        });
        await this.repository.insert(tx, member);
      }
      return true;
    });
  }
}
