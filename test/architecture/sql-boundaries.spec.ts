/**
 * Each feature module keeps its SQL in its data-access files and names only the tables it owns
 * (test/architecture/table-owners.ts); src/core/ owns no table. See sql-boundaries.ts for what is
 * checked and how.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  checkSourceTree,
  compareWithMigrations,
  formatViolations,
  tablesCreatedByMigrations,
  type ViolationKind,
} from './sql-boundaries';
import { TABLE_OWNERS } from './table-owners';

const ROOT = path.resolve(__dirname, '..', '..');
const report = checkSourceTree(ROOT, TABLE_OWNERS);

function expectNone(kinds: readonly ViolationKind[], what: string): void {
  const found = report.violations.filter((v) => kinds.includes(v.kind));
  if (found.length > 0) {
    throw new Error(`${found.length} ${what}:\n${formatViolations(found)}`);
  }
}

describe('the table ownership map', () => {
  it('lists exactly the tables and views the migrations create', () => {
    const created = tablesCreatedByMigrations(path.join(ROOT, 'migrations'));
    expect(compareWithMigrations(TABLE_OWNERS, created)).toEqual({
      missingFromMap: [],
      notCreatedByMigrations: [],
    });
  });

  it('gives every table to a feature module that exists (never to core)', () => {
    const modules = new Set(
      fs
        .readdirSync(path.join(ROOT, 'src'), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && entry.name !== 'core')
        .map((entry) => entry.name),
    );
    const strays = Object.entries(TABLE_OWNERS).filter(([, owner]) => !modules.has(owner));
    expect(strays).toEqual([]);
  });

  it('agrees with the entities: each maps a listed table, from the module that owns it', () => {
    expect(report.entities.length).toBeGreaterThan(0);
    expectNone(['entity-outside-owner'], 'entities outside the module that owns their table');
  });
});

describe('SQL in src/', () => {
  it('is found at all, so the checks below cannot pass by finding nothing', () => {
    expect(report.statements.length).toBeGreaterThan(20);
    const tablesNamed = new Set(report.statements.flatMap((s) => s.tables));
    expect(tablesNamed.size).toBeGreaterThan(5);
  });

  it('lives only in data-access files (src/<module>/<module>.repository.ts, src/<module>/persistence/; table-free SQL in src/core/db/)', () => {
    expectNone(['sql-outside-data-access'], 'SQL statements outside a data-access file');
  });

  it('names only tables its own module owns (core owns none), each statically and in the ownership map', () => {
    expectNone(
      ['foreign-table', 'unknown-table', 'dynamic-table'],
      'table references outside the owning module',
    );
  });

  it("uses no other module's TypeORM entity", () => {
    expectNone(['foreign-entity'], "imports or uses of another module's entity");
  });
});
