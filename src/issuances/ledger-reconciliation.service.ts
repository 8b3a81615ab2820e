import { Injectable } from '@nestjs/common';
import type { ReconciliationDto, ReconciliationMismatchDto } from './dto/reconciliation.dto';
import { MismatchRow, ReconciliationRepository } from './persistence/reconciliation.repository';

/** Findings reported at most, over all checks. */
const MAX_MISMATCHES = 1_000;

const DETAIL: Record<string, (row: MismatchRow) => string> = {
  SECURITY_STATUS: (r) =>
    `Security ${r.security_id}: the ledger says ${r.expected}, the security says ${r.actual}.`,
  REVERSAL_MARK: (r) =>
    `Transaction ${r.transaction_id}: reversed by ${r.expected} according to the reversals, marked as reversed by ${r.actual}.`,
  TRANSACTION_QUANTITIES: (r) =>
    `Transaction ${r.transaction_id} spent security ${r.security_id}: it should have created ${r.expected}, it created ${r.actual}.`,
  HOLDER_POSITION: (r) =>
    `Holder ${r.shareholder_id} in class ${r.share_class_id}: ${r.expected} shares by the transactions, ${r.actual} by the securities' status.`,
  CLASS_TOTAL: (r) =>
    `Class ${r.share_class_id}: ${r.expected} shares outstanding, ${r.actual} stored as its total.`,
  AUTHORIZED_EXCEEDED: (r) =>
    `Class ${r.share_class_id}: ${r.actual} shares outstanding, ${r.expected}.`,
  COMPANY_AUTHORIZED_EXCEEDED: (r) =>
    `The company: ${r.actual} shares outstanding over all classes, ${r.expected}.`,
  CERTIFICATE_MISSING: (r) =>
    `Security ${r.security_id} is outstanding but has no active certificate and none is being rendered.`,
  CERTIFICATE_ACTIVE_FOR_SPENT: (r) =>
    `Security ${r.security_id} was spent by ${r.transaction_id} but its certificate is still active.`,
};

/**
 * GET /api/ledger/reconciliation: recomputes, in one snapshot, every security's status and every
 * holder's position from the transactions alone, each transaction's quantities, the class totals,
 * the authorized limits on every date and the live certificates, and names what disagrees.
 */
@Injectable()
export class LedgerReconciliation {
  constructor(private readonly repository: ReconciliationRepository) {}

  async reconcile(): Promise<ReconciliationDto> {
    const started = Date.now();
    const asOf = new Date().toISOString();
    const { checked, rows } = await this.repository.inSnapshot(async (tx) => {
      const found: MismatchRow[] = [];
      const checks = [
        (limit: number) => this.repository.securityStatuses(tx, limit),
        (limit: number) => this.repository.reversalMarks(tx, limit),
        (limit: number) => this.repository.transactionQuantities(tx, limit),
        (limit: number) => this.repository.holderPositions(tx, limit),
        (limit: number) => this.repository.classTotals(tx, limit),
        (limit: number) => this.repository.authorizedOnEveryDate(tx, limit),
        () => this.repository.companyAuthorized(tx),
        (limit: number) => this.repository.certificates(tx, limit),
      ];
      for (const check of checks) {
        const room = MAX_MISMATCHES - found.length;
        if (room <= 0) break;
        found.push(...(await check(room)));
      }
      return { checked: await this.repository.counts(tx), rows: found };
    });
    const mismatches = rows.map(toMismatch);
    return {
      ok: mismatches.length === 0,
      checked,
      mismatches,
      as_of: asOf,
      took_ms: Date.now() - started,
    };
  }
}

function toMismatch(row: MismatchRow): ReconciliationMismatchDto {
  return {
    kind: row.kind,
    detail: (DETAIL[row.kind] ?? (() => row.kind))(row),
    shareholder_id: row.shareholder_id,
    share_class_id: row.share_class_id,
    security_id: row.security_id,
    transaction_id: row.transaction_id,
    expected: row.expected,
    actual: row.actual,
  };
}
