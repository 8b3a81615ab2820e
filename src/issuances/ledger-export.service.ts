import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ExportClassEventRow,
  ExportClassRow,
  ExportCompanyRow,
  LedgerExportRepository,
  LedgerOcfTable,
  OcfIdRow,
} from './persistence/ledger-export.repository';

export type { ExportClassEventRow, ExportClassRow, ExportCompanyRow, LedgerOcfTable, OcfIdRow };

/**
 * The issuance ledger as an export reads it: the company, its classes, their dated changes, the
 * securities and the transactions, as known now and effective by a date. Every read runs in the
 * caller's transaction `tx` (an export's snapshot), so the parts agree with one another.
 */
@Injectable()
export class LedgerExportService {
  constructor(private readonly repository: LedgerExportRepository) {}

  company(tx: EntityManager): Promise<ExportCompanyRow | undefined> {
    return this.repository.company(tx);
  }

  classes(tx: EntityManager): Promise<ExportClassRow[]> {
    return this.repository.classes(tx);
  }

  classEvents(tx: EntityManager, asOf: string): Promise<ExportClassEventRow[]> {
    return this.repository.classEvents(tx, asOf);
  }

  /** The securities as OCF objects, one JSON text per line, streamed (see the repository). */
  securityLines(tx: EntityManager, asOf: string): AsyncGenerator<Buffer> {
    return this.repository.securityLines(tx, asOf);
  }

  /** The transactions as OCF objects, one JSON text per line, streamed (see the repository). */
  transactionLines(tx: EntityManager, asOf: string): AsyncGenerator<Buffer> {
    return this.repository.transactionLines(tx, asOf);
  }

  /** The OCF security id of each of `ids` that the export holds. */
  securityRefs(
    tx: EntityManager,
    asOf: string,
    ids: readonly string[],
  ): Promise<Map<string, string>> {
    return this.repository.securityRefs(tx, asOf, ids);
  }

  /** Gives rows the OCF ids they came in with (an import, inside its unit of work). */
  recordOcfIds(table: LedgerOcfTable, rows: OcfIdRow[]): Promise<void> {
    return this.repository.recordOcfIds(table, rows);
  }

  /** Locks the company for the caller's unit of work; whether its ledger is still empty. */
  lockIfEmpty(): Promise<boolean> {
    return this.repository.lockIfEmpty();
  }
}
