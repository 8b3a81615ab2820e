/**
 * Recognising SQL in a string and finding the tables it names. Deliberately a scanner, not a SQL
 * parser: it only has to tell SQL from prose and find the names in table positions (after FROM,
 * JOIN, INTO, UPDATE … SET, DELETE FROM, TABLE, LOCK, TRUNCATE, REFERENCES, COPY, USING), so that
 * an unknown name is reported rather than missed.
 */

/** Stands for an interpolated `${…}` (or a concatenated non-literal) in the text being checked. */
export const PLACEHOLDER = '__EXPR__';

/** What a table position held when it was not a literal name, e.g. `FROM ${table}`. */
export const DYNAMIC_TABLE = '${…}';

/** Drops comments and the contents of string literals, which may hold any words. */
export function stripSqlNoise(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, "''")
    .replace(/'(?:[^']|'')*'/g, "''");
}

/**
 * SQL written in upper case, the convention of this code base, is recognised anywhere in a string;
 * lower-case SQL only when the string starts with it. A log message such as "could not delete
 * from the cache" is prose, `'DELETE FROM cache'` and `'delete from cache where …'` are SQL.
 */
const UPPER_CASE_SQL: readonly RegExp[] = [
  /\bSELECT\b[\s\S]*\bFROM\b/,
  /^[\s(]*SELECT\s+\S/,
  /\bINSERT\s+INTO\s+\S/,
  /\bUPDATE\s+(ONLY\s+)?[\w."]+(\s+(AS\s+)?\w+)?\s+SET\s/,
  /\bDELETE\s+FROM\s+\S/,
  /\bMERGE\s+INTO\s+\S/,
  /\bWITH\s+(RECURSIVE\s+)?\w+(\s*\([^)]*\))?\s+AS\s+(NOT\s+)?(MATERIALIZED\s+)?\(/,
  /\bLOCK\s+TABLE\s+\S/,
  /\bTRUNCATE\s+(TABLE\s+)?(ONLY\s+)?[\w."]+/,
  /\bREFERENCES\s+[\w."]+\s*\(/,
  /^\s*(LOCK|COPY|LISTEN|UNLISTEN|NOTIFY|VACUUM|ANALYZE|EXPLAIN|CALL)\s+\S/,
  /^\s*REFRESH\s+MATERIALIZED\s+VIEW\s/,
  /^\s*(SET|RESET)\s+(LOCAL\s+|SESSION\s+)?[a-z_][\w.]*\s*(=|TO\b|;|$)/,
  /^\s*(BEGIN|START|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)(\s+(TRANSACTION|WORK|ISOLATION|SAVEPOINT|TO|AND)\b|\s*;)/,
  /\b(CREATE|ALTER|DROP)\s+(OR\s+REPLACE\s+)?(UNIQUE\s+)?(TEMP(ORARY)?\s+|UNLOGGED\s+)?(TABLE|INDEX|VIEW|MATERIALIZED\s+VIEW|SEQUENCE|TRIGGER|FUNCTION|PROCEDURE|SCHEMA|TYPE|EXTENSION|POLICY)\b/,
];

const LEADING_SQL_ANY_CASE =
  /^[\s(]*(select\s+(\*|\d|distinct\b|[\w.$"]+(\s*,|\s*\(|\s*::|\s+as\s|\s+from\s))|insert\s+into\s|update\s+(only\s+)?[\w."]+(\s+(as\s+)?\w+)?\s+set\s|delete\s+from\s|merge\s+into\s|with\s+(recursive\s+)?\w+\s+as\s+\(|lock\s+table\s|truncate\s+(table\s+)?\w|copy\s+[\w."]+\s*(\(|from\b|to\b)|(un)?listen\s+\w|notify\s+\w|set\s+(local|session)\s)/i;

/** Whether a string literal (or a template / concatenation, see PLACEHOLDER) looks like SQL. */
export function looksLikeSql(text: string): boolean {
  const sql = stripSqlNoise(text);
  return UPPER_CASE_SQL.some((pattern) => pattern.test(sql)) || LEADING_SQL_ANY_CASE.test(sql);
}

interface Token {
  text: string;
  /** Keyword-comparable form: upper case for bare words, as written for quoted identifiers. */
  upper: string;
  kind: 'word' | 'quoted' | 'punct' | 'other';
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /"(?:[^"]|"")*"|[A-Za-z_][\w$]*|\$\d+|\d+(?:\.\d+)?|::|[(),.;]|\S/g;
  for (const match of sql.matchAll(pattern)) {
    const text = match[0];
    const kind = text.startsWith('"')
      ? 'quoted'
      : /^[A-Za-z_]/.test(text)
        ? 'word'
        : /^[(),.;]$/.test(text)
          ? 'punct'
          : 'other';
    tokens.push({ text, upper: kind === 'word' ? text.toUpperCase() : text, kind });
  }
  return tokens;
}

/** Words after which a bare word is not a table alias but the next clause. */
const CLAUSE_WORDS = new Set([
  'WHERE',
  'JOIN',
  'INNER',
  'LEFT',
  'RIGHT',
  'FULL',
  'CROSS',
  'NATURAL',
  'ON',
  'USING',
  'GROUP',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'HAVING',
  'WINDOW',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'FOR',
  'RETURNING',
  'SET',
  'VALUES',
  'SELECT',
  'WITH',
  'DO',
  'FETCH',
  'TABLESAMPLE',
  'DEFAULT',
  'OVERRIDING',
  'CASCADE',
  'RESTRICT',
  'CONTINUE',
  'RESTART',
  'IN',
  'NOWAIT',
  'WHEN',
  'THEN',
  'AND',
  'OR',
  'NOT',
]);

/** SQL functions whose arguments use FROM as a keyword, e.g. `extract(epoch FROM t)`. */
const FROM_INSIDE_FUNCTION = new Set(['EXTRACT', 'SUBSTRING', 'TRIM', 'OVERLAY', 'POSITION']);

/** Words that may stand between a table keyword and the name: `FROM ONLY t`, `TABLE IF EXISTS t`. */
const SKIPPED_BEFORE_TABLE = new Set(['ONLY', 'LATERAL', 'IF', 'NOT', 'EXISTS', 'CONCURRENTLY']);

function isName(token: Token | undefined): token is Token {
  return token !== undefined && (token.kind === 'word' || token.kind === 'quoted');
}

function normalizeName(parts: Token[]): string {
  const names = parts
    .filter((part) => part.text !== '.')
    .map((part) =>
      part.kind === 'quoted' ? part.text.slice(1, -1).replace(/""/g, '"') : part.text.toLowerCase(),
    );
  if (names.some((name) => name.toLowerCase().includes(PLACEHOLDER.toLowerCase()))) {
    return DYNAMIC_TABLE;
  }
  if (names.length > 1 && names[0] === 'public') names.shift();
  return names.join('.');
}

/** `"public"."Issuance"` → `Issuance`, `public.issuance` → `issuance`, `Issuance` → `issuance`. */
export function normalizeQualifiedName(raw: string): string {
  const parts = raw.match(/"(?:[^"]|"")*"|[^."\s]+/g) ?? [];
  return normalizeName(
    parts.map((text) => ({ text, upper: text, kind: text.startsWith('"') ? 'quoted' : 'word' })),
  );
}

class TableScanner {
  private readonly tokens: Token[];
  private readonly found: string[] = [];
  private readonly cteNames = new Set<string>();
  private readonly hasDeleteOrMerge: boolean;

  constructor(sql: string) {
    this.tokens = tokenize(stripSqlNoise(sql));
    this.hasDeleteOrMerge = this.tokens.some((t) => t.upper === 'DELETE' || t.upper === 'MERGE');
    this.collectCteNames();
  }

  scan(): string[] {
    const openers: Array<string | null> = [];
    for (let i = 0; i < this.tokens.length; i++) {
      const token = this.tokens[i];
      if (token.text === '(') {
        const before = this.tokens[i - 1];
        openers.push(before?.kind === 'word' ? before.upper : null);
        continue;
      }
      if (token.text === ')') {
        openers.pop();
        continue;
      }
      if (token.kind !== 'word') continue;
      this.atKeyword(i, openers[openers.length - 1] ?? null);
    }
    return this.found.filter((name) => !this.cteNames.has(name));
  }

  private atKeyword(i: number, enclosingFunction: string | null): void {
    const word = this.tokens[i].upper;
    const before = this.tokens[i - 1]?.upper;
    const after = this.tokens[i + 1]?.upper;
    switch (word) {
      case 'FROM':
        if (before === 'DISTINCT' || ['STDIN', 'STDOUT', 'PROGRAM'].includes(after ?? '')) return;
        if (enclosingFunction !== null && FROM_INSIDE_FUNCTION.has(enclosingFunction)) return;
        this.tableList(i + 1, 'relation');
        return;
      case 'JOIN':
        this.tableItem(i + 1, 'relation');
        return;
      case 'INTO':
        if (before === 'INSERT' || before === 'MERGE') this.tableItem(i + 1, 'target');
        return;
      case 'UPDATE':
        this.updateTarget(i + 1);
        return;
      case 'TABLE':
        if (
          ['LOCK', 'TRUNCATE', 'ALTER', 'CREATE', 'DROP', 'TEMP', 'TEMPORARY', 'UNLOGGED'].includes(
            before ?? '',
          )
        ) {
          this.tableList(i + 1, 'target');
        }
        return;
      case 'VIEW':
        if (
          ['MATERIALIZED', 'CREATE', 'REPLACE', 'ALTER', 'DROP', 'RECURSIVE'].includes(before ?? '')
        ) {
          this.tableList(i + 1, 'target');
        }
        return;
      case 'LOCK':
      case 'TRUNCATE':
        if (after !== 'TABLE') this.tableList(i + 1, 'target');
        return;
      case 'REFERENCES':
      case 'COPY':
        this.tableItem(i + 1, 'target');
        return;
      case 'USING':
        if (this.hasDeleteOrMerge) this.tableList(i + 1, 'relation');
        return;
      default:
        return;
    }
  }

  /** `UPDATE [ONLY] name [[AS] alias] SET`: anything else (FOR UPDATE, DO UPDATE SET, ON UPDATE) is not a table. */
  private updateTarget(start: number): void {
    let i = start;
    if (this.tokens[i]?.upper === 'ONLY') i++;
    const end = this.qualifiedNameEnd(i);
    if (end === i) return;
    let next = end;
    if (this.tokens[next]?.upper === 'AS') next++;
    if (this.tokens[next]?.upper !== 'SET' && isName(this.tokens[next])) next++;
    if (this.tokens[next]?.upper === 'SET')
      this.found.push(normalizeName(this.tokens.slice(i, end)));
  }

  /** Index after `a`, `a.b` or `a.b.c` starting at i (i itself when there is no name). */
  private qualifiedNameEnd(i: number): number {
    if (!isName(this.tokens[i]) || CLAUSE_WORDS.has(this.tokens[i].upper)) return i;
    let end = i + 1;
    while (this.tokens[end]?.text === '.' && isName(this.tokens[end + 1])) end += 2;
    return end;
  }

  /**
   * One table position. A `(` starts a subquery or a VALUES list; a name followed by `(` is a
   * function in a FROM/JOIN (`unnest(…)`) but a column list after INTO/REFERENCES/COPY.
   * Returns the index after the item, or -1 when the position held no item.
   */
  private tableItem(start: number, position: 'relation' | 'target'): number {
    let i = start;
    while (SKIPPED_BEFORE_TABLE.has(this.tokens[i]?.upper ?? '')) i++;
    const token = this.tokens[i];
    if (token === undefined) return -1;
    if (token.text === '(') return this.matchingParen(i) + 1;
    if (token.text.includes(PLACEHOLDER)) {
      this.found.push(DYNAMIC_TABLE);
      return i + 1;
    }
    const end = this.qualifiedNameEnd(i);
    if (end === i) return -1;
    if (position === 'relation' && this.tokens[end]?.text === '(') {
      return this.matchingParen(end) + 1;
    }
    this.found.push(normalizeName(this.tokens.slice(i, end)));
    return end;
  }

  /** `item [[AS] alias [(columns)]] [, item …]` */
  private tableList(start: number, position: 'relation' | 'target'): void {
    let i = this.tableItem(start, position);
    while (i > 0 && i < this.tokens.length) {
      if (this.tokens[i]?.upper === 'AS') i++;
      if (isName(this.tokens[i]) && !CLAUSE_WORDS.has(this.tokens[i].upper)) i++;
      if (this.tokens[i]?.text === '(' && position === 'relation') i = this.matchingParen(i) + 1;
      if (this.tokens[i]?.text !== ',') return;
      i = this.tableItem(i + 1, position);
    }
  }

  private matchingParen(open: number): number {
    let depth = 0;
    for (let i = open; i < this.tokens.length; i++) {
      if (this.tokens[i].text === '(') depth++;
      if (this.tokens[i].text === ')' && --depth === 0) return i;
    }
    return this.tokens.length;
  }

  /** `WITH [RECURSIVE] name [(cols)] AS (`, and `, name [(cols)] AS (` for the following ones. */
  private collectCteNames(): void {
    for (let i = 0; i < this.tokens.length; i++) {
      const before = this.tokens[i - 1];
      if (!isName(this.tokens[i])) continue;
      if (!(before?.upper === 'WITH' || before?.upper === 'RECURSIVE' || before?.text === ',')) {
        continue;
      }
      let next = i + 1;
      if (this.tokens[next]?.text === '(') next = this.matchingParen(next) + 1;
      if (this.tokens[next]?.upper !== 'AS') continue;
      next++;
      while (['NOT', 'MATERIALIZED'].includes(this.tokens[next]?.upper ?? '')) next++;
      if (this.tokens[next]?.text === '(') this.cteNames.add(normalizeName([this.tokens[i]]));
    }
  }
}

/**
 * The tables (and views) a piece of SQL names, in order, without duplicates: lower-cased unless
 * quoted, without a `public.` schema, CTE names left out; DYNAMIC_TABLE where a table position
 * holds an interpolation.
 */
export function tablesIn(sql: string): string[] {
  return [...new Set(new TableScanner(sql).scan())];
}

/** PostgreSQL's own catalogs and functions' relations: nobody's table. */
export function isSystemRelation(name: string): boolean {
  return /^(pg_catalog\.|information_schema\.|pg_)/.test(name);
}
