import { CreateShareholderDto } from '../shareholders';
import type { CsvRow } from './csv-table';
import { SHAREHOLDER_COLUMNS } from './import-columns';
import { RowError, rowError } from './row-errors';
import { Draft, draftOf, plainOf } from './row-validation';

/** A row of a shareholders import as the body of POST /api/shareholders/, validated as that is. */
export function shareholderDraft(row: CsvRow): Promise<Draft<CreateShareholderDto> | RowError[]> {
  return draftOf(CreateShareholderDto, row.row, plainOf(row, SHAREHOLDER_COLUMNS));
}

/**
 * Emails are unique in a company regardless of case, so a row whose email an existing holder has
 * (`taken`, by lower-cased email), or an earlier row of the file, is an error: an import creates
 * holders, it never changes one. The same holds for a `user_id` repeated in the file (one that an
 * existing holder has is refused by the write itself).
 */
export function duplicateErrors(
  drafts: ReadonlyArray<Draft<CreateShareholderDto>>,
  taken: ReadonlyMap<string, string>,
): RowError[] {
  const emails = new Map<string, number>();
  const users = new Map<string, number>();
  const errors: RowError[] = [];
  for (const { row, dto } of drafts) {
    const email = dto.email.toLowerCase();
    const earlier = emails.get(email);
    if (taken.has(email))
      errors.push(emailTaken(row, 'email is already the email of a holder of this company'));
    else if (earlier !== undefined)
      errors.push(emailTaken(row, `email is also the email of row ${earlier}`));
    else emails.set(email, row);
    if (dto.user_id === undefined) continue;
    const earlierUser = users.get(dto.user_id);
    if (earlierUser === undefined) users.set(dto.user_id, row);
    else
      errors.push(
        rowError(
          row,
          'user_id',
          [`user_id is also that of row ${earlierUser}`],
          'SHAREHOLDER_USER_TAKEN',
        ),
      );
  }
  return errors;
}

const emailTaken = (row: number, message: string): RowError =>
  rowError(row, 'email', [message], 'SHAREHOLDER_EMAIL_TAKEN');
