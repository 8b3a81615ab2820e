/**
 * What a row of the comparisons table (`targets.ts`) means, and its evaluation against a run's
 * results: the values on both sides, the ratio, and pass (true), fail (false) or information only
 * (null, no target). Rows with nothing measured on either side (phases left out with --only) are
 * left out.
 */
import type { Comparison, Figure, TargetOp } from './report';
import type { PlanSummary } from './sql-limits';

/**
 * A dotted path into the results: `figures.<key>.<stat>`, `writes.…`, `memory.…`, `ledger.…`,
 * `plans.<name>.…`, `certificatesPresent`.
 */
export type Path = string;

/**
 * Text with placeholders: `{{path}}` as is, `{{path|1}}` with 1 decimal, `{{path|en}}` with
 * thousands separators, `{{path/1000|2}}` divided first, `{{path|0|∞}}` with `∞` when the value is
 * missing (`n/a` otherwise). `{{opts.deepPages}}`, `{{opts.exportEntries}}`,
 * `{{opts.companies}}` (the small companies) and `{{opts.splitHolders}}` (the split class's
 * holders) are filled in first everywhere, paths included.
 */
export type Template = string;

/** `then` when `if` is present (neither null, undefined nor false), else `else` (or nothing). */
export interface Choice {
  if: Path;
  then: Text;
  else?: Text;
}

export type Text = Template | Choice;

export interface ServiceSide {
  /** The value shown; with several paths, the first one present. */
  value: Path | Path[];
  unit: string;
  /** The figure the value comes from, named in the JSON report. */
  figure?: string;
  /** The value is divided by this (bytes to MB) before it is shown and judged. */
  divisor?: number;
  detail?: Text;
  /** The value is a lower bound when this path is missing (runs not drained in time). */
  lowerBoundUnless?: Path;
}

export interface LimitSide {
  value: Path;
  unit: string;
  figure?: string;
  label: Template;
}

export interface RatioRule {
  meaning:
    | 'of limit'
    | 'of SQL time'
    | 'of COPY time'
    | 'of alone'
    | 'clear rate / render rate'
    | 'drain rate / raw rate';
  /** Numerator and denominator, when they are not the service value and the limit value. */
  of?: [Path, Path];
}

export interface TargetRule {
  op: TargetOp;
  value: number;
  /** Judged on the ratio, or on the service side. */
  on: 'ratio' | 'service';
  text: string;
  /**
   * On the service side, what is judged when it is not the value shown: another path, or how many
   * times `count` occurs in the list at `in`.
   */
  judge?: Path | { count: string; in: Path };
}

export interface TargetRow {
  id: Template;
  label: Template;
  /** The row exists only when this path is present. */
  when?: Path;
  service: ServiceSide;
  limit?: LimitSide;
  /** Service value / limit value, "of limit", when there is a limit and no rule. */
  ratio?: RatioRule;
  /** No target: information only. A missing judged value misses the target. */
  target?: TargetRule;
  /** Said beside the result when the target is missed. */
  failNote?: string;
}

/** What the rows are evaluated against. */
export interface RunResults {
  figures: Record<string, Figure>;
  plans: Record<string, PlanSummary>;
  writes: Record<string, unknown>;
  memory: Record<string, unknown>;
  ledger: Record<string, unknown>;
  certificatesPresent: boolean;
  opts: { deepPages: number; exportEntries: number; companies: number; splitHolders: number };
}

const present = (value: unknown): boolean =>
  value !== undefined && value !== null && value !== false;

function resolve(results: RunResults, path: Path): unknown {
  let at: unknown = results;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

const numberAt = (results: RunResults, path: Path): number | null => {
  const value = resolve(results, path);
  return typeof value === 'number' ? value : null;
};

const PLACEHOLDER = /\{\{([^{}|/]+)(?:\/(\d+))?(?:\|([^{}|]*))?(?:\|([^{}]*))?\}\}/g;
const OPTION = /\{\{opts\.(\w+)(?:\|(\w+))?\}\}/g;

function format(value: unknown, style: string | undefined, missing: string | undefined): string {
  if (value === undefined || value === null) return missing ?? 'n/a';
  if (typeof value === 'string') return value;
  if (typeof value !== 'number') return JSON.stringify(value);
  if (style === 'en') return value.toLocaleString('en');
  return style ? value.toFixed(Number(style)) : String(value);
}

function fill(results: RunResults, template: Template): string {
  return template.replace(
    PLACEHOLDER,
    (_: string, path: string, divisor?: string, style?: string, missing?: string) => {
      const value = resolve(results, path);
      const scaled = divisor && typeof value === 'number' ? value / Number(divisor) : value;
      return format(scaled, style, missing);
    },
  );
}

function text(results: RunResults, value: Text | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return fill(results, value);
  return text(results, present(resolve(results, value.if)) ? value.then : value.else);
}

/** The row with the run's options filled into every string (paths, ids and labels). */
function withOptions<T>(value: T, opts: RunResults['opts']): T {
  if (typeof value === 'string') {
    return value.replace(OPTION, (_, name: string, style?: string) =>
      format(opts[name as keyof RunResults['opts']], style, undefined),
    ) as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => withOptions(item, opts)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, withOptions(item as unknown, opts)]),
    ) as T;
  }
  return value;
}

const ratioOf = (a: number | null, b: number | null): number | null =>
  a !== null && b !== null && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : null;

function meets(value: number | null, op: TargetOp, bound: number): boolean {
  if (value === null) return false;
  if (op === '>=') return value >= bound;
  if (op === '<=') return value <= bound;
  return value < bound;
}

function serviceValue(results: RunResults, side: ServiceSide): number | null {
  const paths = Array.isArray(side.value) ? side.value : [side.value];
  const found = paths.map((path) => numberAt(results, path)).find((value) => value !== null);
  if (found === undefined) return null;
  return side.divisor ? found / side.divisor : found;
}

function judged(results: RunResults, target: TargetRule, service: number | null): number | null {
  if (target.judge === undefined) return service;
  if (typeof target.judge === 'string') return numberAt(results, target.judge);
  const { count, in: listPath } = target.judge;
  const list = resolve(results, listPath);
  return Array.isArray(list) ? list.filter((item) => item === count).length : null;
}

function evaluate(results: RunResults, row: TargetRow): Comparison {
  const value = serviceValue(results, row.service);
  const limit = row.limit ? numberAt(results, row.limit.value) : null;
  const rule = row.ratio ?? (row.limit ? { meaning: 'of limit' as const } : undefined);
  const ratio = !rule
    ? null
    : rule.of
      ? ratioOf(numberAt(results, rule.of[0]), numberAt(results, rule.of[1]))
      : ratioOf(value, limit);
  const { judge: _judge, ...target } = row.target ?? {};
  const pass = row.target
    ? meets(
        row.target.on === 'ratio' ? ratio : judged(results, row.target, value),
        row.target.op,
        row.target.value,
      )
    : null;
  return {
    id: row.id,
    label: row.label,
    service: serviceSide(results, row.service, value),
    limit: row.limit
      ? {
          value: limit,
          unit: row.limit.unit,
          ...(row.limit.figure ? { figure: row.limit.figure } : {}),
          label: fill(results, row.limit.label),
        }
      : null,
    ratio,
    ratioMeaning: rule?.meaning ?? '',
    target: row.target ? (target as Comparison['target']) : null,
    pass,
    ...(pass === false && row.failNote ? { note: row.failNote } : {}),
  };
}

function serviceSide(
  results: RunResults,
  side: ServiceSide,
  value: number | null,
): Comparison['service'] {
  const detail = text(results, side.detail);
  return {
    value,
    unit: side.unit,
    ...(side.figure ? { figure: side.figure } : {}),
    ...(detail === undefined ? {} : { detail }),
    ...(side.lowerBoundUnless
      ? { lowerBound: !present(resolve(results, side.lowerBoundUnless)) }
      : {}),
  };
}

/** The rows that apply to this run, evaluated, in the table's order. */
export function compare(rows: readonly TargetRow[], results: RunResults): Comparison[] {
  return rows
    .map((row) => withOptions(row, results.opts))
    .filter((row) => row.when === undefined || present(resolve(results, row.when)))
    .map((row) => evaluate(results, row))
    .filter((c) => c.service.value !== null || (c.limit?.value ?? null) !== null);
}
