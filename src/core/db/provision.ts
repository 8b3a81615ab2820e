import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import { DataSource, type Logger } from 'typeorm';
import { runMigrationsExclusively } from './migrate';
import { buildDataSourceOptions } from './typeorm-options';

/**
 * The group role the migrations grant the service's privileges to (see the migration
 * `ApplicationRole`). The API's login role is a member of it and has nothing else.
 */
export const APP_GROUP_ROLE = 'corporate_os_app';

export interface ProvisionOptions {
  /** The schema owner: runs the migrations and creates the login role. */
  ownerUrl: string;
  /** The URL the API connects with; its user becomes (or is checked as) the login role. */
  appUrl: string;
  logger?: Logger;
}

export interface ProvisionResult {
  migrations: string[];
  appRole: string;
  created: boolean;
}

/**
 * Brings a database to the current schema and makes sure the API can connect to it with least
 * privilege: migrations run as the owner, then the login role named by the app URL is created (or
 * its password updated) as a plain member of `corporate_os_app`. Refuses an app role that is the
 * owner, a superuser, or may bypass row-level security, so a misconfiguration cannot quietly hand
 * the API the keys to the schema. Safe to run on every deployment, from several hosts at once.
 */
export async function provisionDatabase(options: ProvisionOptions): Promise<ProvisionResult> {
  const dataSource = new DataSource(buildDataSourceOptions(options.ownerUrl, 2, options.logger));
  await dataSource.initialize();
  try {
    const applied = await runMigrationsExclusively(dataSource);
    const app = new URL(options.appUrl);
    const role = decodeURIComponent(app.username);
    const password = app.password ? decodeURIComponent(app.password) : undefined;
    const created = await retryConcurrentCatalogUpdate(() =>
      ensureLoginRole(options.ownerUrl, role, password),
    );
    return { migrations: applied.map((m) => m.name), appRole: role, created };
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Roles are shared by every database of the server: two deployments (or test runs) provisioning
 * at the same moment may race on the same catalog row, which PostgreSQL reports as "tuple
 * concurrently updated" (XX000). The statements are idempotent, so trying again is right.
 */
async function retryConcurrentCatalogUpdate<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const concurrent = /tuple concurrently updated/.test((error as Error).message);
      if (!concurrent || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

async function ensureLoginRole(
  ownerUrl: string,
  role: string,
  password: string | undefined,
): Promise<boolean> {
  if (!role) throw new Error('DATABASE_URL must name the API role (postgres://role:password@…)');
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const { rows } = await owner.query<{ me: string }>('SELECT current_user AS me');
    if (rows[0]?.me === role) {
      throw new Error(
        `DATABASE_URL names "${role}", the owner of the schema: give the API its own role`,
      );
    }
    const created = await createRole(owner, role, password);
    await refuseIfPrivileged(owner, role);
    if (!created && password !== undefined) {
      await owner.query(`ALTER ROLE ${escapeIdentifier(role)} PASSWORD ${escapeLiteral(password)}`);
    }
    await owner.query(`GRANT ${APP_GROUP_ROLE} TO ${escapeIdentifier(role)}`);
    return created;
  } finally {
    await owner.end();
  }
}

async function createRole(owner: Client, role: string, password?: string): Promise<boolean> {
  const exists = await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (exists.rowCount) return false;
  const secret = password === undefined ? '' : ` PASSWORD ${escapeLiteral(password)}`;
  try {
    await owner.query(
      `CREATE ROLE ${escapeIdentifier(role)} LOGIN${secret} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT`,
    );
    return true;
  } catch (error) {
    // Another host provisioning another database of the cluster made it a moment ago.
    if ((error as { code?: string }).code === '42710') return false;
    throw error;
  }
}

async function refuseIfPrivileged(owner: Client, role: string): Promise<void> {
  const { rows } = await owner.query<PrivilegeRow>(PRIVILEGES_SQL, [role]);
  const problem = privilegeProblem(rows[0]);
  if (problem) throw new Error(`The API role "${role}" ${problem}: use a role without it`);
}

interface PrivilegeRow {
  superuser: boolean;
  bypass_rls: boolean;
  owns_objects: boolean;
  create_on_schema: boolean;
}

/**
 * What makes a role unfit to be the API's: superuser, BYPASSRLS, owning (directly or through a
 * role it inherits) anything in the public schema, or being allowed to create objects there.
 */
export const PRIVILEGES_SQL = `
  SELECT r.rolsuper AS superuser, r.rolbypassrls AS bypass_rls,
         EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'public' AND pg_has_role(r.oid, c.relowner, 'USAGE')) AS owns_objects,
         has_schema_privilege(r.oid, 'public', 'CREATE') AS create_on_schema
    FROM pg_roles r WHERE r.rolname = $1`;

export function privilegeProblem(row: PrivilegeRow | undefined): string | undefined {
  if (!row) return 'does not exist';
  if (row.superuser) return 'is a superuser';
  if (row.bypass_rls) return 'may bypass row-level security';
  if (row.owns_objects) return 'owns tables of the schema';
  if (row.create_on_schema) return 'may create objects in the schema';
  return undefined;
}
