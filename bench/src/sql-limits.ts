/**
 * The database side of the read figures: the service's own SQL run directly through `pg` (timed),
 * and its plan from EXPLAIN (ANALYZE, BUFFERS).
 */
import type { Client } from 'pg';
import { decodeCursor } from '../../src/audit/audit-query';
import { auditPageSql } from '../../src/audit/audit.repository';
import type { AuditFilterDto } from '../../src/audit/dto/audit-query.dto';
import { summarize, type LatencySummary } from './stats';

export interface SqlStatement {
  text: string;
  values: unknown[];
}

export interface SqlTiming {
  ok: number;
  durationS: number;
  rps: number;
  latency: LatencySummary;
  rows: number;
}

/** Runs the statement back to back on one connection for `seconds` (at least 3 times). */
export async function timeSql(
  client: Client,
  statement: SqlStatement,
  seconds: number,
): Promise<SqlTiming> {
  const latencies: number[] = [];
  let rows = 0;
  const started = Date.now();
  const deadline = started + seconds * 1000;
  while (Date.now() < deadline || latencies.length < 3) {
    const t0 = process.hrtime.bigint();
    const result = await client.query(statement.text, statement.values);
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    rows = result.rowCount ?? result.rows.length;
  }
  const durationS = (Date.now() - started) / 1000;
  return {
    ok: latencies.length,
    durationS,
    rps: latencies.length / durationS,
    latency: summarize(latencies),
    rows,
  };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Scan Direction'?: string;
  'Actual Total Time'?: number;
  Plans?: PlanNode[];
}

export interface PlanSummary {
  /** The plan's top node, e.g. "Limit". */
  topNode: string;
  /** The first node under it that reads a table, e.g. "Index Scan Backward using idx_... on audit_entry". */
  access: string;
  nodes: string[];
  seqScanOn: string[];
  executionMs: number;
  planningMs: number;
  text: string;
}

function describe(node: PlanNode): string {
  const backward = node['Scan Direction'] === 'Backward' ? ' Backward' : '';
  const index = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  const relation = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
  return `${node['Node Type']}${backward}${index}${relation}`;
}

export async function explain(client: Client, statement: SqlStatement): Promise<PlanSummary> {
  const json = await client.query<{ 'QUERY PLAN': Array<Record<string, unknown>> }>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`,
    statement.values,
  );
  const text = await client.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`,
    statement.values,
  );
  const root = json.rows[0]?.['QUERY PLAN'][0] as {
    Plan: PlanNode;
    'Execution Time': number;
    'Planning Time': number;
  };
  const nodes: PlanNode[] = [];
  const walk = (node: PlanNode): void => {
    nodes.push(node);
    node.Plans?.forEach(walk);
  };
  walk(root.Plan);
  const access = nodes.find((n) => n['Relation Name'] !== undefined);
  return {
    topNode: describe(root.Plan),
    access: access ? describe(access) : '(no table access)',
    nodes: nodes.map(describe),
    seqScanOn: nodes
      .filter((n) => n['Node Type'] === 'Seq Scan' || n['Node Type'] === 'Parallel Seq Scan')
      .map((n) => n['Relation Name'] ?? '?'),
    executionMs: root['Execution Time'],
    planningMs: root['Planning Time'],
    text: text.rows.map((r) => r['QUERY PLAN']).join('\n'),
  };
}

/**
 * The exact statement the API runs for an audit search page of `limit` entries: the service's own
 * builder (auditPageSql) with its LIMIT one beyond the page, so the direct timing is of the same
 * SQL.
 */
export function auditPageStatement(
  filter: Omit<AuditFilterDto, 'order'>,
  limit: number,
  cursor?: string,
): SqlStatement {
  const full = { order: 'desc', ...filter } as AuditFilterDto;
  return auditPageSql(full, limit + 1, cursor ? decodeCursor(cursor) : undefined);
}
