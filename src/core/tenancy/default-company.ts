import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfigService } from '../config/app-config.service';
import { existingCompanySql, firstCompanySql } from '../db/company-lookup';
import { Database } from '../db/database.service';

/**
 * The company the unscoped routes (/api/shareholders/, /api/cap-table, …) address: DEFAULT_COMPANY_ID
 * when set (it must exist), else the deployment's first company. Resolved once at start-up:
 * companies are never deleted, and the first one stays the first.
 */
@Injectable()
export class DefaultCompany implements OnApplicationBootstrap {
  private resolved?: string;

  constructor(
    private readonly db: Database,
    private readonly config: AppConfigService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.id();
  }

  /** The default company's id, once resolved (it is by the time requests are served). */
  get cached(): string | undefined {
    return this.resolved;
  }

  async id(): Promise<string> {
    if (this.resolved) return this.resolved;
    const configured = this.config.get('DEFAULT_COMPANY_ID');
    const [row] = await this.db.rows<{ id: string | null }>(
      configured ? existingCompanySql(configured) : firstCompanySql(),
      { unscoped: true },
    );
    if (!row?.id) {
      throw new Error(
        configured
          ? `DEFAULT_COMPANY_ID ${configured} names no company of this deployment`
          : 'the deployment has no company: run the migrations (npm run db:migrate)',
      );
    }
    this.resolved = row.id;
    return row.id;
  }
}
