import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ExportClassEventRow,
  ExportClassRow,
  ExportCompanyRow,
  ExportSecurityRow,
  ExportTransactionRow,
  LedgerExportRepository,
  LedgerOcfTable,
  OcfIdRow,
} from './persistence/ledger-export.repository';

export type {
  ExportClassEventRow,
  ExportClassRow,
  ExportCompanyRow,
  ExportSecurityRow,
  ExportTransactionRow,
  LedgerOcfTable,
  OcfIdRow,
};

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

  securities(tx: EntityManager, asOf: string): AsyncGenerator<ExportSecurityRow[]> {
    return this.repository.securities(tx, asOf);
  }

  transactions(tx: EntityManager, asOf: string): AsyncGenerator<ExportTransactionRow[]> {
    return this.repository.transactions(tx, asOf);
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
