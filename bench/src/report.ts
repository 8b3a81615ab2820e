/** The report: JSON (everything), markdown (the tables) and the SVGs (`report-svg.ts`). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RssSample } from './api-process';
import type { TableLoad } from './dataset';
import type { PlanSummary } from './sql-limits';
import { latencySvg, rssSvg } from './report-svg';
import { round } from './stats';

/** One measured figure: the median over its runs of each statistic. */
export interface Figure {
  key: string;
  label: string;
  /** What produced the load: autocannon, pg, puppeteer, http (one request). */
  tool: string;
  connections: number;
  runs: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Non-2xx responses, failed transactions or renders, connection errors: over all runs. */
  failures: number;
  perRun: Array<{ rps: number; p50: number; p95: number; p99: number; ok: number; failed: number }>;
  note?: string;
}

export type TargetOp = '>=' | '<=' | '<';

export interface Comparison {
  id: string;
  label: string;
  service: {
    value: number | null;
    unit: string;
    figure?: string;
    detail?: string;
    /** The value is a lower bound (e.g. not drained when the bench stopped waiting). */
    lowerBound?: boolean;
  };
  limit: { value: number | null; unit: string; figure?: string; label: string } | null;
  /** service / limit (throughputs) or service / limit (latencies): see `ratioMeaning`. */
  ratio: number | null;
  ratioMeaning: string;
  target: { op: TargetOp; value: number; on: 'ratio' | 'service'; text: string } | null;
  pass: boolean | null;
  note?: string;
}

export interface BenchReport {
  schema: 1;
  mode: 'full' | 'smoke';
  date: string;
  command: string;
  durationS: number;
  machine: Record<string, unknown>;
  git: { commit: string; dirty: boolean };
  config: Record<string, unknown>;
  dataset: {
    sizes: Record<string, number>;
    migrationsS: number;
    loads: TableLoad[];
    loadS: number;
    tableSizes: Record<string, string>;
    /** The big company's ledger rows by kind (securities, transactions of each kind, splits). */
    ledger?: Record<string, number>;
  };
  certificatesPresent: boolean;
  figures: Record<string, Figure>;
  comparisons: Comparison[];
  plans: Record<string, PlanSummary>;
  writes: Record<string, unknown>;
  memory: Record<string, unknown>;
  chain: Record<string, unknown>;
  /** The ledger's one-off figures: reconciliation, split and its certificates. */
  ledger: Record<string, unknown>;
  /** Average cores used per phase, by the bench, its database, PostgreSQL's shared processes, others. */
  cpu: Record<
    string,
    {
      total: number;
      bench: number;
      postgresBench: number;
      postgresShared: number;
      foreign: number;
      seconds: number;
    }
  >;
  rssTimeline: Array<[number, number, string]>;
  notes: string[];
}

const fmt = (value: number | null | undefined, unit = ''): string => {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return `${round(value).toLocaleString('en')}${unit ? ` ${unit}` : ''}`;
};

const mb = (bytes: unknown): string =>
  typeof bytes === 'number' ? `${(bytes / 1048576).toFixed(0)} MB` : 'n/a';

function verdict(pass: boolean | null): string {
  if (pass === null) return 'info';
  return pass ? '**pass**' : '**FAIL**';
}

function heading(report: BenchReport): string[] {
  const m = report.machine;
  const sizes = report.dataset.sizes;
  const ledger = report.dataset.ledger ?? {};
  const transactions = ['TRANSFER', 'CANCELLATION', 'REPURCHASE', 'CONVERSION', 'REISSUANCE']
    .map((kind) => `${fmt(ledger[kind] ?? 0)} ${kind.toLowerCase()}s`)
    .join(', ');
  return [
    `# Corporate OS benchmark (${report.mode})`,
    '',
    `${report.date} · \`${report.command}\` · ${report.durationS.toFixed(0)} s · ${String(m.cores)} cores (${String(m.cpuModel)}), ${mb(m.memoryBytes)} RAM · Node ${String(m.node)} · PostgreSQL ${String(m.postgres)} · ${String(m.chromium)} · commit ${report.git.commit}${report.git.dirty ? ' (dirty tree)' : ''}`,
    '',
    `Dataset: ${fmt(sizes.holders ?? 0)} holders, ${fmt(sizes.issuances ?? 0)} issuances over 5 years (${transactions} of ${fmt(ledger.splits ?? 0)} splits; ${fmt(ledger.outstanding ?? 0)} of ${fmt(ledger.securities ?? 0)} securities outstanding), ${fmt(sizes.auditEntries ?? 0)} hash-chained audit entries${sizes.grants ? `, ${fmt(sizes.grants)} equity grants of 2 stock plans` : ''}${sizes.companies ? `, plus ${fmt(sizes.companies)} small companies of ${fmt(sizes.companyHolders ?? 0)} holders with one issuance each` : ''}, loaded in ${report.dataset.loadS.toFixed(1)} s. Each figure is the median of ${String(report.config.runs)} run(s) of ${String(report.config.runSeconds)} s after a ${String(report.config.warmupSeconds)} s warm-up; limits are measured in the same run on the same machine.`,
    '',
  ];
}

function ratioText(c: Comparison): string {
  if (c.ratio === null) return '—';
  if (c.ratioMeaning === 'of SQL time') return `${c.ratio.toFixed(2)}x SQL`;
  if (c.ratioMeaning === 'of COPY time') return `${c.ratio.toFixed(1)}x COPY`;
  if (c.ratioMeaning === 'of alone') return `${c.ratio.toFixed(2)}x alone`;
  return `${(c.ratio * 100).toFixed(0)}% ${c.ratioMeaning}`;
}

/** The comparisons: service, limit, ratio, target and the result of each. */
function comparisonsTable(comparisons: Comparison[]): string[] {
  const lines = [
    '| Figure | Service | Limit | Ratio | Target | Result |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const c of comparisons) {
    const service = `${c.service.lowerBound ? '> ' : ''}${fmt(c.service.value, c.service.unit)}${c.service.detail ? ` (${c.service.detail})` : ''}`;
    const limit = c.limit ? `${fmt(c.limit.value, c.limit.unit)} (${c.limit.label})` : '—';
    lines.push(
      `| ${c.label} | ${service} | ${limit} | ${ratioText(c)} | ${c.target?.text ?? '—'} | ${verdict(c.pass)} |`,
    );
  }
  return [...lines, ''];
}

function figuresTable(figures: Figure[]): string[] {
  return [
    '## Latency and throughput per route',
    '',
    '| Route / limit | Tool | Conns | ok/s | p50 ms | p95 ms | p99 ms | Failures | Runs |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...figures.map(
      (f) =>
        `| ${f.label} | ${f.tool} | ${f.connections} | ${fmt(f.rps)} | ${fmt(f.p50)} | ${fmt(f.p95)} | ${fmt(f.p99)} | ${f.failures} | ${f.runs} |`,
    ),
    '',
  ];
}

function writesSection(report: BenchReport): string[] {
  return [
    '## Writes, outbox and certificate backlog',
    '',
    '```json',
    JSON.stringify(report.writes, null, 2),
    '```',
    '',
    '## Ledger: reconciliation, transfers, split; equity plans',
    '',
    '```json',
    JSON.stringify(report.ledger, null, 2),
    '```',
    '',
  ];
}

function plansTable(plans: Record<string, PlanSummary>): string[] {
  return [
    '## Query plans (EXPLAIN ANALYZE, BUFFERS)',
    '',
    '| Query | Top node | Table access | Seq Scan on | Execution |',
    '| --- | --- | --- | --- | --- |',
    ...Object.entries(plans).map(
      ([name, plan]) =>
        `| ${name} | ${plan.topNode} | ${plan.access} | ${plan.seqScanOn.join(', ') || 'none'} | ${plan.executionMs.toFixed(2)} ms |`,
    ),
    '',
  ];
}

function memoryTable(memory: Record<string, unknown>): string[] {
  const lines = ['## Memory (API process RSS)', '', '| What | Value |', '| --- | --- |'];
  for (const [key, value] of Object.entries(memory)) {
    if (typeof value === 'number') lines.push(`| ${key} | ${mb(value)} |`);
    else if (value && typeof value === 'object') {
      for (const [phase, bytes] of Object.entries(value as Record<string, number>)) {
        lines.push(`| ${key}: ${phase} | ${mb(bytes)} |`);
      }
    }
  }
  return [...lines, ''];
}

function cpuTable(cpu: BenchReport['cpu']): string[] {
  return [
    '## CPU by phase (average cores in use)',
    '',
    '| Phase | Seconds | All | Bench processes | PostgreSQL (bench DB) | PostgreSQL shared | Other processes |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...Object.entries(cpu).map(
      ([phase, c]) =>
        `| ${phase} | ${c.seconds} | ${c.total} | ${c.bench} | ${c.postgresBench} | ${c.postgresShared} | ${c.foreign} |`,
    ),
    '',
  ];
}

function datasetSection(report: BenchReport): string[] {
  const { dataset } = report;
  return [
    '## Dataset load',
    '',
    '| Step | Rows | Seconds | COPY MB |',
    '| --- | --- | --- | --- |',
    `| migrations | — | ${dataset.migrationsS.toFixed(2)} | — |`,
    ...dataset.loads.map(
      (load) =>
        `| ${load.step} | ${load.rows.toLocaleString('en')} | ${load.seconds.toFixed(2)} | ${load.copyBytes === undefined ? '—' : (load.copyBytes / 1048576).toFixed(0)} |`,
    ),
    '',
    `Table sizes: ${Object.entries(dataset.tableSizes)
      .map(([t, s]) => `${t} ${s}`)
      .join(', ')}. Audit chain: ${JSON.stringify(report.chain)}`,
    '',
  ];
}

function machineSection(report: BenchReport): string[] {
  return [
    '## Machine and configuration',
    '',
    '```json',
    JSON.stringify({ machine: report.machine, config: report.config }, null, 2),
    '```',
  ];
}

function notesSection(notes: string[]): string[] {
  if (notes.length === 0) return [];
  return ['', '## Notes', '', ...notes.map((note) => `- ${note}`)];
}

export function markdown(report: BenchReport): string {
  return [
    ...heading(report),
    ...comparisonsTable(report.comparisons),
    ...figuresTable(Object.values(report.figures)),
    ...writesSection(report),
    ...plansTable(report.plans),
    ...memoryTable(report.memory),
    ...cpuTable(report.cpu),
    ...datasetSection(report),
    ...machineSection(report),
    ...notesSection(report.notes),
    '',
  ].join('\n');
}

export function writeReport(outDir: string, report: BenchReport, samples: RssSample[]): string[] {
  mkdirSync(outDir, { recursive: true });
  const stamp = report.date.replace(/[:.]/g, '-');
  const files: string[] = [];
  const write = (name: string, content: string) => {
    writeFileSync(join(outDir, name), content);
    files.push(join(outDir, name));
  };
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const md = markdown(report);
  const svg = latencySvg(
    Object.values(report.figures),
    `Latency percentiles per route (${report.mode}, ${report.date.slice(0, 10)})`,
  );
  write('latest.json', json);
  write('latest.md', md);
  write('latency.svg', svg);
  write('rss.svg', rssSvg(samples));
  write(`bench-${stamp}.json`, json);
  write(`bench-${stamp}.md`, md);
  write(`latency-${stamp}.svg`, svg);
  return files;
}
