import { Pool } from 'pg';

let pool: Pool | undefined;

/**
 * Direct SQL on the test database as its owner, for asserting what the API stored (or did not)
 * and for tampering with it the way only an owner or superuser could.
 */
export function db(): Pool {
  pool ??= new Pool({ connectionString: process.env.TEST_DATABASE_OWNER_URL, max: 2 });
  return pool;
}

export async function closeDb(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

export async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db().query<{ n: string }>(
    `SELECT count(*)::text AS n FROM (${sql}) q`,
    params,
  );
  return Number(rows[0]?.n);
}
