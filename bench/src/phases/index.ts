/**
 * The phases, in the order they run (`--only` picks some of them). The framework ceilings run
 * before the API starts; the others measure the running API.
 */
import type { BenchContext } from '../context';
import type { Dataset } from '../dataset';
import { audit } from './audit';
import { capTable } from './cap-table';
import { certificates } from './certificates';
import { companies } from './companies';
import { dbWriteCeiling } from './db-ceiling';
import { auditExport } from './export';
import { framework } from './framework';
import { reads } from './reads';
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
  { name: 'companies', run: companies },
  { name: 'audit', run: audit },
  { name: 'export', run: auditExport },
  { name: 'certificates', run: certificates },
  { name: 'db-ceiling', run: dbWriteCeiling },
  { name: 'writes', run: apiWrites },
  { name: 'verify', run: verifyChain },
];
