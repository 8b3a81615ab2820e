import { Sql, sql } from './database.service';

/*
 * The deployment's companies as the tenancy layer asks about them, through the schema's
 * SECURITY DEFINER functions (run without a company: row-level security hides every company row).
 */

/** The deployment's first company's id (NULL when there is none). */
export const firstCompanySql = (): Sql => sql`SELECT app_first_company_id() AS id`;

/** `id` when a company has it, else NULL. */
export const existingCompanySql = (id: string): Sql =>
  sql`SELECT CASE WHEN app_company_exists(${id}::uuid) THEN ${id}::uuid END AS id`;
