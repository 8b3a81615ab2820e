/**
 * The phases, in the order they run (`--only` picks some of them). The framework ceilings run
 * before the API starts; the others measure the running API. The equity plans' reads come before
 * any write; the reconciliation and the OCF export read the dataset as loaded (after the
 * on-demand certificates), the OCF import's background work settled before the database ceiling;
 * the ledger's write phases come after the issuance writes, the split (whose certificates take
 * longest) last before the chain's check.
 */
import type { BenchContext } from '../context';
import type { Dataset } from '../dataset';
import { audit } from './audit';
import { capTable } from './cap-table';
import { certificates } from './certificates';
import { companies } from './companies';
import { dbWriteCeiling } from './db-ceiling';
import { equity } from './equity';
import { auditExport } from './export';
import { framework } from './framework';
import { ledgerCeiling } from './ledger-ceiling';
import { ocf, ocfImportPhase } from './ocf';
import { reads } from './reads';
import { reconciliation } from './reconciliation';
import { split } from './split';
import { transfers } from './transfers';
import { verifyChain } from './verify';
import { apiWrites } from './writes';

export interface Phase {
  name: string;
  /** Runs before the API is started (it measures no part of the service). */
  beforeApi?: boolean;
  run: (ctx: BenchContext, data: Dataset) => Promise<void>;
}

export const PHASES: readonly Phase[] = [
  { name: 'framework', beforeApi: true, run: framework },
  { name: 'reads', run: reads },
  { name: 'cap-table', run: capTable },
  { name: 'equity', run: equity },
  { name: 'companies', run: companies },
  { name: 'audit', run: audit },
  { name: 'export', run: auditExport },
  { name: 'certificates', run: certificates },
  { name: 'reconciliation', run: reconciliation },
  { name: 'ocf', run: ocf },
  { name: 'ocf-import', run: ocfImportPhase },
  { name: 'db-ceiling', run: dbWriteCeiling },
  { name: 'writes', run: apiWrites },
  { name: 'ledger-ceiling', run: ledgerCeiling },
  { name: 'transfers', run: transfers },
  { name: 'split', run: split },
  { name: 'verify', run: verifyChain },
];
