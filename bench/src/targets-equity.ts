/**
 * The equity plans' rows of the report's table (`targets.ts` places them): the fully diluted cap
 * table against the best direct SQL for the same figures (the faster of the service's own
 * statements and one hand-written statement, `phases/equity.ts`), the two SQL figures against
 * each other, and the vesting schedule of one grant.
 */
import type { TargetRow } from './comparisons';

const best = 'ledger.equityBestSql';

export const EQUITY_ROWS: readonly TargetRow[] = [
  {
    id: 'cap_table_fully_diluted',
    label: 'GET /api/cap-table?basis=fully_diluted (p95)',
    service: {
      value: 'figures.cap_table_fully_diluted.p95',
      unit: 'ms',
      figure: 'cap_table_fully_diluted',
      detail: 'p50 {{figures.cap_table_fully_diluted.p50|1}} ms',
    },
    limit: {
      value: `${best}.p95`,
      unit: 'ms',
      label: `best direct SQL: {{${best}.label}}`,
    },
    ratio: { meaning: 'of SQL time' },
    target: { op: '<=', value: 2, on: 'ratio', text: '≤ 2x SQL' },
  },
  {
    id: 'cap_table_fully_diluted_sql',
    label: 'fully diluted figures: one hand-written statement vs the service’s statements (p95)',
    service: {
      value: 'figures.cap_table_fully_diluted_sql.p95',
      unit: 'ms',
      figure: 'cap_table_fully_diluted_sql',
      detail: 'p50 {{figures.cap_table_fully_diluted_sql.p50|1}} ms',
    },
    limit: {
      value: 'figures.cap_table_fully_diluted_service_sql.p95',
      unit: 'ms',
      figure: 'cap_table_fully_diluted_service_sql',
      label: 'positions, then holders ∥ pools, via pg',
    },
    ratio: { meaning: 'of SQL time' },
  },
  {
    id: 'grant_vesting',
    label: 'GET /api/grants/{id}/vesting, one grant (p95)',
    service: {
      value: 'figures.grant_vesting.p95',
      unit: 'ms',
      figure: 'grant_vesting',
      detail:
        'p50 {{figures.grant_vesting.p50|1}} ms; {{ledger.equityVesting.installments}} installments, computed in TypeScript in {{figures.grant_vesting_ts.p95|3}} ms (p95, bench process)',
    },
  },
];
