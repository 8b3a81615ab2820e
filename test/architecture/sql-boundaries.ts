/**
 * Who may touch which table. Reads every non-spec TypeScript file under `<root>/src` with the
 * TypeScript compiler API and reports:
 *
 * - SQL outside a data-access file. A feature module's SQL lives in `src/<module>/<module>.repository.ts`
 *   or under `src/<module>/persistence/`; src/core/ may hold table-free infrastructure SQL
 *   (`SELECT 1`, `LISTEN …`, advisory locks) under `src/core/db/` only; the top-level files of
 *   src/ hold none.
 * - A table named by a module that does not own it (src/core/ owns none), a table missing from the
 *   ownership map, or a table position that is interpolated (`FROM ${table}`) and so cannot be
 *   checked.
 * - Another module's TypeORM entity class imported or used (`tx.findOne(OtherEntity, …)`,
 *   `createQueryBuilder(OtherEntity, …)`, `@InjectRepository(OtherEntity)`, `@ManyToOne(() => …)`).
 *
 * "SQL" is a string literal, a template literal or a `+` concatenation that looks like SQL (see
 * sql-text.ts), plus the table-name strings of TypeORM query-builder calls (`.from('issuance')`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import {
  DYNAMIC_TABLE,
  PLACEHOLDER,
  isSystemRelation,
  looksLikeSql,
  normalizeQualifiedName,
  stripSqlNoise,
  tablesIn,
} from './sql-text';

export type TableOwners = Readonly<Record<string, string>>;

/** One piece of SQL found in a file, with the tables it names. */
export interface SqlStatement {
  /** Relative to the checked root, with `/` separators, e.g. `src/audit/audit-query.ts`. */
  file: string;
  line: number;
  text: string;
  tables: string[];
}

export interface EntityClass {
  className: string;
  table: string;
  file: string;
  module: string | null;
}

export type ViolationKind =
  | 'sql-outside-data-access'
  | 'foreign-table'
  | 'unknown-table'
  | 'dynamic-table'
  | 'foreign-entity'
  /** An entity whose table is not in the map, or is owned by another module. */
  | 'entity-outside-owner';

export interface Violation {
  kind: ViolationKind;
  file: string;
  line: number;
  message: string;
  table?: string;
  owner?: string;
}

export interface BoundaryReport {
  files: string[];
  statements: SqlStatement[];
  entities: EntityClass[];
  violations: Violation[];
}

// ---------------------------------------------------------------------------------------------
// Files and modules

const posix = (p: string): string => p.split(path.sep).join('/');

/** Every `.ts` file under `<root>/src` except specs and declarations, relative to root, sorted. */
export function sourceFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ts$/.test(entry.name) && !/\.(spec|e2e-spec|d)\.ts$/.test(entry.name)) {
        found.push(posix(path.relative(root, full)));
      }
    }
  };
  walk(path.join(root, 'src'));
  return found.sort();
}

/** `src/<module>/…` → module (`core` included); a top-level file of src/ → null. */
export function moduleOf(file: string): string | null {
  return /^src\/([^/]+)\//.exec(file)?.[1] ?? null;
}

/** `src/<m>/<m>.repository.ts` or `src/<m>/persistence/**` of a feature module. */
export function isDataAccessFile(file: string): boolean {
  const module = moduleOf(file);
  if (module === null || module === 'core') return false;
  return (
    file === `src/${module}/${module}.repository.ts` ||
    file.startsWith(`src/${module}/persistence/`)
  );
}

/** Where src/core/ may keep (table-free) SQL. */
export function isCoreDatabaseFile(file: string): boolean {
  return file.startsWith('src/core/db/');
}

function parse(root: string, file: string): ts.SourceFile {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function lineOf(source: ts.SourceFile, node: ts.Node): number {
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
}

// ---------------------------------------------------------------------------------------------
// String literals

function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return node.head.text + node.templateSpans.map((s) => PLACEHOLDER + s.literal.text).join('');
  }
  return undefined;
}

function concatenated(node: ts.Expression): ts.Expression[] {
  const inner = ts.isParenthesizedExpression(node) ? node.expression : node;
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return [...concatenated(inner.left), ...concatenated(inner.right)];
  }
  return [inner];
}

/**
 * Every string in a file as code would see it: a literal, a template (each `${…}` becomes
 * PLACEHOLDER), or a `+` chain of them (non-literal operands become PLACEHOLDER). Module
 * specifiers and literal types are not strings the code sends anywhere and are skipped.
 */
export function stringsIn(
  source: ts.SourceFile,
  root: ts.Node = source,
): Array<{ line: number; text: string }> {
  const found: Array<{ line: number; text: string }> = [];
  const visitParts = (parts: ts.Node[]): void => {
    for (const part of parts) {
      if (ts.isTemplateExpression(part)) part.templateSpans.forEach((s) => visit(s.expression));
      else if (literalText(part) === undefined) visit(part);
    }
  };
  const visit = (node: ts.Node): void => {
    if (
      ts.isImportDeclaration(node) ||
      ts.isExportDeclaration(node) ||
      ts.isExternalModuleReference(node) ||
      ts.isLiteralTypeNode(node)
    ) {
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const parts = concatenated(node);
      if (parts.some((part) => literalText(part) !== undefined)) {
        found.push({
          line: lineOf(source, node),
          // Spaced: a concatenated operand is a clause or a value far more often than part of a name.
          text: parts.map((part) => literalText(part) ?? ` ${PLACEHOLDER} `).join(''),
        });
        visitParts(parts);
        return;
      }
    }
    const text = literalText(node);
    if (text !== undefined) {
      found.push({ line: lineOf(source, node), text });
      visitParts([node]);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

/** The SQL-looking strings of a file. */
export function sqlIn(source: ts.SourceFile): Array<{ line: number; text: string }> {
  return stringsIn(source).filter((s) => looksLikeSql(s.text));
}

/** Query-builder and repository methods whose first string argument is a table name. */
const TABLE_NAME_METHODS = new Set([
  'from',
  'into',
  'update',
  'delete',
  'innerJoin',
  'leftJoin',
  'innerJoinAndSelect',
  'leftJoinAndSelect',
  'innerJoinAndMapOne',
  'leftJoinAndMapOne',
  'innerJoinAndMapMany',
  'leftJoinAndMapMany',
  'getRepository',
  'createQueryBuilder',
]);

/** `qb.from('issuance', 'i')` and the like: table names TypeORM turns into SQL. */
function typeormTableNames(
  source: ts.SourceFile,
  owners: TableOwners,
): Array<{ line: number; table: string }> {
  const found: Array<{ line: number; table: string }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const [first] = node.arguments;
      if (
        TABLE_NAME_METHODS.has(node.expression.name.text) &&
        first !== undefined &&
        (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))
      ) {
        const table = normalizeQualifiedName(first.text);
        if (Object.hasOwn(owners, table)) found.push({ line: lineOf(source, first), table });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Entities

function snakeCase(name: string): string {
  return name
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

function decoratorCall(node: ts.Node, names: readonly string[]): ts.CallExpression | undefined {
  const decorators = ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
  for (const decorator of decorators) {
    const call = decorator.expression;
    if (ts.isCallExpression(call) && ts.isIdentifier(call.expression)) {
      if (names.includes(call.expression.text)) return call;
    }
  }
  return undefined;
}

/** Classes decorated with `@Entity(…)` or `@ViewEntity(…)`, and the table each maps to. */
export function entitiesIn(source: ts.SourceFile): Array<{ className: string; table: string }> {
  const found: Array<{ className: string; table: string }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) && node.name) {
      const call = decoratorCall(node, ['Entity', 'ViewEntity']);
      if (call) found.push({ className: node.name.text, table: entityTable(node.name.text, call) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function entityTable(className: string, call: ts.CallExpression): string {
  const [first] = call.arguments;
  if (first && ts.isStringLiteral(first)) return normalizeQualifiedName(first.text);
  if (first && ts.isObjectLiteralExpression(first)) {
    for (const property of first.properties) {
      if (
        ts.isPropertyAssignment(property) &&
        ts.isIdentifier(property.name) &&
        property.name.text === 'name' &&
        ts.isStringLiteral(property.initializer)
      ) {
        return normalizeQualifiedName(property.initializer.text);
      }
    }
  }
  return snakeCase(className);
}

/** Resolves a relative or baseUrl (`src/…`) import to a checked file, or null for a package. */
function resolveImport(fromFile: string, specifier: string, known: Set<string>): string | null {
  const base = specifier.startsWith('.')
    ? path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier))
    : specifier.startsWith('src/')
      ? specifier
      : null;
  if (base === null) return null;
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    if (known.has(candidate)) return candidate;
  }
  return null;
}

/** Whether an identifier is used as a value (not a type, not a property name, not a declaration). */
function isValueUse(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isTypeReferenceNode(parent) || ts.isTypeQueryNode(parent) || ts.isQualifiedName(parent)) {
    return false;
  }
  if (ts.isExpressionWithTypeArguments(parent) && ts.isHeritageClause(parent.parent)) {
    return parent.parent.token === ts.SyntaxKind.ExtendsKeyword;
  }
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) {
    return false;
  }
  if (
    (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) &&
    parent.name === node
  ) {
    return false;
  }
  if (
    ts.isMethodDeclaration(parent) ||
    ts.isClassDeclaration(parent) ||
    ts.isInterfaceDeclaration(parent)
  ) {
    return false;
  }
  return true;
}

/** The call an entity reference sits in, e.g. `tx.findOne` or `ManyToOne` (for `() => Entity`). */
function enclosingCall(source: ts.SourceFile, node: ts.Node): string | undefined {
  let current: ts.Node = node;
  for (let depth = 0; depth < 4 && current.parent; depth++) {
    const parent = current.parent;
    if (ts.isCallExpression(parent) && parent.expression !== current) {
      return parent.expression.getText(source).replace(/\s+/g, '');
    }
    if (!ts.isArrowFunction(parent) && !ts.isArrayLiteralExpression(parent)) return undefined;
    current = parent;
  }
  return undefined;
}

interface ImportedBinding {
  local: string;
  imported: string;
  fromFile: string;
  line: number;
}

function importedBindings(
  source: ts.SourceFile,
  file: string,
  known: Set<string>,
): ImportedBinding[] {
  const bindings: ImportedBinding[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier))
      continue;
    const fromFile = resolveImport(file, statement.moduleSpecifier.text, known);
    const named = statement.importClause?.namedBindings;
    if (fromFile === null || !named || !ts.isNamedImports(named)) continue;
    for (const element of named.elements) {
      bindings.push({
        local: element.name.text,
        imported: (element.propertyName ?? element.name).text,
        fromFile,
        line: lineOf(source, element),
      });
    }
  }
  return bindings;
}

function entityChecks(
  source: ts.SourceFile,
  file: string,
  known: Set<string>,
  entities: EntityClass[],
): Violation[] {
  const module = moduleOf(file);
  const violations: Violation[] = [];
  const foreign = new Map<string, EntityClass>();
  for (const binding of importedBindings(source, file, known)) {
    // The entity's own file, or a file of the same module re-exporting it (its index.ts).
    const entity = entities.find(
      (e) => e.className === binding.imported && moduleOf(e.file) === moduleOf(binding.fromFile),
    );
    if (!entity || entity.module === module) continue;
    foreign.set(binding.local, entity);
    violations.push({
      kind: 'foreign-entity',
      file,
      line: binding.line,
      table: entity.table,
      owner: entity.module ?? 'src',
      message: `imports entity ${entity.className} (table ${entity.table}, owned by ${entity.module}) into ${describeModule(module)}`,
    });
  }
  if (foreign.size === 0) return violations;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) return;
    if (ts.isIdentifier(node) && foreign.has(node.text) && isValueUse(node)) {
      const entity = foreign.get(node.text)!;
      const call = enclosingCall(source, node);
      violations.push({
        kind: 'foreign-entity',
        file,
        line: lineOf(source, node),
        table: entity.table,
        owner: entity.module ?? 'src',
        message: `uses entity ${entity.className}${call ? ` in ${call}(…)` : ''} (table ${entity.table}, owned by ${entity.module}) in ${describeModule(module)}`,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return violations;
}

// ---------------------------------------------------------------------------------------------
// The check

function describeModule(module: string | null): string {
  return module === null ? 'a top-level file of src/' : `module ${module}`;
}

function snippet(text: string): string {
  const flat = stripSqlNoise(text).replaceAll(PLACEHOLDER, '${…}').replace(/\s+/g, ' ').trim();
  return flat.length > 70 ? `${flat.slice(0, 67)}...` : flat;
}

function placementViolation(statement: SqlStatement): Violation | undefined {
  const module = moduleOf(statement.file);
  const allowed =
    module === 'core' ? isCoreDatabaseFile(statement.file) : isDataAccessFile(statement.file);
  if (allowed) return undefined;
  const where =
    module === null
      ? 'the top-level files of src/ hold no SQL'
      : module === 'core'
        ? 'src/core/ keeps its table-free SQL under src/core/db/'
        : `put it in src/${module}/${module}.repository.ts or src/${module}/persistence/`;
  return {
    kind: 'sql-outside-data-access',
    file: statement.file,
    line: statement.line,
    message: `SQL outside a data-access file (${where}): ${snippet(statement.text)}`,
  };
}

/** The line a multi-line statement names a table on (its first line when not found). */
function lineOfTable(statement: SqlStatement, table: string): number {
  if (table === DYNAMIC_TABLE) return statement.line;
  const name = table
    .split('.')
    .map((part) => `"?${part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?`)
    .join('\\s*\\.\\s*');
  const before = String.raw`(?:\b(?:FROM|JOIN|INTO|UPDATE|TABLE|VIEW|REFERENCES|LOCK|TRUNCATE|COPY|USING|ONLY)\s+|,\s*)`;
  const match = new RegExp(`${before}(?:"?public"?\\s*\\.\\s*)?${name}(?![\\w"])`, 'i').exec(
    statement.text,
  );
  if (!match) return statement.line;
  return statement.line + (statement.text.slice(0, match.index).match(/\n/g)?.length ?? 0);
}

function tableViolation(
  statement: SqlStatement,
  table: string,
  owners: TableOwners,
): Violation | undefined {
  const module = moduleOf(statement.file);
  const at = { file: statement.file, line: lineOfTable(statement, table), table };
  if (table === DYNAMIC_TABLE) {
    return {
      ...at,
      kind: 'dynamic-table',
      message: `table name is interpolated, so its owner cannot be checked: ${snippet(statement.text)}`,
    };
  }
  if (isSystemRelation(table)) return undefined;
  if (!Object.hasOwn(owners, table)) {
    return {
      ...at,
      kind: 'unknown-table',
      message: `table ${table} is not in test/architecture/table-owners.ts: ${snippet(statement.text)}`,
    };
  }
  const owner = owners[table];
  if (owner === module) return undefined;
  return {
    ...at,
    owner,
    kind: 'foreign-table',
    message: `table ${table} (owned by ${owner}) named in ${module === 'core' ? 'src/core/, which owns no table' : describeModule(module)}`,
  };
}

/** Entities must map to a table in the map, and sit in the module that owns it. */
function entityPlacement(entities: EntityClass[], owners: TableOwners): Violation[] {
  const violations: Violation[] = [];
  for (const entity of entities) {
    const owner = owners[entity.table];
    if (owner !== undefined && owner === entity.module) continue;
    violations.push({
      kind: 'entity-outside-owner',
      file: entity.file,
      line: 1,
      table: entity.table,
      owner,
      message:
        owner === undefined
          ? `entity ${entity.className} maps to table ${entity.table}, which is not in test/architecture/table-owners.ts`
          : `entity ${entity.className} (table ${entity.table}) lives in ${describeModule(entity.module)} but the table is owned by ${owner}`,
    });
  }
  return violations;
}

/** Scans `<root>/src` and checks it against the ownership map. */
export function checkSourceTree(root: string, owners: TableOwners): BoundaryReport {
  const files = sourceFiles(root);
  const known = new Set(files);
  const sources = new Map(files.map((file) => [file, parse(root, file)]));
  const entities: EntityClass[] = [];
  const statements: SqlStatement[] = [];
  for (const [file, source] of sources) {
    for (const e of entitiesIn(source)) entities.push({ ...e, file, module: moduleOf(file) });
    for (const s of sqlIn(source)) statements.push({ file, ...s, tables: tablesIn(s.text) });
    for (const t of typeormTableNames(source, owners)) {
      statements.push({
        file,
        line: t.line,
        text: `TypeORM table name '${t.table}'`,
        tables: [t.table],
      });
    }
  }
  const violations: Violation[] = [...entityPlacement(entities, owners)];
  for (const statement of statements) {
    const placement = placementViolation(statement);
    if (placement) violations.push(placement);
    for (const table of statement.tables) {
      const violation = tableViolation(statement, table, owners);
      if (violation) violations.push(violation);
    }
  }
  for (const [file, source] of sources)
    violations.push(...entityChecks(source, file, known, entities));
  violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { files, statements, entities, violations };
}

/** One line per violation, `file:line  message`, for a failure message. */
export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `  ${v.file}:${v.line}  ${v.message}`).join('\n');
}

// ---------------------------------------------------------------------------------------------
// Migrations

const NAME = String.raw`(?:"(?:[^"]|"")*"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[A-Za-z_][\w$]*))?`;
const SCHEMA_CHANGE = new RegExp(
  [
    String.raw`\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:TEMP|TEMPORARY|UNLOGGED)\s+)?(?:TABLE|(?:MATERIALIZED\s+)?VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<created>${NAME})`,
    String.raw`\bDROP\s+(?:TABLE|(?:MATERIALIZED\s+)?VIEW)\s+(?:IF\s+EXISTS\s+)?(?<dropped>${NAME}(?:\s*,\s*${NAME})*)`,
    String.raw`\bALTER\s+(?:TABLE|(?:MATERIALIZED\s+)?VIEW)\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(?<from>${NAME})\s+RENAME\s+TO\s+(?<to>${NAME})`,
  ].join('|'),
  'gi',
);

/**
 * The tables and views the migrations leave behind: their `up` methods replayed in file-name
 * order (CREATE adds, DROP removes, ALTER … RENAME TO renames).
 */
export function tablesCreatedByMigrations(dir: string): string[] {
  const tables = new Set<string>();
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.ts$/.test(f))
    .sort();
  for (const file of files) {
    const source = ts.createSourceFile(
      file,
      fs.readFileSync(path.join(dir, file), 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    for (const text of upMethodStrings(source)) {
      for (const match of stripSqlNoise(text).matchAll(SCHEMA_CHANGE)) {
        const { created, dropped, from, to } = match.groups ?? {};
        if (created) tables.add(normalizeQualifiedName(created));
        if (dropped)
          dropped.split(',').forEach((name) => tables.delete(normalizeQualifiedName(name.trim())));
        if (from && to) {
          tables.delete(normalizeQualifiedName(from));
          tables.add(normalizeQualifiedName(to));
        }
      }
    }
  }
  return [...tables].sort();
}

function upMethodStrings(source: ts.SourceFile): string[] {
  const texts: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isMethodDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === 'up' &&
      node.body
    ) {
      texts.push(...stringsIn(source, node.body).map((s) => s.text));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
}

/** How an ownership map and the migrations disagree (both lists empty when they agree). */
export function compareWithMigrations(
  owners: TableOwners,
  created: readonly string[],
): { missingFromMap: string[]; notCreatedByMigrations: string[] } {
  return {
    missingFromMap: created.filter((table) => !Object.hasOwn(owners, table)),
    notCreatedByMigrations: Object.keys(owners)
      .filter((table) => !created.includes(table))
      .sort(),
  };
}
