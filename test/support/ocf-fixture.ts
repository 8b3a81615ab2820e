import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Item = Record<string, unknown>;
const money = (amount: string, currency = 'USD') => ({ amount, currency });
const OCF = join(__dirname, '..', '..', 'ocf');

/** The official sample's four-year, one-year-cliff vesting terms, as they are. */
export const fourYearCliff = (): Item =>
  (
    JSON.parse(readFileSync(join(OCF, 'samples', 'VestingTerms.ocf.json'), 'utf8')) as {
      items: Item[];
    }
  ).items[0];

const stakeholder = (id: string, name: string, email: string): Item => ({
  object_type: 'STAKEHOLDER',
  id,
  name: { legal_name: name },
  stakeholder_type: 'INDIVIDUAL',
  contact_info: { emails: [{ email_type: 'BUSINESS', email_address: email }] },
});

const issuance = (
  id: string,
  holder: string,
  stockClass: string,
  quantity: string,
  date: string,
  price = '0.001',
): Item => ({
  object_type: 'TX_STOCK_ISSUANCE',
  id: `tx-${id}`,
  security_id: id,
  custom_id: id.toUpperCase(),
  date,
  stakeholder_id: holder,
  stock_class_id: stockClass,
  share_price: money(price),
  quantity,
  security_law_exemptions: [],
  stock_legend_ids: [],
});

/**
 * A company's ledger as another system would write it in OCF 1.2.0: a founder's shares transferred
 * in part to an angel, partly cancelled, the angel's partly repurchased, preferred shares partly
 * converted into common at 2 for 1, a plan with an option grant vesting over four years with a
 * one-year cliff and an exercise, a second grant exercised in part before its window closed, and
 * a 2-for-1 split of the common shares with a reissuance of
 * every outstanding security, as OCF records a split.
 */
export function ledgerPackageItems(): Record<string, Item[]> {
  return {
    stakeholders: [
      stakeholder('sh-founder', 'Frida Founder', 'frida@founders.example'),
      stakeholder('sh-angel', 'Angus Angel', 'angus@angels.example'),
      stakeholder('sh-fund', 'Venture Fund I LP', 'ops@fund.example'),
      stakeholder('sh-employee', 'Emil Employee', 'emil@staff.example'),
    ],
    classes: [
      {
        object_type: 'STOCK_CLASS',
        id: 'cl-common',
        name: 'Common Stock',
        class_type: 'COMMON',
        default_id_prefix: 'CS-',
        initial_shares_authorized: '1000000',
        votes_per_share: '1',
        seniority: '1',
        par_value: money('0.0001'),
        conversion_rights: [],
      },
      {
        object_type: 'STOCK_CLASS',
        id: 'cl-pref',
        name: 'Series Seed Preferred',
        class_type: 'PREFERRED',
        default_id_prefix: 'PS-',
        initial_shares_authorized: '100000',
        votes_per_share: '1',
        seniority: '2',
        par_value: money('0.0001'),
        conversion_rights: [
          {
            type: 'STOCK_CLASS_CONVERSION_RIGHT',
            converts_to_stock_class_id: 'cl-common',
            conversion_mechanism: {
              type: 'RATIO_CONVERSION',
              ratio: { numerator: '2', denominator: '1' },
              conversion_price: money('0.5'),
              rounding_type: 'FLOOR',
            },
          },
        ],
      },
    ],
    plans: [
      {
        object_type: 'STOCK_PLAN',
        id: 'plan-2024',
        plan_name: '2024 Equity Incentive Plan',
        initial_shares_reserved: '100000',
        default_cancellation_behavior: 'RETURN_TO_POOL',
        stock_class_ids: ['cl-common'],
      },
    ],
    terms: [fourYearCliff()],
    transactions: [
      issuance('s-founder', 'sh-founder', 'cl-common', '600000', '2024-01-01'),
      {
        object_type: 'TX_STOCK_TRANSFER',
        id: 'tx-transfer',
        security_id: 's-founder',
        date: '2024-02-01',
        quantity: '100000',
        resulting_security_ids: ['s-angel'],
        balance_security_id: 's-founder-2',
      },
      issuance('s-angel', 'sh-angel', 'cl-common', '100000', '2024-02-01'),
      issuance('s-founder-2', 'sh-founder', 'cl-common', '500000', '2024-02-01'),
      issuance('s-fund', 'sh-fund', 'cl-pref', '50000', '2024-03-01', '1.00'),
      {
        object_type: 'TX_STOCK_CANCELLATION',
        id: 'tx-cancel',
        security_id: 's-founder-2',
        date: '2024-04-01',
        quantity: '20000',
        reason_text: 'Unvested at departure of a co-founder',
        balance_security_id: 's-founder-3',
      },
      issuance('s-founder-3', 'sh-founder', 'cl-common', '480000', '2024-04-01'),
      {
        object_type: 'TX_STOCK_REPURCHASE',
        id: 'tx-repurchase',
        security_id: 's-angel',
        date: '2024-05-01',
        quantity: '10000',
        price: money('0.50'),
        balance_security_id: 's-angel-2',
      },
      issuance('s-angel-2', 'sh-angel', 'cl-common', '90000', '2024-05-01'),
      {
        object_type: 'TX_STOCK_CONVERSION',
        id: 'tx-convert',
        security_id: 's-fund',
        date: '2024-06-01',
        quantity_converted: '20000',
        resulting_security_ids: ['s-fund-common'],
        balance_security_id: 's-fund-2',
      },
      issuance('s-fund-common', 'sh-fund', 'cl-common', '40000', '2024-06-01', '1.00'),
      issuance('s-fund-2', 'sh-fund', 'cl-pref', '30000', '2024-06-01', '1.00'),
      {
        object_type: 'TX_EQUITY_COMPENSATION_ISSUANCE',
        id: 'tx-grant',
        security_id: 'g-emil',
        custom_id: 'O-1',
        date: '2024-01-15',
        stakeholder_id: 'sh-employee',
        stock_plan_id: 'plan-2024',
        compensation_type: 'OPTION_ISO',
        quantity: '48000',
        exercise_price: money('0.10'),
        vesting_terms_id: '4yr-1yr-cliff-schedule',
        expiration_date: '2034-01-14',
        termination_exercise_windows: [
          { reason: 'VOLUNTARY_OTHER', period: 90, period_type: 'DAYS' },
        ],
        security_law_exemptions: [],
      },
      {
        object_type: 'TX_VESTING_START',
        id: 'tx-vesting-start',
        security_id: 'g-emil',
        vesting_condition_id: 'vesting-start',
        date: '2024-01-15',
      },
      {
        object_type: 'TX_EQUITY_COMPENSATION_EXERCISE',
        id: 'tx-exercise',
        security_id: 'g-emil',
        date: '2025-02-01',
        quantity: '12000',
        resulting_security_ids: ['s-emil'],
      },
      issuance('s-emil', 'sh-employee', 'cl-common', '12000', '2025-02-01', '0.10'),
      // A second grant whose exercise window closed after it was exercised in part.
      {
        object_type: 'TX_EQUITY_COMPENSATION_ISSUANCE',
        id: 'tx-grant-short',
        security_id: 'g-emil-short',
        custom_id: 'O-2',
        date: '2024-01-15',
        stakeholder_id: 'sh-employee',
        stock_plan_id: 'plan-2024',
        compensation_type: 'OPTION_NSO',
        quantity: '4000',
        exercise_price: money('0.10'),
        vesting_terms_id: '4yr-1yr-cliff-schedule',
        expiration_date: '2025-04-30',
        termination_exercise_windows: [],
        security_law_exemptions: [],
      },
      {
        object_type: 'TX_EQUITY_COMPENSATION_EXERCISE',
        id: 'tx-exercise-short',
        security_id: 'g-emil-short',
        date: '2025-03-01',
        quantity: '1000',
        resulting_security_ids: ['s-emil-short'],
      },
      issuance('s-emil-short', 'sh-employee', 'cl-common', '1000', '2025-03-01', '0.10'),
      {
        object_type: 'TX_STOCK_CLASS_SPLIT',
        id: 'tx-split',
        stock_class_id: 'cl-common',
        date: '2025-06-01',
        split_ratio: { numerator: '2', denominator: '1' },
      },
      ...[
        ['s-founder-3', 's-founder-4', '960000', 'sh-founder'],
        ['s-angel-2', 's-angel-3', '180000', 'sh-angel'],
        ['s-fund-common', 's-fund-common-2', '80000', 'sh-fund'],
        ['s-emil', 's-emil-2', '24000', 'sh-employee'],
        ['s-emil-short', 's-emil-short-2', '2000', 'sh-employee'],
      ].flatMap(([from, to, quantity, holder]) => [
        {
          object_type: 'TX_STOCK_REISSUANCE',
          id: `tx-split-${from}`,
          security_id: from,
          date: '2025-06-01',
          resulting_security_ids: [to],
          split_transaction_id: 'tx-split',
        },
        issuance(to, holder, 'cl-common', quantity, '2025-06-01'),
      ]),
    ],
  };
}

/** The positions the package gives, by holder email and class name, on a few dates. */
export const EXPECTED_POSITIONS: Record<string, Record<string, Record<string, number>>> = {
  '2024-02-15': {
    'frida@founders.example': { 'Common Stock': 500_000 },
    'angus@angels.example': { 'Common Stock': 100_000 },
  },
  '2024-06-15': {
    'frida@founders.example': { 'Common Stock': 480_000 },
    'angus@angels.example': { 'Common Stock': 90_000 },
    'ops@fund.example': { 'Common Stock': 40_000, 'Series Seed Preferred': 30_000 },
  },
  '2025-03-01': {
    'frida@founders.example': { 'Common Stock': 480_000 },
    'angus@angels.example': { 'Common Stock': 90_000 },
    'ops@fund.example': { 'Common Stock': 40_000, 'Series Seed Preferred': 30_000 },
    'emil@staff.example': { 'Common Stock': 13_000 },
  },
  '2025-07-01': {
    'frida@founders.example': { 'Common Stock': 960_000 },
    'angus@angels.example': { 'Common Stock': 180_000 },
    'ops@fund.example': { 'Common Stock': 80_000, 'Series Seed Preferred': 30_000 },
    'emil@staff.example': { 'Common Stock': 26_000 },
  },
};

const FILES = [
  ['stakeholders', 'Stakeholders.ocf.json', 'OCF_STAKEHOLDERS_FILE', 'stakeholders_files'],
  ['classes', 'StockClasses.ocf.json', 'OCF_STOCK_CLASSES_FILE', 'stock_classes_files'],
  [
    'legends',
    'StockLegends.ocf.json',
    'OCF_STOCK_LEGEND_TEMPLATES_FILE',
    'stock_legend_templates_files',
  ],
  ['plans', 'StockPlans.ocf.json', 'OCF_STOCK_PLANS_FILE', 'stock_plans_files'],
  ['terms', 'VestingTerms.ocf.json', 'OCF_VESTING_TERMS_FILE', 'vesting_terms_files'],
  ['valuations', 'Valuations.ocf.json', 'OCF_VALUATIONS_FILE', 'valuations_files'],
  ['transactions', 'Transactions.ocf.json', 'OCF_TRANSACTIONS_FILE', 'transactions_files'],
] as const;

export const ISSUER = {
  object_type: 'ISSUER',
  id: 'issuer-acme',
  legal_name: 'Acme Widgets, Inc.',
  formation_date: '2023-11-01',
  country_of_formation: 'US',
  country_subdivision_of_formation: 'DE',
};

/** The single-document form of a package with these items (and md5s that are not checked). */
export function jsonPackage(items: Record<string, Item[]>, manifest: Item = {}) {
  const files: Record<string, Item> = {};
  const listed: Record<string, unknown> = {};
  for (const [kind, path, fileType, key] of FILES) {
    files[path] = { file_type: fileType, items: items[kind] ?? [] };
    listed[key] = [{ filepath: `./${path}`, md5: '0'.repeat(32) }];
  }
  return {
    files,
    manifest: {
      ocf_version: '1.2.0',
      file_type: 'OCF_MANIFEST_FILE',
      issuer: ISSUER,
      as_of: '2025-12-31',
      generated_at: '2025-12-31T12:00:00Z',
      ...listed,
      ...manifest,
    },
  };
}

/** The same package as the files of a .ocf.zip (name → JSON), with correct md5s. */
export function zipFiles(items: Record<string, Item[]>, manifest: Item = {}): Record<string, Item> {
  const document = jsonPackage(items, manifest);
  return { ...document.files, 'Manifest.ocf.json': document.manifest };
}
