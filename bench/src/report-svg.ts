/** The report's charts: latency percentiles per route, and the API's RSS over the run. */
import type { RssSample } from './api-process';
import type { Figure } from './report';
import { round } from './stats';

const escapeXml = (s: string): string =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);

const LABEL_WIDTH = 330;
const PLOT_WIDTH = 560;
const ROW_HEIGHT = 34;
const TOP = 50;
const COLORS = { p50: '#2f6f9f', p95: '#e0a030', p99: '#c04040' };

/** The log-scale axis: from the power of ten below the fastest p50 to the one above the slowest p99. */
interface LogAxis {
  minExp: number;
  maxExp: number;
  x: (ms: number) => number;
}

function logAxis(rows: Figure[]): LogAxis {
  const maxValue = Math.max(1, ...rows.map((f) => (Number.isFinite(f.p99) ? f.p99 : f.p95)));
  const minExp = Math.floor(Math.log10(Math.min(...rows.map((f) => f.p50), 1)));
  const maxExp = Math.ceil(Math.log10(maxValue));
  const x = (ms: number): number =>
    LABEL_WIDTH +
    ((Math.log10(Math.max(ms, 10 ** minExp)) - minExp) / Math.max(1, maxExp - minExp)) * PLOT_WIDTH;
  return { minExp, maxExp, x };
}

function gridLines({ minExp, maxExp, x }: LogAxis, height: number): string[] {
  const out: string[] = [];
  for (let e = minExp; e <= maxExp; e += 1) {
    const gx = x(10 ** e);
    out.push(
      `<line x1="${gx}" y1="${TOP - 8}" x2="${gx}" y2="${height - 40}" stroke="#dddddd"/>`,
      `<text x="${gx}" y="${height - 26}" text-anchor="middle" fill="#555">${10 ** e >= 1 ? 10 ** e : (10 ** e).toFixed(-e)} ms</text>`,
    );
  }
  return out;
}

function routeBars(f: Figure, i: number, { x }: LogAxis): string[] {
  const y = TOP + i * ROW_HEIGHT;
  const out = [
    `<text x="${LABEL_WIDTH - 8}" y="${y + 17}" text-anchor="end">${escapeXml(f.label)}</text>`,
  ];
  (['p99', 'p95', 'p50'] as const).forEach((key, k) => {
    const value = f[key];
    if (!Number.isFinite(value)) return;
    const barY = y + 2 + (2 - k) * 9;
    out.push(
      `<rect x="${LABEL_WIDTH}" y="${barY}" width="${Math.max(1, x(value) - LABEL_WIDTH)}" height="8" fill="${COLORS[key]}"><title>${escapeXml(`${f.label} ${key} ${round(value)} ms`)}</title></rect>`,
    );
  });
  out.push(
    `<text x="${x(f.p99 > 0 ? f.p99 : f.p95) + 4}" y="${y + 17}" fill="#333" font-size="10">${round(f.p50)} / ${round(f.p95)} / ${round(f.p99)}</text>`,
  );
  return out;
}

function legend(height: number): string[] {
  const legendY = height - 10;
  const out = (['p50', 'p95', 'p99'] as const).flatMap((key, i) => [
    `<rect x="${LABEL_WIDTH + i * 90}" y="${legendY - 9}" width="10" height="10" fill="${COLORS[key]}"/>`,
    `<text x="${LABEL_WIDTH + i * 90 + 14}" y="${legendY}">${key}</text>`,
  ]);
  out.push(`<text x="12" y="${legendY}" fill="#555">latency, log scale (ms)</text>`);
  return out;
}

/** Horizontal bars (p50, p95, p99) per route on a log-scale millisecond axis. */
export function latencySvg(figures: Figure[], title: string): string {
  const rows = figures.filter((f) => Number.isFinite(f.p50) && f.p50 > 0);
  const height = TOP + rows.length * ROW_HEIGHT + 50;
  const width = LABEL_WIDTH + PLOT_WIDTH + 150;
  const axis = logAxis(rows);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ...gridLines(axis, height),
    ...rows.flatMap((f, i) => routeBars(f, i, axis)),
    ...legend(height),
    '</svg>',
  ].join('\n');
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
