import { csvDocument } from '../core/http/csv-cell';

/** What a CSV import creates. */
export const IMPORT_KINDS = ['shareholders', 'issuances'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const isImportKind = (value: string): value is ImportKind =>
  (IMPORT_KINDS as readonly string[]).includes(value);

/** One column of an import's header row. */
export interface ImportColumn {
  name: string;
  /** A required column must be in the header and its cell may not be empty. */
  required: boolean;
  description: string;
}

/** The fields of POST /api/shareholders/, one column each. */
export const SHAREHOLDER_COLUMNS: readonly ImportColumn[] = [
  { name: 'name', required: true, description: 'up to 200 characters' },
  {
    name: 'email',
    required: true,
    description: 'unique in the company regardless of case, in the file as in the database',
  },
  { name: 'type', required: false, description: 'INDIVIDUAL (the default) or INSTITUTION' },
  { name: 'phone', required: false, description: 'digits, spaces, + ( ) . -; stored encrypted' },
  { name: 'address', required: false, description: 'up to 500 characters; stored encrypted' },
  { name: 'tax_id', required: false, description: '4 to 32 letters, digits, spaces or . / -' },
  { name: 'user_id', required: false, description: 'the Keycloak `sub` of the holder login' },
];

/** The fields of POST /api/issuances/, the holder named by email and the class by name. */
export const ISSUANCE_COLUMNS: readonly ImportColumn[] = [
  {
    name: 'shareholder_email',
    required: true,
    description: 'the email of an existing holder of the company (any case)',
  },
  {
    name: 'share_class',
    required: false,
    description:
      "the exact name of a share class of the company; empty: the company's COMMON class",
  },
  { name: 'number_of_shares', required: true, description: 'a whole number, at least 1' },
  { name: 'price', required: true, description: 'price per share, e.g. 0.25 (up to 10 decimals)' },
  { name: 'date', required: false, description: 'YYYY-MM-DD; empty: today (UTC)' },
  {
    name: 'currency',
    required: false,
    description: "ISO 4217 in upper case; empty: the company's currency",
  },
];

export const COLUMNS_OF: Readonly<Record<ImportKind, readonly ImportColumn[]>> = {
  shareholders: SHAREHOLDER_COLUMNS,
  issuances: ISSUANCE_COLUMNS,
};

/** The template of an import: its header row, every column in the documented order. */
export function templateOf(kind: ImportKind): string {
  return csvDocument([COLUMNS_OF[kind].map((column) => column.name)]);
}

/** The columns as the API documentation lists them. */
export function describeColumns(kind: ImportKind): string {
  return COLUMNS_OF[kind]
    .map((c) => `\`${c.name}\`${c.required ? ' (required)' : ''}: ${c.description}`)
    .join('; ');
}
