/** The report: JSON (everything), markdown (the table) and an SVG of latency percentiles. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RssSample } from './api-process';
import type { TableLoad } from './dataset';
import type { PlanSummary } from './sql-limits';
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
  };
  certificatesPresent: boolean;
  figures: Record<string, Figure>;
  comparisons: Comparison[];
  plans: Record<string, PlanSummary>;
  writes: Record<string, unknown>;
  memory: Record<string, unknown>;
  chain: Record<string, unknown>;
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

export function markdown(report: BenchReport): string {
  const lines: string[] = [];
  const m = report.machine;
  lines.push(`# Corporate OS benchmark (${report.mode})`);
  lines.push('');
  lines.push(
    `${report.date} · \`${report.command}\` · ${report.durationS.toFixed(0)} s · ${String(m.cores)} cores (${String(m.cpuModel)}), ${mb(m.memoryBytes)} RAM · Node ${String(m.node)} · PostgreSQL ${String(m.postgres)} · ${String(m.chromium)} · commit ${report.git.commit}${report.git.dirty ? ' (dirty tree)' : ''}`,
  );
  lines.push('');
  const sizes = report.dataset.sizes;
  lines.push(
    `Dataset: ${fmt(sizes.holders ?? 0)} holders, ${fmt(sizes.issuances ?? 0)} issuances over 5 years, ${fmt(sizes.auditEntries ?? 0)} hash-chained audit entries, loaded in ${report.dataset.loadS.toFixed(1)} s. Each figure is the median of ${String(report.config.runs)} run(s) of ${String(report.config.runSeconds)} s after a ${String(report.config.warmupSeconds)} s warm-up; limits are measured in the same run on the same machine.`,
  );
  lines.push('');
  lines.push('| Figure | Service | Limit | Ratio | Target | Result |');
  lines.push('| --- | --- | --- | --- | --- | --- |');
  for (const c of report.comparisons) {
    const service = `${c.service.lowerBound ? '> ' : ''}${fmt(c.service.value, c.service.unit)}${c.service.detail ? ` (${c.service.detail})` : ''}`;
    const limit = c.limit ? `${fmt(c.limit.value, c.limit.unit)} (${c.limit.label})` : '—';
    const ratio =
      c.ratio === null
        ? '—'
        : c.ratioMeaning === 'of SQL time'
          ? `${c.ratio.toFixed(2)}x SQL`
          : `${(c.ratio * 100).toFixed(0)}% ${c.ratioMeaning}`;
    lines.push(
      `| ${c.label} | ${service} | ${limit} | ${ratio} | ${c.target?.text ?? '—'} | ${verdict(c.pass)} |`,
    );
  }
  lines.push('');
  lines.push('## Latency and throughput per route');
  lines.push('');
  lines.push(
    '| Route / limit | Tool | Conns | ok/s | p50 ms | p95 ms | p99 ms | Failures | Runs |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const f of Object.values(report.figures)) {
    lines.push(
      `| ${f.label} | ${f.tool} | ${f.connections} | ${fmt(f.rps)} | ${fmt(f.p50)} | ${fmt(f.p95)} | ${fmt(f.p99)} | ${f.failures} | ${f.runs} |`,
    );
  }
  lines.push('');
  lines.push('## Writes, outbox and certificate backlog');
  lines.push('');
  lines.push('```json');
  lines.push(JSON.stringify(report.writes, null, 2));
  lines.push('```');
  lines.push('');
  lines.push('## Query plans (EXPLAIN ANALYZE, BUFFERS)');
  lines.push('');
  lines.push('| Query | Top node | Table access | Seq Scan on | Execution |');
  lines.push('| --- | --- | --- | --- | --- |');
  for (const [name, plan] of Object.entries(report.plans)) {
    lines.push(
      `| ${name} | ${plan.topNode} | ${plan.access} | ${plan.seqScanOn.join(', ') || 'none'} | ${plan.executionMs.toFixed(2)} ms |`,
    );
  }
  lines.push('');
  lines.push('## Memory (API process RSS)');
  lines.push('');
  lines.push('| What | Value |');
  lines.push('| --- | --- |');
  for (const [key, value] of Object.entries(report.memory)) {
    if (typeof value === 'number') lines.push(`| ${key} | ${mb(value)} |`);
    else if (value && typeof value === 'object') {
      for (const [phase, bytes] of Object.entries(value as Record<string, number>)) {
        lines.push(`| ${key}: ${phase} | ${mb(bytes)} |`);
      }
    }
  }
  lines.push('');
  lines.push('## CPU by phase (average cores in use)');
  lines.push('');
  lines.push(
    '| Phase | Seconds | All | Bench processes | PostgreSQL (bench DB) | PostgreSQL shared | Other processes |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const [phase, c] of Object.entries(report.cpu)) {
    lines.push(
      `| ${phase} | ${c.seconds} | ${c.total} | ${c.bench} | ${c.postgresBench} | ${c.postgresShared} | ${c.foreign} |`,
    );
  }
  lines.push('');
  lines.push('## Dataset load');
  lines.push('');
  lines.push('| Step | Rows | Seconds | COPY MB |');
  lines.push('| --- | --- | --- | --- |');
  lines.push(`| migrations | — | ${report.dataset.migrationsS.toFixed(2)} | — |`);
  for (const load of report.dataset.loads) {
    lines.push(
      `| ${load.step} | ${load.rows.toLocaleString('en')} | ${load.seconds.toFixed(2)} | ${load.copyBytes === undefined ? '—' : (load.copyBytes / 1048576).toFixed(0)} |`,
    );
  }
  lines.push('');
  lines.push(
    `Table sizes: ${Object.entries(report.dataset.tableSizes)
      .map(([t, s]) => `${t} ${s}`)
      .join(', ')}. Audit chain: ${JSON.stringify(report.chain)}`,
  );
  lines.push('');
  lines.push('## Machine and configuration');
  lines.push('');
  lines.push('```json');
  lines.push(JSON.stringify({ machine: report.machine, config: report.config }, null, 2));
  lines.push('```');
  if (report.notes.length > 0) {
    lines.push('');
    lines.push('## Notes');
    lines.push('');
    for (const note of report.notes) lines.push(`- ${note}`);
  }
  lines.push('');
  return lines.join('\n');
}

const escapeXml = (s: string): string =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);

/** Horizontal bars (p50, p95, p99) per route on a log-scale millisecond axis. */
export function latencySvg(figures: Figure[], title: string): string {
  const rows = figures.filter((f) => Number.isFinite(f.p50) && f.p50 > 0);
  const labelWidth = 330;
  const plotWidth = 560;
  const rowHeight = 34;
  const top = 50;
  const height = top + rows.length * rowHeight + 50;
  const width = labelWidth + plotWidth + 150;
  const maxValue = Math.max(1, ...rows.map((f) => (Number.isFinite(f.p99) ? f.p99 : f.p95)));
  const minExp = Math.floor(Math.log10(Math.min(...rows.map((f) => f.p50), 1)));
  const maxExp = Math.ceil(Math.log10(maxValue));
  const x = (ms: number): number =>
    labelWidth +
    ((Math.log10(Math.max(ms, 10 ** minExp)) - minExp) / Math.max(1, maxExp - minExp)) * plotWidth;
  const colors = { p50: '#2f6f9f', p95: '#e0a030', p99: '#c04040' };
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(`<text x="12" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`);
  for (let e = minExp; e <= maxExp; e += 1) {
    const gx = x(10 ** e);
    out.push(
      `<line x1="${gx}" y1="${top - 8}" x2="${gx}" y2="${height - 40}" stroke="#dddddd"/>`,
      `<text x="${gx}" y="${height - 26}" text-anchor="middle" fill="#555">${10 ** e >= 1 ? 10 ** e : (10 ** e).toFixed(-e)} ms</text>`,
    );
  }
  rows.forEach((f, i) => {
    const y = top + i * rowHeight;
    out.push(
      `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${escapeXml(f.label)}</text>`,
    );
    (['p99', 'p95', 'p50'] as const).forEach((key, k) => {
      const value = f[key];
      if (!Number.isFinite(value)) return;
      const barY = y + 2 + (2 - k) * 9;
      out.push(
        `<rect x="${labelWidth}" y="${barY}" width="${Math.max(1, x(value) - labelWidth)}" height="8" fill="${colors[key]}"><title>${escapeXml(`${f.label} ${key} ${round(value)} ms`)}</title></rect>`,
      );
    });
    out.push(
      `<text x="${x(f.p99 > 0 ? f.p99 : f.p95) + 4}" y="${y + 17}" fill="#333" font-size="10">${round(f.p50)} / ${round(f.p95)} / ${round(f.p99)}</text>`,
    );
  });
  const legendY = height - 10;
  (['p50', 'p95', 'p99'] as const).forEach((key, i) => {
    out.push(
      `<rect x="${labelWidth + i * 90}" y="${legendY - 9}" width="10" height="10" fill="${colors[key]}"/>`,
      `<text x="${labelWidth + i * 90 + 14}" y="${legendY}">${key}</text>`,
    );
  });
  out.push(`<text x="12" y="${legendY}" fill="#555">latency, log scale (ms)</text>`);
  out.push('</svg>');
  return out.join('\n');
}

/** API RSS over the run, with the phase names. */
export function rssSvg(samples: RssSample[]): string {
  const width = 900;
  const height = 300;
  const left = 60;
  const bottom = 250;
  if (samples.length < 2) return `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`;
  const t0 = samples[0].t;
  const t1 = samples[samples.length - 1].t;
  const maxRss = Math.max(...samples.map((s) => s.rss));
  const x = (t: number) => left + ((t - t0) / Math.max(1, t1 - t0)) * (width - left - 20);
  const y = (rss: number) => bottom - (rss / maxRss) * (bottom - 30);
  const path = samples
    .map((s, i) => `${i === 0 ? 'M' : 'L'}${x(s.t).toFixed(1)},${y(s.rss).toFixed(1)}`)
    .join(' ');
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="12" y="18" font-size="14" font-weight="bold">API RSS over the run (peak ${(maxRss / 1048576).toFixed(0)} MB)</text>`,
    `<line x1="${left}" y1="${bottom}" x2="${width - 20}" y2="${bottom}" stroke="#999"/>`,
    `<text x="${left - 6}" y="${y(maxRss) + 4}" text-anchor="end">${(maxRss / 1048576).toFixed(0)} MB</text>`,
    `<text x="${left - 6}" y="${bottom}" text-anchor="end">0</text>`,
  ];
  let phase = '';
  let row = 0;
  for (const s of samples) {
    if (s.phase !== phase) {
      phase = s.phase;
      const px = x(s.t);
      out.push(
        `<line x1="${px}" y1="30" x2="${px}" y2="${bottom}" stroke="#ddd"/>`,
        `<text x="${px + 2}" y="${bottom + 14 + (row % 3) * 12}" fill="#555">${escapeXml(phase)}</text>`,
      );
      row += 1;
    }
  }
  out.push(`<path d="${path}" fill="none" stroke="#2f6f9f" stroke-width="1.5"/>`);
  out.push('</svg>');
  return out.join('\n');
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
