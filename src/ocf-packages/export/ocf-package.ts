/** The files of an OCF package, in the order they are written, and the manifest that lists them. */
export const OCF_FILES = [
  { key: 'stakeholders_files', path: 'Stakeholders.ocf.json', type: 'OCF_STAKEHOLDERS_FILE' },
  { key: 'stock_classes_files', path: 'StockClasses.ocf.json', type: 'OCF_STOCK_CLASSES_FILE' },
  {
    key: 'stock_legend_templates_files',
    path: 'StockLegendTemplates.ocf.json',
    type: 'OCF_STOCK_LEGEND_TEMPLATES_FILE',
  },
  { key: 'stock_plans_files', path: 'StockPlans.ocf.json', type: 'OCF_STOCK_PLANS_FILE' },
  { key: 'vesting_terms_files', path: 'VestingTerms.ocf.json', type: 'OCF_VESTING_TERMS_FILE' },
  { key: 'valuations_files', path: 'Valuations.ocf.json', type: 'OCF_VALUATIONS_FILE' },
  { key: 'transactions_files', path: 'Transactions.ocf.json', type: 'OCF_TRANSACTIONS_FILE' },
] as const;

export type OcfFileSpec = (typeof OCF_FILES)[number];
export type OcfFileKey = OcfFileSpec['key'];

export const MANIFEST_PATH = 'Manifest.ocf.json';
export const OCF_VERSION = '1.2.0';

/** Which schema each file is checked against (files/<name>.schema.json). */
export const FILE_SCHEMAS: Record<string, string> = {
  OCF_MANIFEST_FILE: 'files/OCFManifestFile',
  OCF_STAKEHOLDERS_FILE: 'files/StakeholdersFile',
  OCF_STOCK_CLASSES_FILE: 'files/StockClassesFile',
  OCF_STOCK_LEGEND_TEMPLATES_FILE: 'files/StockLegendTemplatesFile',
  OCF_STOCK_PLANS_FILE: 'files/StockPlansFile',
  OCF_VESTING_TERMS_FILE: 'files/VestingTermsFile',
  OCF_VALUATIONS_FILE: 'files/ValuationsFile',
  OCF_TRANSACTIONS_FILE: 'files/TransactionsFile',
};

/** What the export streams: a file begins, one of its items, or the file ends. */
export type PackagePart =
  | { kind: 'issuer'; issuer: Record<string, unknown> }
  | { kind: 'file'; spec: OcfFileSpec }
  | { kind: 'item'; item: Record<string, unknown> }
  /** Items already as JSON text, one per line, in chunks that may end mid-line. */
  | { kind: 'lines'; lines: AsyncIterable<Buffer> }
  | { kind: 'end' };

/** The opening of a file's JSON, up to its first item. */
export const fileHead = (type: string): string =>
  `{\n  "file_type": ${JSON.stringify(type)},\n  "items": [`;

/** What goes before an item's JSON: the first one, or one after another item. */
export const itemPrefix = (first: boolean): string => `${first ? '' : ','}\n    `;

/** The JSON of one item, after `first` or another item. */
export const fileItem = (item: Record<string, unknown>, first: boolean): string =>
  `${itemPrefix(first)}${JSON.stringify(item)}`;

export const fileTail = (empty: boolean): string => `${empty ? '' : '\n  '}]\n}\n`;
