import { isEmail } from 'class-validator';
import { CreateIssuanceDto } from '../issuances';
import type { CsvRow } from './csv-table';
import { ISSUANCE_COLUMNS } from './import-columns';
import { RowError, rowError } from './row-errors';
import { Draft, draftOf, plainOf, wholeNumber } from './row-validation';

/** What the rows of an issuances import refer to: holders by email and classes by name. */
export interface IssuanceReferences {
  /** Holder ids by lower-cased email. */
  holders: ReadonlyMap<string, string>;
  classes: ClassIndex;
}

/** Share classes by exact name, and by name in any case where that names one class only. */
export interface ClassIndex {
  exact: ReadonlyMap<string, string>;
  folded: ReadonlyMap<string, string | null>;
}

export function classIndex(classes: ReadonlyArray<{ id: string; name: string }>): ClassIndex {
  const folded = new Map<string, string | null>();
  for (const { id, name } of classes) {
    const key = name.toLowerCase();
    folded.set(key, folded.has(key) ? null : id);
  }
  return { exact: new Map(classes.map((c) => [c.name, c.id])), folded };
}

const classIdOf = (index: ClassIndex, name: string): string | undefined =>
  index.exact.get(name) ?? index.folded.get(name.toLowerCase()) ?? undefined;

/** As CreateShareholderDto checks a holder's email. */
const EMAIL_OPTIONS = { allow_display_name: false, require_tld: true } as const;

/** The holder emails the rows name, to look up in one query. */
export function holderEmailsOf(rows: readonly CsvRow[]): string[] {
  return rows.map((row) => row.cells.shareholder_email ?? '').filter((email) => email !== '');
}

/** The DTO's properties that stand for a column of another name. */
const COLUMN_OF_PROPERTY: Readonly<Record<string, string>> = {
  shareholder_id: 'shareholder_email',
  share_class_id: 'share_class',
};
const columnOf = (property: string): string => COLUMN_OF_PROPERTY[property] ?? property;

/** Not a holder of anyone: stands in for an unknown holder while the rest of the row is checked. */
const NO_HOLDER = '00000000-0000-0000-0000-000000000000';

/** The holder and class a row names, as ids, and the errors of those it names wrongly. */
function referencesOf(
  row: number,
  cells: Record<string, string | undefined>,
  refs: IssuanceReferences,
): { shareholderId?: string; shareClassId?: string; errors: RowError[] } {
  const errors: RowError[] = [];
  const email = cells.shareholder_email ?? '';
  const shareholderId = refs.holders.get(email.toLowerCase());
  if (!isEmail(email, EMAIL_OPTIONS))
    errors.push(rowError(row, 'shareholder_email', ['shareholder_email must be an email']));
  else if (!shareholderId)
    errors.push(
      rowError(
        row,
        'shareholder_email',
        ['shareholder_email is not the email of a holder of this company'],
        'SHAREHOLDER_NOT_FOUND',
      ),
    );
  const className = cells.share_class;
  const shareClassId = className === undefined ? undefined : classIdOf(refs.classes, className);
  if (className !== undefined && !shareClassId)
    errors.push(
      rowError(
        row,
        'share_class',
        ['share_class is not the name of a share class of this company'],
        'SHARE_CLASS_NOT_FOUND',
      ),
    );
  return { shareholderId, shareClassId, errors };
}

const COLUMN_ORDER = ISSUANCE_COLUMNS.map((column) => column.name);
const inColumnOrder = (errors: RowError[]): RowError[] =>
  errors.sort(
    (a, b) => COLUMN_ORDER.indexOf(a.column ?? '') - COLUMN_ORDER.indexOf(b.column ?? ''),
  );

/**
 * A row of an issuances import as the body of POST /api/issuances/ (its holder and class found by
 * email and name), validated with that route's DTO.
 */
export async function issuanceDraft(
  row: CsvRow,
  refs: IssuanceReferences,
): Promise<Draft<CreateIssuanceDto> | RowError[]> {
  const cells = plainOf(row, ISSUANCE_COLUMNS);
  const { shareholderId, shareClassId, errors } = referencesOf(row.row, cells, refs);
  const draft = await draftOf(
    CreateIssuanceDto,
    row.row,
    {
      shareholder_id: shareholderId ?? NO_HOLDER,
      share_class_id: shareClassId,
      number_of_shares: wholeNumber(cells.number_of_shares),
      price: cells.price,
      date: cells.date,
      currency: cells.currency,
    },
    columnOf,
  );
  if (Array.isArray(draft)) return inColumnOrder([...errors, ...draft]);
  return errors.length > 0 ? errors : draft;
}
