/** The machine and the commit the report describes. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { Client } from 'pg';
import { BenchOptions, REPO_ROOT } from './options';

const SETTINGS = [
  'shared_buffers',
  'work_mem',
  'maintenance_work_mem',
  'synchronous_commit',
  'fsync',
  'max_connections',
  'effective_cache_size',
  'jit',
  'random_page_cost',
];

async function postgresInfo(
  adminUrl: string,
): Promise<{ postgres: string; settings: Record<string, string> }> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const settings: Record<string, string> = {};
  let postgres = '?';
  try {
    postgres =
      (await admin.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]
        ?.v ?? '?';
    const { rows } = await admin.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1::text[])`,
      [SETTINGS],
    );
    for (const r of rows) settings[r.name] = `${r.setting}${r.unit ? ` ${r.unit}` : ''}`;
  } finally {
    await admin.end();
  }
  return { postgres, settings };
}

function chromiumVersion(chromiumPath: string): string {
  try {
    return execFileSync(chromiumPath, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'chromium: not found';
  }
}

export async function machineInfo(opts: BenchOptions): Promise<Record<string, unknown>> {
  const { postgres, settings } = await postgresInfo(opts.adminUrl);
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? '?',
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres,
    postgresSettings: settings,
    chromium: chromiumVersion(opts.chromiumPath),
    hostname: os.hostname(),
  };
}

export function gitState(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT })
      .toString()
      .trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain'], { cwd: REPO_ROOT }).toString().trim().length >
      0;
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}
