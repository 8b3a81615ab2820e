/**
 * What the phases share: the options, the run's results so far (figures, plans, notes, writes,
 * memory, chain, ledger), the processes the bench started and what stops them at the end.
 */
import { Client } from 'pg';
import { actForFirstCompany } from './dataset-common';
import type { PhaseProfiler, RssSample, RssSampler, StartedProcess } from './api-process';
import type { CpuMonitor } from './cpu-monitor';
import type { Driver } from './driver-client';
import { Tokens } from './keycloak';
import { BenchOptions, databaseUrl } from './options';
import type { Figure } from './report';
import type { PlanSummary } from './sql-limits';

export const log = (message: string): void => console.log(`[bench] ${message}`);

type Cleanup = () => Promise<unknown>;

export class BenchContext {
  readonly figures: Record<string, Figure> = {};
  readonly plans: Record<string, PlanSummary> = {};
  readonly notes: string[] = [];
  readonly writes: Record<string, unknown> = {};
  readonly memory: Record<string, unknown> = {};
  readonly chain: Record<string, unknown> = {};
  /** The stock ledger's one-off figures: the reconciliation, the split and its certificates. */
  readonly ledger: Record<string, unknown> = {};
  readonly tokens: Tokens;
  /** The bench database, as its owner (dataset loading, direct SQL limits). */
  readonly url: string;
  /** The same database as the API's least-privileged login role, the one the API runs with. */
  readonly appUrl: string;
  certificatesPresent = false;
  db?: Client;
  private asApi?: Client;
  driver?: Driver;
  api?: StartedProcess;
  sampler?: RssSampler;
  profiler?: PhaseProfiler;
  cpu?: CpuMonitor;
  private readonly cleanups: Cleanup[] = [];

  constructor(readonly opts: BenchOptions) {
    this.tokens = new Tokens(opts.keycloakUrl, opts.realm);
    this.url = databaseUrl(opts.adminUrl, opts.dbName);
    const app = new URL(this.url);
    app.username = 'corporate_os_api_bench';
    app.password = 'bench-only';
    this.appUrl = app.toString();
  }

  wants(phase: string): boolean {
    return this.opts.only === null || this.opts.only.includes(phase);
  }

  /** Cleanups run in reverse order, at the end or on a signal. */
  onCleanup(cleanup: Cleanup): void {
    this.cleanups.push(cleanup);
  }

  async cleanup(): Promise<void> {
    while (this.cleanups.length > 0) {
      const next = this.cleanups.pop() as Cleanup;
      await next().catch((error: unknown) => log(`cleanup: ${String(error)}`));
    }
  }

  get rssSamples(): RssSample[] {
    return this.sampler?.samples ?? [];
  }

  /** The orchestrator's own connection to the bench database. */
  get database(): Client {
    if (!this.db) throw new Error('no database connection yet');
    return this.db;
  }

  /**
   * A connection as the API's role, acting for the first company for its whole session: the
   * service's SQL timed here meets row-level security exactly as it does in the API (whose
   * transactions set the same company), so the direct-SQL limits are like for like.
   */
  async apiDatabase(): Promise<Client> {
    if (!this.asApi) {
      const client = new Client({
        connectionString: this.appUrl,
        application_name: 'bench-sql-limits',
      });
      await client.connect();
      await actForFirstCompany(client);
      this.asApi = client;
      this.onCleanup(() => client.end());
    }
    return this.asApi;
  }

  /**
   * Runs `work` with the API-role connection acting for `companyId` instead of the first company,
   * then acting for the first company again, so the other phases find it as they expect.
   */
  async asCompany<T>(companyId: string, work: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.apiDatabase();
    await client.query(`SELECT set_config('app.company_id', $1, false)`, [companyId]);
    try {
      return await work(client);
    } finally {
      await actForFirstCompany(client);
    }
  }

  /** The load driver (a child process). */
  get load(): Driver {
    if (!this.driver) throw new Error('no driver');
    return this.driver;
  }

  /** The API's base URL. */
  get base(): string {
    if (!this.api) throw new Error('the API is not running');
    return this.api.baseUrl;
  }

  /** Names the phase for the RSS and CPU samples, and profiles the API during it when asked. */
  phase<T>(name: string, work: () => Promise<T>): Promise<T> {
    if (this.sampler) this.sampler.phase = name;
    if (this.cpu) this.cpu.phase = name;
    log(`--- ${name}`);
    return this.profiler ? this.profiler.around(name, work) : work();
  }
}
