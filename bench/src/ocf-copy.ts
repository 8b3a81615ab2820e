/**
 * The limit of the OCF import: the rows the import wrote for its company, loaded again with the
 * bench's own COPY (`copyBetween` of `copy.ts`: COPY out of the imported company, COPY into the
 * same tables under a fresh company id, the other ids kept: every key leads with `company_id`),
 * in one transaction on the owner's connection, the constraints and triggers of the tables as they
 * are; the deferred checks are run (`SET CONSTRAINTS ALL IMMEDIATE`) before the time is taken, and
 * the transaction is rolled back, so nothing stays.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { BenchContext } from './context';
import { copyBetween } from './copy';

/**
 * The tables the import writes in its transaction, in the order their foreign keys allow. The
 * asynchronous consumers' rows (audit entries, processed events, certificate renders) are not the
 * import's; the outbox rows are, up to the position the import left.
 */
const TABLES = [
  'company',
  'share_class',
  'shareholder',
  'shareholder_version',
  'company_member',
  'vesting_terms',
  'stock_plan',
  'issuance',
  'certificate_counter',
  'certificate_assignment',
  'ocf_retained_object',
  'outbox_event',
] as const;

/** Rows of these make the ledger's foreign keys circular (issuance ↔ transaction): not copied. */
const NOT_COPIED = ['stock_transaction', 'stock_class_split', 'equity_grant'] as const;

export interface CopyResult {
  seconds: number;
  rows: number;
  byTable: Record<string, number>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The columns a COPY writes: not generated, not an identity, not from a sequence. */
async function columnsOf(client: Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_attribute a
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
        AND a.attidentity = '' AND a.attgenerated = ''
        AND COALESCE(pg_get_expr(d.adbin, d.adrelid), '') NOT LIKE 'nextval(%'
      ORDER BY a.attnum`,
    [table],
  );
  return rows.map((row) => row.name);
}

function selectOf(table: string, columns: string[], from: string, to: string, upTo: string) {
  const key = table === 'company' ? 'id' : 'company_id';
  const list = columns.map((c) => (c === key ? `'${to}'::uuid` : `"${c}"`)).join(', ');
  const position = table === 'outbox_event' ? ` AND position <= ${BigInt(upTo).toString()}` : '';
  return `SELECT ${list} FROM ${table} WHERE ${key} = '${from}'${position}`;
}

/** Rows per table of the company (the outbox's up to `upTo`). */
async function rowsOf(ctx: BenchContext, companyId: string, upTo: string) {
  const counts: Record<string, number> = {};
  for (const table of [...TABLES, ...NOT_COPIED]) {
    const key = table === 'company' ? 'id' : 'company_id';
    const outbox = table === 'outbox_event';
    const { rows } = await ctx.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table} WHERE ${key} = $1${outbox ? ' AND position <= $2' : ''}`,
      outbox ? [companyId, upTo] : [companyId],
    );
    counts[table] = rows[0]?.n ?? 0;
  }
  return counts;
}

/** What keeps the company's rows from being copied here, or null. */
export async function notCopyable(
  ctx: BenchContext,
  companyId: string,
  upTo: string,
): Promise<string | null> {
  if (!UUID.test(companyId)) return `not a company id: ${companyId}`;
  const counts = await rowsOf(ctx, companyId, upTo);
  const circular = NOT_COPIED.filter((table) => counts[table] > 0);
  return circular.length > 0 ? `it has rows in ${circular.join(', ')}` : null;
}

/** COPY of the company's rows under a fresh company id, timed, then rolled back. */
export async function copyCompanyRows(
  ctx: BenchContext,
  companyId: string,
  upTo: string,
): Promise<CopyResult> {
  if (!UUID.test(companyId)) throw new Error(`not a company id: ${companyId}`);
  const counts = await rowsOf(ctx, companyId, upTo);
  const tables = TABLES.filter((table) => counts[table] > 0);
  const columns = new Map<string, string[]>();
  for (const table of tables) columns.set(table, await columnsOf(ctx.database, table));
  const target = new Client({ connectionString: ctx.url, application_name: 'bench-ocf-copy' });
  await target.connect();
  const fresh = randomUUID();
  try {
    await target.query('BEGIN');
    const t0 = process.hrtime.bigint();
    for (const table of tables) {
      const cols = columns.get(table) ?? [];
      const select = selectOf(table, cols, companyId, fresh, upTo);
      await copyBetween(ctx.database, select, target, table, cols);
    }
    await target.query('SET CONSTRAINTS ALL IMMEDIATE');
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const byTable = Object.fromEntries(tables.map((table) => [table, counts[table]]));
    const rows = Object.values(byTable).reduce((sum, n) => sum + n, 0);
    return { seconds, rows, byTable };
  } finally {
    await target.query('ROLLBACK').catch(() => undefined);
    await target.end();
  }
}
