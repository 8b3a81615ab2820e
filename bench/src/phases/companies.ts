/**
 * Phase `companies`: one small company's cap table in a deployment of many. The API's
 * `GET /api/companies/{id}/cap-table` as the platform administrator over a sample of the small
 * companies, beside the service's positions SQL (`capTablePositionsSql`) timed as the API's role
 * acting for one of them; and that SQL for the same company alone in a database of its own (same
 * migrations, same role): row-level security keyed on `app.company_id` should cost a small
 * company nothing for sharing its tables with the others.
 */
import { Client, escapeLiteral } from 'pg';
import { capTablePositionsSql } from '../../../src/issuances';
import { BenchContext, log } from '../context';
import { copyBetween } from '../copy';
import { createDatabase, type Dataset, dropDatabase, migrate } from '../dataset';
import { http, sql } from '../measure';
import { aloneDatabaseName, databaseUrl } from '../options';
import { explain, type SqlStatement } from '../sql-limits';

/** The small companies' paths rotate over this many of them (evenly spread). */
const SAMPLE = 200;

/** A small company's rows, in the order their foreign keys need. */
const COMPANY_TABLES = ['share_class', 'shareholder', 'shareholder_version', 'issuance'];

function sampleOf(ids: string[]): string[] {
  const step = Math.max(1, Math.floor(ids.length / SAMPLE));
  return ids.filter((_, i) => i % step === 0).slice(0, SAMPLE);
}

/** The table's columns but `company_id`, as the owner sees them in the bench database. */
async function columnsOf(source: Client, table: string): Promise<string[]> {
  const { rows } = await source.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1 AND column_name <> 'company_id'
        AND is_generated = 'NEVER'
      ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((row) => row.column_name);
}

/**
 * Copies one company's rows from the bench database into the first company (made by the
 * migrations) of `target`, the owner of the alone database; answers that company's id.
 */
async function copyCompany(source: Client, companyId: string, target: Client): Promise<string> {
  const { rows } = await target.query<{ id: string }>(`SELECT app_first_company_id() AS id`);
  const aloneId = rows[0]?.id;
  if (!aloneId) throw new Error('the alone database has no company');
  const { rows: details } = await source.query<Record<string, string>>(
    `SELECT legal_name, country, formation_date::text AS formation_date, default_currency
       FROM company WHERE id = $1`,
    [companyId],
  );
  const company = details[0];
  if (!company) throw new Error(`company ${companyId} is missing`);
  await target.query(
    `UPDATE company SET legal_name = $2, country = $3, formation_date = $4, default_currency = $5, version = 1
      WHERE id = $1`,
    [
      aloneId,
      company.legal_name,
      company.country,
      company.formation_date,
      company.default_currency,
    ],
  );
  for (const table of COMPANY_TABLES) {
    const columns = await columnsOf(source, table);
    const list = columns.map((c) => `"${c}"`).join(', ');
    await copyBetween(
      source,
      `SELECT ${escapeLiteral(aloneId)}::uuid, ${list} FROM ${table} WHERE company_id = ${escapeLiteral(companyId)}`,
      target,
      table,
      ['company_id', ...columns],
    );
  }
  await target.query('VACUUM ANALYZE');
  return aloneId;
}

/** The statement for `companyId` alone in `${dbName}_alone`, as the API's role there. */
async function aloneSql(
  ctx: BenchContext,
  companyId: string,
  statement: SqlStatement,
): Promise<void> {
  const { opts } = ctx;
  const name = aloneDatabaseName(opts.dbName);
  const ownerUrl = databaseUrl(opts.adminUrl, name);
  const appUrl = databaseUrl(ctx.appUrl, name);
  const drop = () => dropDatabase(opts.adminUrl, name);
  log(`creating database ${name}: company ${companyId} alone`);
  await createDatabase(opts.adminUrl, name);
  if (!opts.keepDb) ctx.onCleanup(drop);
  const owner = new Client({ connectionString: ownerUrl, application_name: 'bench-loader' });
  const asApi = new Client({ connectionString: appUrl, application_name: 'bench-sql-limits' });
  try {
    await migrate(ownerUrl, appUrl);
    await owner.connect();
    const aloneId = await copyCompany(ctx.database, companyId, owner);
    await asApi.connect();
    await asApi.query(`SELECT set_config('app.company_id', $1, false)`, [aloneId]);
    ctx.plans['cap_table_small_alone SQL'] = await explain(asApi, statement);
    await sql(
      ctx,
      'cap_table_small_alone_sql',
      'cap-table SQL, the same company alone in its database (limit)',
      statement,
      asApi,
    );
  } finally {
    await asApi.end().catch(() => undefined);
    await owner.end().catch(() => undefined);
    if (!opts.keepDb) await drop();
  }
}

export async function companies(ctx: BenchContext, data: Dataset): Promise<void> {
  await ctx.phase('companies', async () => {
    const ids = data.smallCompanyIds ?? [];
    const first = ids[0];
    if (first === undefined) {
      ctx.notes.push(
        'companies: the dataset has no small companies (kept by an older bench, or --companies 0): phase skipped',
      );
      return;
    }
    const sample = sampleOf(ids);
    const statement = capTablePositionsSql(new Date().toISOString().slice(0, 10));
    await ctx.asCompany(first, async (client) => {
      ctx.plans['cap_table_small SQL'] = await explain(client, statement);
      await sql(
        ctx,
        'cap_table_small_sql',
        `cap-table SQL, one small company among ${ids.length + 1} (limit)`,
        statement,
        client,
      );
    });
    await http(
      ctx,
      'cap_table_small',
      `GET /api/companies/{id}/cap-table (${sample.length} small companies)`,
      ctx.base,
      {
        paths: sample.map((id) => `/api/companies/${id}/cap-table`),
        user: 'admin',
        connections: ctx.opts.latencyConnections,
      },
    );
    await aloneSql(ctx, first, statement);
  });
}
