/**
 * Who used the CPU while the bench ran: the bench's own processes (orchestrator, load driver, API,
 * its Chromium, baselines), the PostgreSQL backends of the bench database, PostgreSQL's shared
 * background processes, and everything else ("foreign": other test suites, builds, Keycloak).
 * Foreign load makes a figure noisy; the report says how much there was per phase.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Client } from 'pg';

const TICKS_PER_SECOND = 100;

interface ProcStat {
  ppid: number;
  comm: string;
  ticks: number;
}

function readProcs(): Map<number, ProcStat> {
  const procs = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      procs.set(Number(entry), {
        ppid: Number(fields[1]),
        comm,
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // gone
    }
  }
  return procs;
}

function totalBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
}

export interface CpuShares {
  /** Average cores used over the phase. */
  total: number;
  bench: number;
  postgresBench: number;
  postgresShared: number;
  foreign: number;
  seconds: number;
}

export class CpuMonitor {
  private timer?: NodeJS.Timeout;
  private previous?: { at: number; busy: number; procs: Map<number, ProcStat> };
  private readonly totals = new Map<string, CpuShares>();
  private benchBackends = new Set<number>();
  private otherBackends = new Set<number>();
  phase = 'start';

  private readonly database: Client;

  constructor(
    private readonly root: number,
    url: string,
    /** The bench's databases (the dataset's, and the `companies` phase's scratch one). */
    private readonly databaseNames: readonly string[],
  ) {
    this.database = new Client({ connectionString: url, application_name: 'bench-cpu-monitor' });
  }

  async start(): Promise<void> {
    await this.database.connect();
    this.previous = { at: Date.now(), busy: totalBusyTicks(), procs: readProcs() };
    this.timer = setInterval(() => void this.tick(), 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.database.end().catch(() => undefined);
  }

  /** Which PostgreSQL backends serve the bench database, and which serve others. */
  private async refreshBackends(): Promise<void> {
    try {
      const { rows } = await this.database.query<{ pid: number; datname: string | null }>(
        'SELECT pid, datname FROM pg_stat_activity',
      );
      const ours = (datname: string | null) =>
        datname !== null && this.databaseNames.includes(datname);
      this.benchBackends = new Set(rows.filter((r) => ours(r.datname)).map((r) => r.pid));
      this.otherBackends = new Set(
        rows.filter((r) => r.datname !== null && !ours(r.datname)).map((r) => r.pid),
      );
    } catch {
      // keep the previous sets
    }
  }

  /** The orchestrator and its descendants (ppid chains), iterated to a fixed point. */
  private benchProcesses(procs: Map<number, ProcStat>): Set<number> {
    const ours = new Set<number>([this.root]);
    for (let changed = true; changed;) {
      changed = false;
      for (const [pid, p] of procs) {
        if (!ours.has(pid) && ours.has(p.ppid)) {
          ours.add(pid);
          changed = true;
        }
      }
    }
    return ours;
  }

  /** CPU ticks since the previous sample, by who used them. */
  private sharesOf(now: Map<number, ProcStat>, before: Map<number, ProcStat>) {
    const ours = this.benchProcesses(now);
    const shares = { bench: 0, postgresBench: 0, postgresShared: 0, processes: 0 };
    for (const [pid, p] of now) {
      const delta = p.ticks - (before.get(pid)?.ticks ?? p.ticks);
      if (delta <= 0) continue;
      shares.processes += delta;
      if (ours.has(pid)) shares.bench += delta;
      else if (this.benchBackends.has(pid)) shares.postgresBench += delta;
      else if (p.comm === 'postgres' && !this.otherBackends.has(pid))
        shares.postgresShared += delta;
    }
    return shares;
  }

  private async tick(): Promise<void> {
    await this.refreshBackends();
    const now = { at: Date.now(), busy: totalBusyTicks(), procs: readProcs() };
    const before = this.previous;
    this.previous = now;
    if (!before) return;
    const shares = this.sharesOf(now.procs, before.procs);
    const seconds = (now.at - before.at) / 1000;
    const total = now.busy - before.busy;
    const foreign = Math.max(
      0,
      total - shares.bench - shares.postgresBench - shares.postgresShared,
    );
    const acc = this.totals.get(this.phase) ?? {
      total: 0,
      bench: 0,
      postgresBench: 0,
      postgresShared: 0,
      foreign: 0,
      seconds: 0,
    };
    const cores = (ticks: number) => ticks / TICKS_PER_SECOND;
    acc.total += cores(total);
    acc.bench += cores(shares.bench);
    acc.postgresBench += cores(shares.postgresBench);
    acc.postgresShared += cores(shares.postgresShared);
    acc.foreign += cores(foreign);
    acc.seconds += seconds;
    this.totals.set(this.phase, acc);
  }

  /** Average cores per phase (CPU-seconds divided by wall seconds). */
  summary(): Record<string, CpuShares> {
    const out: Record<string, CpuShares> = {};
    for (const [phase, acc] of this.totals) {
      const per = (v: number) => Math.round((v / Math.max(acc.seconds, 0.001)) * 100) / 100;
      out[phase] = {
        total: per(acc.total),
        bench: per(acc.bench),
        postgresBench: per(acc.postgresBench),
        postgresShared: per(acc.postgresShared),
        foreign: per(acc.foreign),
        seconds: Math.round(acc.seconds),
      };
    }
    return out;
  }
}
