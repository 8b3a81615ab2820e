/**
 * The report's comparisons, as data: one row per line of the report's table, each the service's
 * figure beside the limit measured in the same run, how the ratio between them is taken, and the
 * target it is judged by. `comparisons.ts` says what the fields mean and evaluates the rows
 * against a run's results.
 */
import type { RatioRule, TargetRow, TargetRule } from './comparisons';
import { EQUITY_ROWS } from './targets-equity';
import { LEDGER_ROWS, TRANSFER_ROW } from './targets-ledger';
import { OCF_ROWS } from './targets-ocf';

const rs256 = {
  value: 'figures.framework_rs256.rps',
  unit: 'req/s',
  figure: 'framework_rs256',
  label: 'NestJS+Fastify+RS256',
};
const sqlTarget: TargetRule = { op: '<=', value: 2, on: 'ratio', text: '≤ 2x SQL' };
const ofSql: RatioRule = { meaning: 'of SQL time' };
const noSeqScan = (plan: string): TargetRule => ({
  op: '<=',
  value: 0,
  on: 'service',
  text: 'no Seq Scan on audit_entry',
  judge: { count: 'audit_entry', in: `plans.${plan}.seqScanOn` },
});

/** An issuance read of the API beside the RS256 ceiling. */
function readRow(key: string, who: string): TargetRow {
  return {
    id: key,
    label: `GET /api/issuances/{id} as ${who}`,
    service: {
      value: `figures.${key}.rps`,
      unit: 'req/s',
      figure: key,
      detail: `p50 {{figures.${key}.p50|1}} ms, p99 {{figures.${key}.p99|1}} ms`,
    },
    limit: rs256,
    target: { op: '>=', value: 0.5, on: 'ratio', text: '≥ 50%' },
  };
}

/** A p95 of the API beside the p95 of its own SQL run directly (`<key>_sql`). */
function againstSql(key: string, label: string): TargetRow {
  return {
    id: key,
    label,
    service: {
      value: `figures.${key}.p95`,
      unit: 'ms',
      figure: key,
      detail: `p50 {{figures.${key}.p50|1}} ms`,
    },
    limit: {
      value: `figures.${key}_sql.p95`,
      unit: 'ms',
      figure: `${key}_sql`,
      label: 'same SQL via pg',
    },
    ratio: ofSql,
    target: sqlTarget,
  };
}

/** The same row, for information only. */
function withoutTarget(row: TargetRow): TargetRow {
  const info = { ...row };
  delete info.target;
  return info;
}

/** The plan of an audit page's SQL: it must not read audit_entry with a Seq Scan. */
function planRow(plan: string): TargetRow {
  return {
    id: `plan_${plan}`,
    label: `${plan}: index use`,
    when: `plans.${plan}`,
    service: {
      value: `plans.${plan}.executionMs`,
      unit: 'ms',
      detail: `{{plans.${plan}.topNode}} → {{plans.${plan}.access}}`,
    },
    target: noSeqScan(plan),
    failNote: 'Seq Scan on audit_entry',
  };
}

/** On-demand certificate renders beside raw Puppeteer with as many reused pages. */
function certificatesRow(concurrency: 1 | 4, target?: TargetRule): TargetRow {
  const key = `certificates_c${concurrency}`;
  const raw = `pdf_raw_c${concurrency}`;
  return {
    id: key,
    label: `Certificates rendered, concurrency ${concurrency}`,
    when: 'certificatesPresent',
    service: {
      value: `figures.${key}.rps`,
      unit: 'PDF/s',
      figure: key,
      detail: `p50 {{figures.${key}.p50|0}} ms/render`,
    },
    limit: {
      value: `figures.${raw}.rps`,
      unit: 'PDF/s',
      figure: raw,
      label: `raw Puppeteer, p50 {{figures.${raw}.p50|0}} ms`,
    },
    target,
  };
}

const backlog = 'writes.certificateBacklog';
export const TARGETS: readonly TargetRow[] = [
  readRow('read_admin', 'admin'),
  readRow('read_owner', 'owning shareholder'),
  {
    id: 'read_vs_db_read',
    label: 'GET /api/issuances/{id} as admin, against a bare app doing the same database read',
    when: 'figures.framework_rs256_pg',
    service: { value: 'figures.read_admin.rps', unit: 'req/s', figure: 'read_admin' },
    limit: {
      value: 'figures.framework_rs256_pg.rps',
      unit: 'req/s',
      figure: 'framework_rs256_pg',
      label: 'NestJS+Fastify+RS256+one pg read',
    },
  },
  {
    id: 'framework',
    label: 'RS256 ceiling vs bare NestJS+Fastify',
    service: { value: 'figures.framework_rs256.rps', unit: 'req/s', figure: 'framework_rs256' },
    limit: {
      value: 'figures.framework_bare.rps',
      unit: 'req/s',
      figure: 'framework_bare',
      label: 'bare NestJS+Fastify',
    },
  },
  {
    id: 'framework_pem',
    label: 'RS256 check with the key as a PEM string (parsed per request)',
    service: {
      value: 'figures.framework_rs256_pem.rps',
      unit: 'req/s',
      figure: 'framework_rs256_pem',
    },
    limit: { ...rs256, label: 'RS256 with a KeyObject' },
  },
  {
    id: 'write',
    label: 'POST /api/issuances/ (tx + outbox; audit and certificate async)',
    service: {
      value: 'figures.write.rps',
      unit: 'req/s',
      figure: 'write',
      detail: 'p99 {{figures.write.p99|1}} ms',
    },
    limit: {
      value: 'figures.db_write.rps',
      unit: 'tx/s',
      figure: 'db_write',
      label: 'pg 3-insert tx, same conns',
    },
    target: { op: '>=', value: 0.4, on: 'ratio', text: '≥ 40%' },
  },
  {
    id: 'outbox_drain',
    label: 'Audit entries all written, after the write load stops',
    service: {
      // The median over the runs once every run drained; else the lower bound when it stopped.
      value: ['writes.auditDrain.medianS', 'writes.auditDrain.lowerBoundS'],
      unit: 's',
      lowerBoundUnless: 'writes.auditDrain.maxS',
      detail: {
        if: 'writes.auditDrain.maxS',
        then: 'max {{writes.auditDrain.maxS|2}} s',
        else: 'not all written when the bench stopped waiting',
      },
    },
    // Every run, so the slowest one is judged.
    target: {
      op: '<=',
      value: 2,
      on: 'service',
      text: '≤ 2 s (every run)',
      judge: 'writes.auditDrain.maxS',
    },
  },
  {
    id: 'certificate_backlog',
    label: 'Certificate backlog after the writes (async)',
    when: 'certificatesPresent',
    service: {
      value: `${backlog}.atEndOfWrites`,
      unit: 'certificates',
      detail: {
        if: backlog,
        then: {
          if: `${backlog}.clearedS`,
          then: `cleared in {{${backlog}.clearedS|0}} s`,
          else: `{{${backlog}.clearRatePerS|1}}/s, ~{{${backlog}.projectedClearS|0|∞}} s to clear (projected)`,
        },
      },
    },
    limit: {
      value: 'figures.certificates_c4.rps',
      unit: 'PDF/s',
      label: 'on-demand render rate, 4 conn',
    },
    ratio: {
      meaning: 'clear rate / render rate',
      of: [`${backlog}.clearRatePerS`, 'figures.certificates_c4.rps'],
    },
  },
  TRANSFER_ROW,
  againstSql('cap_table', 'GET /api/cap-table (p95)'),
  againstSql('cap_table_as_of', 'GET /api/cap-table?as_of=mid (p95)'),
  againstSql('cap_table_known_at', 'GET /api/cap-table?as_of=mid&known_at=mid+30 days (p95)'),
  ...EQUITY_ROWS,
  // For information: a small company's read is mostly the request's own fixed cost (token,
  // company, round trips), which a sub-millisecond query cannot be half of; what is judged is
  // that the company's SQL is as fast among the others as alone (next row).
  withoutTarget(
    againstSql(
      'cap_table_small',
      'GET /api/companies/{id}/cap-table, one of {{opts.companies|en}} small companies (p95)',
    ),
  ),
  {
    id: 'cap_table_small_alone',
    label: 'cap-table SQL of a small company: among the others vs alone in a database (p50)',
    service: {
      value: 'figures.cap_table_small_sql.p50',
      unit: 'ms',
      figure: 'cap_table_small_sql',
      detail: 'p95 {{figures.cap_table_small_sql.p95|3}} ms',
    },
    limit: {
      value: 'figures.cap_table_small_alone_sql.p50',
      unit: 'ms',
      figure: 'cap_table_small_alone_sql',
      label: 'same SQL, the company alone',
    },
    ratio: { meaning: 'of alone' },
    target: { op: '<=', value: 1.25, on: 'ratio', text: '≤ 1.25x alone' },
  },
  againstSql('audit_first', 'GET /api/audit/ actor+action+window, page 1 (p95)'),
  againstSql('audit_deep', 'GET /api/audit/ same, cursor page {{opts.deepPages}} (p95)'),
  planRow('audit first page SQL'),
  planRow('audit page {{opts.deepPages}} SQL'),
  {
    id: 'audit_export',
    label: 'Audit export CSV ({{opts.exportEntries|en}} entries): API RSS growth',
    service: {
      value: 'memory.exportRssGrowthMax',
      unit: 'MB',
      divisor: 1_048_576,
      detail: 'median {{figures.audit_export.p50/1000|2}} s',
    },
    target: { op: '<', value: 100, on: 'service', text: '< 100 MB' },
  },
  certificatesRow(1),
  certificatesRow(4, { op: '>=', value: 0.7, on: 'ratio', text: '≥ 70%' }),
  ...LEDGER_ROWS,
  ...OCF_ROWS,
];
