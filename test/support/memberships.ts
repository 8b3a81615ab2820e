import { Client } from 'pg';
import { DEMO_MEMBERS } from '../../src/companies';

/**
 * Gives the realm's development users the memberships of the default company that the demo
 * seeder gives them (email invitations, bound at their first login), so the suites that call the
 * unscoped routes as `auditor`, `shareholder1` or `shareholder2` act in that company as before.
 */
export async function giveDevUsersMemberships(ownerUrl: string): Promise<void> {
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    await owner.query(
      `INSERT INTO company_member (company_id, id, role, email, created_by)
       SELECT app_first_company_id(), gen_random_uuid(), m.role, m.email, 'test-setup'
         FROM jsonb_to_recordset($1::jsonb) AS m(role text, email text)`,
      [JSON.stringify(DEMO_MEMBERS)],
    );
  } finally {
    await owner.end();
  }
}
