/**
 * The checkers themselves: SQL recognition and table extraction on known strings, and both
 * checkers (this SQL one and the dependency-cruiser rules) on two fixture trees, one that follows
 * every rule and one that breaks each rule on purpose. If a checker stopped finding anything,
 * these fail rather than the architecture checks passing silently.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as ts from 'typescript';
import {
  checkSourceTree,
  compareWithMigrations,
  stringsIn,
  tablesCreatedByMigrations,
} from './sql-boundaries';
import { DYNAMIC_TABLE, PLACEHOLDER, looksLikeSql, tablesIn } from './sql-text';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');
const FIXTURE_OWNERS = { ledger_entry: 'ledger', invoice: 'billing', invoice_summary: 'billing' };

describe('looksLikeSql', () => {
  it.each([
    'SELECT 1',
    '  SELECT pg_advisory_xact_lock($1)',
    `SELECT ${PLACEHOLDER}`,
    'SELECT count(*)::text AS n FROM certificate_request',
    '\n  WITH known AS (\n    SELECT certificate_number FROM certificate_assignment WHERE issuance_id = $1::uuid\n  )\n  SELECT 1',
    'INSERT INTO idempotency_key (scope, key) VALUES ($1, $2)',
    'UPDATE outbox_event SET delivered_at = now() WHERE id = $1',
    'DELETE FROM certificate_request WHERE issuance_id = $1',
    'LOCK TABLE share_class IN SHARE MODE',
    'TRUNCATE shareholder, issuance',
    `LISTEN ${PLACEHOLDER}`,
    'SET LOCAL statement_timeout = 1000',
    'REFRESH MATERIALIZED VIEW CONCURRENTLY cap_table_view',
    'COPY issuance (id) FROM STDIN',
    'select id from shareholder where id = $1',
    'delete from issuance',
    'update share_class set issued_shares = 0',
  ])('recognises %j', (text) => {
    expect(looksLikeSql(text)).toBe(true);
  });

  it.each([
    'DELETE',
    'UPDATE',
    'SELECT',
    'Could not delete from the cache',
    'Could not select from the ledger: no entry was found',
    'The ledger refused to update the entry set by another request',
    'Select a share class',
    `Could not LISTEN on ${PLACEHOLDER}; retrying`,
    'SHAREHOLDER_UPDATE',
    'with FOR UPDATE SKIP LOCKED under a lease',
    'id, type, aggregate_type, aggregate_id, payload, actor, request_id, occurred_at',
    "pg_notify('outbox', '')",
    'c.shareholder_id = :shareholderId',
  ])('does not take %j for SQL', (text) => {
    expect(looksLikeSql(text)).toBe(false);
  });
});

describe('tablesIn', () => {
  it.each<[string, string[]]>([
    ['SELECT 1', []],
    ['SELECT pg_advisory_lock($1)', []],
    ['SELECT * FROM shareholder WHERE id = $1', ['shareholder']],
    ['SELECT * FROM "public"."Shareholder" s', ['Shareholder']],
    ['SELECT * FROM public.shareholder', ['shareholder']],
    [
      'SELECT * FROM shareholder s, issuance i WHERE s.id = i.shareholder_id',
      ['shareholder', 'issuance'],
    ],
    [
      'SELECT i.id FROM issuance i JOIN share_class c ON c.id = i.share_class_id LEFT JOIN shareholder h ON h.id = i.shareholder_id',
      ['issuance', 'share_class', 'shareholder'],
    ],
    [
      'UPDATE certificate_request SET attempts = attempts + 1 WHERE issuance_id IN (SELECT r.issuance_id FROM certificate_request r JOIN issuance i ON i.id = r.issuance_id FOR UPDATE OF r SKIP LOCKED)',
      ['certificate_request', 'issuance'],
    ],
    [
      'WITH known AS (SELECT n FROM certificate_assignment WHERE id = $1), counted AS (INSERT INTO certificate_counter AS c (share_class_id, last_sequence) SELECT $2, 1 WHERE NOT EXISTS (SELECT 1 FROM known) ON CONFLICT (share_class_id) DO UPDATE SET last_sequence = c.last_sequence + 1 RETURNING last_sequence) SELECT n FROM known UNION ALL SELECT last_sequence FROM counted',
      ['certificate_assignment', 'certificate_counter'],
    ],
    [
      'UPDATE issuance i SET certificate_number = inserted.certificate_number FROM inserted WHERE i.id = inserted.issuance_id',
      ['issuance', 'inserted'],
    ],
    [
      'INSERT INTO certificate_request (issuance_id) SELECT * FROM unnest($1::uuid[]) ON CONFLICT DO NOTHING',
      ['certificate_request'],
    ],
    [
      'SELECT head.seq FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT seq FROM audit_entry ORDER BY seq DESC LIMIT 1) head ON true',
      ['audit_entry'],
    ],
    [
      'SELECT extract(epoch FROM now() - occurred_at), substring(name FROM 1 FOR 3) FROM outbox_event WHERE a IS DISTINCT FROM b',
      ['outbox_event'],
    ],
    [
      "SELECT 'not FROM here' AS s -- nor FROM here\n FROM company /* JOIN share_class */ WHERE singleton",
      ['company'],
    ],
    [
      'DELETE FROM issuance i USING shareholder s WHERE s.id = i.shareholder_id',
      ['issuance', 'shareholder'],
    ],
    ['LOCK TABLE ONLY share_class IN EXCLUSIVE MODE', ['share_class']],
    ['LOCK share_class', ['share_class']],
    ['TRUNCATE TABLE shareholder, issuance RESTART IDENTITY', ['shareholder', 'issuance']],
    [
      'ALTER TABLE "issuance" ADD CONSTRAINT fk FOREIGN KEY (x) REFERENCES "shareholder"("id")',
      ['issuance', 'shareholder'],
    ],
    ['COPY issuance (id, date) FROM STDIN', ['issuance']],
    ['COPY (SELECT id FROM issuance) TO STDOUT', ['issuance']],
    ['REFRESH MATERIALIZED VIEW CONCURRENTLY cap_table_view', ['cap_table_view']],
    ['SELECT relname FROM pg_catalog.pg_class', ['pg_catalog.pg_class']],
    [`SELECT ${PLACEHOLDER} FROM audit_entry ${PLACEHOLDER} ORDER BY seq`, ['audit_entry']],
    [`SELECT count(*) FROM ${PLACEHOLDER}`, [DYNAMIC_TABLE]],
    [`SELECT * FROM ${PLACEHOLDER}_archive`, [DYNAMIC_TABLE]],
    [
      `WITH inserted AS (SELECT 1) INSERT INTO outbox_event (${PLACEHOLDER}) SELECT $1 FROM inserted`,
      ['outbox_event'],
    ],
  ])('%j names %j', (sql, tables) => {
    expect(tablesIn(sql)).toEqual(tables);
  });
});

describe('stringsIn', () => {
  const source = ts.createSourceFile(
    'sample.ts',
    [
      "import { a } from './SELECT * FROM not_a_table';",
      "type Kind = 'SELECT 1';",
      'const one = `SELECT ${a} FROM shareholder`;',
      "const two = 'SELECT * FROM ' + table + ' WHERE id = $1';",
      'const three = `x ${`DELETE FROM issuance`} y`;',
    ].join('\n'),
    ts.ScriptTarget.Latest,
    true,
  );

  it('reads templates and concatenations as one string each, with lines, skipping module names and types', () => {
    expect(stringsIn(source)).toEqual([
      { line: 3, text: `SELECT ${PLACEHOLDER} FROM shareholder` },
      { line: 4, text: `SELECT * FROM  ${PLACEHOLDER}  WHERE id = $1` },
      { line: 5, text: `x ${PLACEHOLDER} y` },
      { line: 5, text: 'DELETE FROM issuance' },
    ]);
  });
});

describe('the SQL ownership checker on the fixtures', () => {
  it('passes the compliant tree, having found its SQL and entities', () => {
    const report = checkSourceTree(path.join(FIXTURES, 'compliant'), FIXTURE_OWNERS);
    expect(report.violations).toEqual([]);
    expect(report.statements.length).toBeGreaterThanOrEqual(7);
    expect(report.entities.map((e) => e.className).sort()).toEqual(['Invoice', 'LedgerEntry']);
  });

  it('reports every deliberate violation of the violating tree, by file:line, table and owner', () => {
    const report = checkSourceTree(path.join(FIXTURES, 'violating'), FIXTURE_OWNERS);
    const found = report.violations.map(
      (v) =>
        `${v.kind} ${v.file}:${v.line}${v.table ? ` ${v.table}` : ''}${v.owner ? ` (${v.owner})` : ''}`,
    );
    expect(found).toEqual([
      'entity-outside-owner src/billing/ledger-mirror.entity.ts:1 ledger_entry (ledger)',
      'foreign-table src/core/db/stats.ts:2 ledger_entry (ledger)',
      'sql-outside-data-access src/core/metrics.ts:5',
      'foreign-table src/core/metrics.ts:5 invoice (billing)',
      'foreign-entity src/ledger/ledger.repository.ts:3 invoice (billing)',
      'foreign-table src/ledger/ledger.repository.ts:15 invoice (billing)',
      'unknown-table src/ledger/ledger.repository.ts:16 audit_trail',
      `dynamic-table src/ledger/ledger.repository.ts:17 ${DYNAMIC_TABLE}`,
      'foreign-entity src/ledger/ledger.repository.ts:21 invoice (billing)',
      'sql-outside-data-access src/ledger/ledger.service.ts:8',
      'foreign-table src/ledger/ledger.service.ts:10 invoice (billing)',
    ]);
    const message = report.violations.find((v) => v.line === 21)?.message;
    expect(message).toBe(
      'uses entity Invoice in this.manager.findOne(…) (table invoice, owned by billing) in module ledger',
    );
  });

  it('replays the migrations (create, rename, drop) and tells a stale map', () => {
    const compliant = tablesCreatedByMigrations(path.join(FIXTURES, 'compliant', 'migrations'));
    expect(compliant).toEqual(['invoice', 'invoice_summary', 'ledger_entry']);
    expect(compareWithMigrations(FIXTURE_OWNERS, compliant)).toEqual({
      missingFromMap: [],
      notCreatedByMigrations: [],
    });
    const violating = tablesCreatedByMigrations(path.join(FIXTURES, 'violating', 'migrations'));
    expect(compareWithMigrations(FIXTURE_OWNERS, violating)).toEqual({
      missingFromMap: ['payment_run'],
      notCreatedByMigrations: ['invoice_summary'],
    });
  });
});

describe('the dependency-cruiser rules on the fixtures', () => {
  interface CruiseViolation {
    from: string;
    to: string;
    rule: { name: string; severity: string };
  }

  function cruise(fixture: string): CruiseViolation[] {
    const result = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
        'src',
        '--config',
        path.join(ROOT, '.dependency-cruiser.cjs'),
        '--output-type',
        'json',
      ],
      { cwd: path.join(FIXTURES, fixture), encoding: 'utf8' },
    );
    if (!result.stdout) throw new Error(`depcruise printed nothing: ${result.stderr}`);
    const output = JSON.parse(result.stdout) as { summary: { violations: CruiseViolation[] } };
    return output.summary.violations;
  }

  it('passes the compliant tree', () => {
    expect(cruise('compliant')).toEqual([]);
  }, 60_000);

  it('reports every deliberate violation of the violating tree', () => {
    const found = cruise('violating')
      .map((v) => `${v.rule.severity} ${v.rule.name}: ${v.from} -> ${v.to}`)
      .sort();
    expect(found).toEqual([
      'error composition-root-imports-modules-only-through-index: src/app.module.ts -> src/ledger/ledger.module.ts',
      'error core-imports-no-feature-module: src/core/metrics.ts -> src/ledger/index.ts',
      'error feature-imports-other-modules-only-through-index: src/ledger/ledger.repository.ts -> src/billing/invoice.entity.ts',
      'error feature-imports-other-modules-only-through-index: src/ledger/ledger.service.ts -> src/billing/billing.service.ts',
      'error no-circular: src/billing/draft-line.ts -> src/billing/draft.ts',
      'error no-orphans: src/billing/orphan.ts -> src/billing/orphan.ts',
      'error no-unresolvable-imports: src/billing/unresolvable.ts -> ./does-not-exist',
      'error nothing-imports-the-composition-root: src/ledger/ledger.repository.ts -> src/app.module.ts',
      'error src-imports-no-test-code: src/billing/billing.service.ts -> test/helper.ts',
    ]);
  }, 60_000);
});
