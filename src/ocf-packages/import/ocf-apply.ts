import type { OcfRetainedObjects } from '../ocf-retained-objects.service';
import { adjustPool, grant, grantTransaction, importPlaceholders } from './ocf-apply-equity';
import { adjust, split } from './ocf-apply-classes';
import { issueStock, retract, spendStock } from './ocf-apply-ledger';
import {
  importStakeholders,
  importStockClasses,
  importStockPlans,
  importVestingTerms,
} from './ocf-apply-objects';
import type { OcfFinding } from './ocf-findings';
import { OcfGraph, str } from './ocf-graph';
import type { ImportRun } from './ocf-import-run';
import type { LedgerCheck } from './ocf-ledger-check';
import type { Located } from './ocf-normalize';
import type { ReadPackage } from './ocf-package-reader';

/** A package that passed every check made before writing. */
export interface CheckedPackage {
  read: ReadPackage;
  graph: OcfGraph;
  check: LedgerCheck;
  warnings: OcfFinding[];
}

type Step = (run: ImportRun, located: Located) => Promise<void>;

const STEPS: Record<string, Step> = {
  TX_STOCK_ISSUANCE: issueStock,
  TX_STOCK_TRANSFER: spendStock,
  TX_STOCK_CANCELLATION: spendStock,
  TX_STOCK_REPURCHASE: spendStock,
  TX_STOCK_CONVERSION: spendStock,
  TX_STOCK_REISSUANCE: spendStock,
  TX_STOCK_RETRACTION: retract,
  TX_STOCK_CLASS_SPLIT: split,
  TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT: adjust,
  TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT: adjust,
  TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT: adjust,
  TX_STOCK_PLAN_POOL_ADJUSTMENT: adjustPool,
  TX_EQUITY_COMPENSATION_ISSUANCE: grant,
  TX_EQUITY_COMPENSATION_EXERCISE: grantTransaction,
  TX_EQUITY_COMPENSATION_RELEASE: grantTransaction,
  TX_EQUITY_COMPENSATION_CANCELLATION: grantTransaction,
  TX_VESTING_START: grantTransaction,
  TX_VESTING_EVENT: grantTransaction,
  TX_VESTING_ACCELERATION: grantTransaction,
};

/**
 * Writes the package, in the caller's unit of work: the holders, classes, vesting terms and plans
 * first, then every transaction in ledger order, then what is kept verbatim, then the OCF ids.
 */
export async function applyPackage(run: ImportRun, retained: OcfRetainedObjects): Promise<void> {
  await importStakeholders(run);
  await importStockClasses(run);
  await importVestingTerms(run);
  await importStockPlans(run);
  await importPlaceholders(run);
  for (const located of run.check.steps) {
    const step = STEPS[str(located.item.object_type)];
    if (!step) throw new Error(`no import step for ${str(located.item.object_type)}`);
    await step(run, located);
  }
  await retained.keep(
    run.graph.retained.map((located) => ({
      fileType:
        located.item.object_type === 'VALUATION' ? 'OCF_VALUATIONS_FILE' : 'OCF_TRANSACTIONS_FILE',
      object: located.item,
    })),
  );
  for (const located of run.graph.retained) run.count(located);
  for (const located of run.graph.legends.values()) run.count(located);
  await run.recordOcfIds();
}
