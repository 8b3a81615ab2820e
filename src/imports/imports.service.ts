import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../core/db/database.service';
import type { ErrorCode } from '../core/errors/error-code';
import type { ActionContext } from '../core/http/action-context';
import { CreateIssuanceDto, IssuancesService, ShareClassesService } from '../issuances';
import { CreateShareholderDto, ShareholdersService } from '../shareholders';
import { readCsvTable } from './csv-table';
import type { ImportResultDto } from './dto/import.dto';
import { ISSUANCE_COLUMNS, SHAREHOLDER_COLUMNS } from './import-columns';
import { classIndex, holderEmailsOf, issuanceDraft, IssuanceReferences } from './issuance-rows';
import { ImportRejectedError, rejectIfAny, writeErrorOf } from './row-errors';
import { Draft, draftsOf } from './row-validation';
import { duplicateErrors, shareholderDraft } from './shareholder-rows';

/** The most data rows one import takes. */
export const MAX_IMPORT_ROWS = 10_000;

/** The column a write refused with this code is about, per import. */
const SHAREHOLDER_COLUMN_OF_CODE: Partial<Record<ErrorCode, string>> = {
  SHAREHOLDER_EMAIL_TAKEN: 'email',
  SHAREHOLDER_USER_TAKEN: 'user_id',
};
const ISSUANCE_COLUMN_OF_CODE: Partial<Record<ErrorCode, string>> = {
  SHAREHOLDER_NOT_FOUND: 'shareholder_email',
  SHARE_CLASS_NOT_FOUND: 'share_class',
  COMMON_CLASS_MISSING: 'share_class',
  AUTHORIZED_SHARES_EXCEEDED: 'number_of_shares',
  COMPANY_NOT_CONFIGURED: 'currency',
};

/**
 * CSV bulk imports, all or nothing. Every row is checked first, the way the API checks one request
 * (the same DTO, the same uniqueness rules, holders and classes looked up); any error refuses the
 * whole file with every row's errors. Then, in one unit of work (Database.atomically), each row is
 * written by its owner service exactly as POST /api/shareholders/ or /api/issuances/ writes one,
 * with its history, outbox event and checks; the first row the service refuses is that row's
 * error, and the unit rolls back. A dry run does all of it and rolls back: nothing stays, no event either.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly db: Database,
    private readonly shareholders: ShareholdersService,
    private readonly issuances: IssuancesService,
    private readonly shareClasses: ShareClassesService,
  ) {}

  async importShareholders(
    csv: string,
    dryRun: boolean,
    context: ActionContext,
  ): Promise<ImportResultDto> {
    const table = readCsvTable(csv, SHAREHOLDER_COLUMNS, MAX_IMPORT_ROWS);
    const { drafts, errors } = await draftsOf(table.rows, shareholderDraft);
    const taken = await this.shareholders.idsByEmail(drafts.map((draft) => draft.dto.email));
    rejectIfAny([...table.errors, ...errors, ...duplicateErrors(drafts, taken)]);
    return this.write(
      drafts,
      dryRun,
      async (tx, dto: CreateShareholderDto) =>
        (await this.shareholders.createWithin(tx, dto, context)).id,
      (code) => SHAREHOLDER_COLUMN_OF_CODE[code] ?? null,
    );
  }

  async importIssuances(
    csv: string,
    dryRun: boolean,
    context: ActionContext,
  ): Promise<ImportResultDto> {
    const table = readCsvTable(csv, ISSUANCE_COLUMNS, MAX_IMPORT_ROWS);
    const refs = await this.referencesOf(holderEmailsOf(table.rows));
    const { drafts, errors } = await draftsOf(table.rows, (row) => issuanceDraft(row, refs));
    rejectIfAny([...table.errors, ...errors]);
    return this.write(
      drafts,
      dryRun,
      async (tx, dto: CreateIssuanceDto) => (await this.issuances.issueWithin(tx, dto, context)).id,
      (code) => ISSUANCE_COLUMN_OF_CODE[code] ?? null,
    );
  }

  private async referencesOf(emails: string[]): Promise<IssuanceReferences> {
    const [holders, classes] = await Promise.all([
      this.shareholders.idsByEmail(emails),
      this.shareClasses.list(),
    ]);
    return { holders, classes: classIndex(classes) };
  }

  /**
   * Writes every row through `create`, row by row, in one transaction of one unit of work:
   * committed when every row was written (unless `dryRun`), rolled back otherwise. The rows share
   * the transaction without a savepoint each (that would double the round trips of a row), so the
   * first row the owner service refuses ends the import, as that row's error.
   */
  private async write<T>(
    drafts: ReadonlyArray<Draft<T>>,
    dryRun: boolean,
    create: (tx: EntityManager, dto: T) => Promise<string>,
    columnOf: (code: ErrorCode) => string | null,
  ): Promise<ImportResultDto> {
    const rows = await this.db.atomically(
      () =>
        this.db.transaction(async (tx) => {
          const written: Array<{ row: number; id: string }> = [];
          for (const { row, dto } of drafts) {
            try {
              written.push({ row, id: await create(tx, dto) });
            } catch (error) {
              const refused = writeErrorOf(error, row, columnOf);
              throw new ImportRejectedError([refused], refused.code);
            }
          }
          return written;
        }),
      !dryRun,
    );
    return {
      dry_run: dryRun,
      imported: rows.length,
      rows: rows.map(({ row, id }) => ({ row, id: dryRun ? null : id })),
    };
  }
}
