/**
 * The Open Cap Format rows of the report's table (`targets.ts` places them): the export of the big
 * company (its API RSS growth judged, its time shown), the import of the split company's package
 * into a new company beside COPY of the rows it wrote, and the import's correctness check.
 */
import type { TargetRow } from './comparisons';

const exported = 'ledger.ocfExport';
const imported = 'ledger.ocfImport';

export const OCF_ROWS: readonly TargetRow[] = [
  {
    id: 'ocf_export',
    label: 'OCF export of the big company (zip, streamed): API RSS growth',
    when: exported,
    service: {
      value: 'memory.ocfExportRssGrowth',
      unit: 'MB',
      divisor: 1_048_576,
      detail: `{{${exported}.seconds|1}} s, {{${exported}.transactions|en}} transactions, {{${exported}.objects|en}} objects, {{${exported}.megabytes|1}} MB`,
    },
    target: { op: '<', value: 100, on: 'service', text: '< 100 MB' },
  },
  {
    id: 'ocf_import',
    label: "OCF import of the split company's package into a new company",
    when: imported,
    service: {
      value: `${imported}.seconds`,
      unit: 's',
      figure: 'ocf_import',
      detail: `{{${imported}.objectsPerS|1}} objects/s: {{${imported}.objects|en}} objects, {{${imported}.transactions|en}} transactions`,
    },
    limit: {
      value: `${imported}.copy.seconds`,
      unit: 's',
      figure: 'ocf_import_copy',
      label: `COPY of the {{${imported}.copy.rows|en}} rows it wrote`,
    },
    ratio: { meaning: 'of COPY time' },
  },
  {
    id: 'ocf_import_cap_table',
    label: "The imported company's cap table against the source's",
    when: `${imported}.companyId`,
    service: {
      value: `${imported}.capTableMismatches`,
      unit: 'holders differing',
      detail: 'status {{ledger.ocfImport.status}}',
    },
    target: { op: '<=', value: 0, on: 'service', text: 'the same' },
    failNote: 'the import answered otherwise, or the cap tables differ',
  },
];
