import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  EquityExportRepository,
  EquityOcfTable,
  ExportGrantRow,
  ExportGrantTransactionRow,
  ExportPlanRow,
  ExportPoolAdjustmentRow,
  ExportVestingTermsRow,
} from './persistence/equity-export.repository';

export type {
  EquityOcfTable,
  ExportGrantRow,
  ExportGrantTransactionRow,
  ExportPlanRow,
  ExportPoolAdjustmentRow,
  ExportVestingTermsRow,
};

/**
 * The equity plans as an OCF export reads them (in the caller's snapshot transaction `tx`), and
 * the OCF ids an import gives the rows it created.
 */
@Injectable()
export class EquityExportService {
  constructor(private readonly repository: EquityExportRepository) {}

  plans(tx: EntityManager): Promise<ExportPlanRow[]> {
    return this.repository.plans(tx);
  }

  poolAdjustments(tx: EntityManager, asOf: string): Promise<ExportPoolAdjustmentRow[]> {
    return this.repository.poolAdjustments(tx, asOf);
  }

  vestingTerms(tx: EntityManager): Promise<ExportVestingTermsRow[]> {
    return this.repository.vestingTerms(tx);
  }

  /** In pages: a company's grants are not held in memory at once. */
  grants(tx: EntityManager, asOf: string): AsyncGenerator<ExportGrantRow[]> {
    return this.repository.grants(tx, asOf);
  }

  /** In pages: read once for the securities they became, once more to be written. */
  grantTransactions(tx: EntityManager, asOf: string): AsyncGenerator<ExportGrantTransactionRow[]> {
    return this.repository.grantTransactions(tx, asOf);
  }

  recordOcfIds(
    table: EquityOcfTable,
    rows: Array<{ id: string; ocfId: string; ocfSecurityId?: string }>,
  ): Promise<void> {
    return this.repository.recordOcfIds(undefined, table, rows);
  }
}
