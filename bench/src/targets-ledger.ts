/**
 * The stock ledger's rows of the report's table (`targets.ts` places them): transfers against the
 * database ceiling of their writes, the reconciliation of the big company, and the split of a
 * class of one security per holder with the time until its certificates are all rendered.
 */
import type { TargetRow } from './comparisons';

const reconciled = 'ledger.reconciliation';
const splitCertificates = 'ledger.split.certificates';

/** Transfers through the API against their database ceiling. */
export const TRANSFER_ROW: TargetRow = {
  id: 'transfer',
  label:
    'POST /api/issuances/{id}/transfers, a different security each (tx + outbox; audit, certificates async)',
  service: {
    value: 'figures.transfer.rps',
    unit: 'req/s',
    figure: 'transfer',
    detail: 'p99 {{figures.transfer.p99|1}} ms',
  },
  limit: {
    value: 'figures.db_transfer.rps',
    unit: 'tx/s',
    figure: 'db_transfer',
    label: "pg: a transfer's writes, same conns",
  },
  target: { op: '>=', value: 0.35, on: 'ratio', text: '≥ 35%' },
};

/** The ledger's one-off figures: the reconciliation, the split and its certificates. */
export const LEDGER_ROWS: readonly TargetRow[] = [
  {
    id: 'reconciliation',
    label: 'GET /api/ledger/reconciliation of the big company',
    when: reconciled,
    service: {
      value: `${reconciled}.seconds`,
      unit: 's',
      detail: {
        if: `${reconciled}.ok`,
        then: `ok: {{${reconciled}.checked.securities|en}} securities, {{${reconciled}.checked.transactions|en}} transactions`,
        else: `{{${reconciled}.mismatches|en}} mismatches, status {{${reconciled}.status}}`,
      },
    },
    target: {
      op: '<=',
      value: 0,
      on: 'service',
      text: 'finishes, ok',
      judge: `${reconciled}.mismatches`,
    },
    failNote: 'mismatches or no answer',
  },
  {
    id: 'split_record',
    label: 'Split 2-for-1 of a class of {{opts.splitHolders|en}} holders: recorded',
    when: 'ledger.split.recordS',
    service: {
      value: 'ledger.split.recordS',
      unit: 's',
      detail: '{{ledger.split.securities|en}} securities reissued',
    },
  },
  {
    id: 'split_certificates',
    label: 'Its reissued certificates: all rendered (async), drain rate',
    when: splitCertificates,
    service: {
      // The time until the last one once all were rendered; else the lower bound when it stopped.
      value: [`${splitCertificates}.allS`, `${splitCertificates}.watchedS`],
      unit: 's',
      lowerBoundUnless: `${splitCertificates}.allS`,
      detail: `first after {{${splitCertificates}.firstS|1}} s, then {{${splitCertificates}.drainRatePerS|1}}/s; {{${splitCertificates}.rendered|en}} of {{${splitCertificates}.expected|en}}`,
    },
    limit: {
      value: 'figures.pdf_raw_c4.rps',
      unit: 'PDF/s',
      figure: 'pdf_raw_c4',
      label: 'raw Puppeteer, 4 reused pages',
    },
    ratio: {
      meaning: 'drain rate / raw rate',
      of: [`${splitCertificates}.drainRatePerS`, 'figures.pdf_raw_c4.rps'],
    },
  },
];
