import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchReport } from '../../bench/src/report';
import { closeDb, db } from '../support/db';
import { TEST_DATABASE_ADMIN_URL, TEST_DATABASE_NAME } from '../support/env';

const ROOT = join(__dirname, '..', '..');

/** The figures every smoke run must produce (the certificate ones once that module exists). */
const FIGURES = [
  'framework_bare',
  'framework_rs256',
  'framework_rs256_pem',
  'framework_rs256_pg',
  'read_admin',
  'read_owner',
  'cap_table',
  'cap_table_sql',
  'cap_table_as_of',
  'cap_table_as_of_sql',
  'cap_table_known_at',
  'cap_table_known_at_sql',
  'cap_table_fully_diluted',
  'cap_table_fully_diluted_sql',
  'cap_table_fully_diluted_service_sql',
  'grant_vesting',
  'grant_vesting_ts',
  'cap_table_small',
  'cap_table_small_sql',
  'cap_table_small_alone_sql',
  'audit_first',
  'audit_first_sql',
  'audit_deep',
  'audit_deep_sql',
  'audit_export',
  'db_write',
  'write',
  'db_transfer',
  'transfer',
  'ocf_export',
  'ocf_import',
  'ocf_import_copy',
];
const CERTIFICATE_FIGURES = ['pdf_raw_c1', 'pdf_raw_c4', 'certificates_c1', 'certificates_c4'];

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const isNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

/**
 * The benchmark itself is never part of pass/fail; its smoke mode is, so the bench cannot rot:
 * a tiny dataset through every phase against the real stack (PostgreSQL, Keycloak, Chromium).
 */
describe('npm run bench -- --smoke', () => {
  const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));

  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await closeDb();
  });

  it('runs every phase on a tiny dataset and writes the report with every figure numeric', async () => {
    const { code, output } = await run(
      'bash',
      ['bench/run.sh', '--smoke', '--out', out, '--db', `${TEST_DATABASE_NAME}_bench_smoke`],
      {
        ...process.env,
        // The bench creates (and drops) its own database on the e2e server, never the test one.
        BENCH_DATABASE_ADMIN_URL: TEST_DATABASE_ADMIN_URL,
        DATABASE_URL: '',
      },
    );
    if (code !== 0) console.log(output.slice(-6_000));
    expect(code).toBe(0);

    const report = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as BenchReport;
    expect(report.mode).toBe('smoke');
    expect(existsSync(join(out, 'latest.md'))).toBe(true);
    expect(readFileSync(join(out, 'latency.svg'), 'utf8')).toContain('<svg');

    const certificatesLanded = readdirSync(join(ROOT, 'migrations')).some((file) =>
      file.includes('certificates'),
    );
    expect(report.certificatesPresent).toBe(certificatesLanded);
    const expected = [...FIGURES, ...(certificatesLanded ? CERTIFICATE_FIGURES : [])];
    for (const key of expected) {
      const figure = report.figures[key];
      expect({ key, present: figure !== undefined }).toEqual({ key, present: true });
      for (const stat of ['rps', 'p50', 'p95', 'p99'] as const) {
        expect({ key, stat, numeric: isNumber(figure?.[stat]) }).toEqual({
          key,
          stat,
          numeric: true,
        });
      }
      // Every request of every figure succeeded: a 401 or 404 would mean the bench rotted.
      expect({ key, failures: figure?.failures }).toEqual({ key, failures: 0 });
    }

    expect(report.comparisons.length).toBeGreaterThanOrEqual(certificatesLanded ? 17 : 14);
    for (const comparison of report.comparisons) {
      expect({ id: comparison.id, value: isNumber(comparison.service.value) }).toEqual({
        id: comparison.id,
        value: true,
      });
      if (comparison.limit) {
        expect({ id: comparison.id, limit: isNumber(comparison.limit.value) }).toEqual({
          id: comparison.id,
          limit: true,
        });
        expect({ id: comparison.id, ratio: isNumber(comparison.ratio) }).toEqual({
          id: comparison.id,
          ratio: true,
        });
      }
      expect([true, false, null]).toContain(comparison.pass);
    }

    expect(isNumber(report.memory.exportRssGrowthMax)).toBe(true);
    expect(isNumber(report.memory.apiPeakRss)).toBe(true);
    expect(report.plans['audit first page SQL']?.topNode).toEqual(expect.any(String));
    expect(report.chain).toMatchObject({ brokenLinks: 0, seqGaps: 0, verifiedByApi: true });
    // The API, the service's own dilution statements and the bench's one statement agree.
    expect(report.ledger.equity).toMatchObject({ figures: { same: true } });
    expect(report.dataset.loads.map((load) => load.step)).toEqual(
      expect.arrayContaining([expect.stringContaining('audit_entry')]),
    );
    expect(report.machine).toMatchObject({ cores: expect.any(Number), node: process.version });

    // The e2e database is untouched: the bench used (and dropped) its own.
    await expect(db().query('SELECT 1 AS ok')).resolves.toMatchObject({ rows: [{ ok: 1 }] });
  }, 400_000);
});
