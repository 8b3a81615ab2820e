import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Database } from '../core/db/database.service';
import { DomainError } from '../core/errors/domain-error';
import type { ActionContext } from '../core/http/action-context';
import { shareCount } from '../core/money/money';
import { OutboxService } from '../events';
import type { PublishedEvent } from '../events';
import type { CreateReversalDto, ReversalResultDto } from './dto/reversal.dto';
import { IdempotencyService, requestHash } from './idempotency.service';
import { toIssuanceResponse } from './issuance-views';
import {
  LaterTransactionExistsError,
  TransactionAlreadyReversedError,
  TransactionNotFoundError,
  TransactionNotReversibleError,
} from './issuances.errors';
import { issuanceFromRow } from './issuances.service';
import { toLedgerTransactionDto } from './ledger-views';
import { LedgerRepository, PositionRow, SecurityRow } from './persistence/ledger.repository';
import {
  ReversalPlan,
  ReversalsRepository,
  ReversibleRow,
} from './persistence/reversals.repository';

export interface ReversalResult {
  result: ReversalResultDto;
  replayed: boolean;
}

/** What every reversal plan holds whatever it undoes. */
type PlanBase = Pick<
  ReversalPlan,
  'id' | 'reversedId' | 'reason' | 'createdBySub' | 'createdBy' | 'requestId'
>;

/** What undoing one ledger line means, before it is written. */
interface Undo {
  plan: ReversalPlan;
  /** Class totals to change: shares back outstanding (+) or withdrawn (-), per class. */
  totals: Map<string, bigint>;
}

/**
 * POST /api/transactions/{id}/reversal: a correction. One REVERSAL transaction, effective on the
 * reversed line's date, undoes an original issuance (its security is withdrawn) or a terminal
 * transaction (the securities it created are withdrawn, the one it spent is outstanding again);
 * the reversed line stays in the ledger, marked. Refused while a security the line created has
 * been spent since (409 naming that transaction), for a reversal or a split's reissuance, and
 * when restored shares would exceed the authorized shares on any date. Everything under row
 * locks, in one transaction with the event (positions before and after).
 */
@Injectable()
export class LedgerReversals {
  constructor(
    private readonly db: Database,
    private readonly repository: ReversalsRepository,
    private readonly ledger: LedgerRepository,
    private readonly idempotency: IdempotencyService,
    private readonly outbox: OutboxService,
  ) {}

  reverse(
    id: string,
    dto: CreateReversalDto,
    context: ActionContext,
    key?: string,
  ): Promise<ReversalResult> {
    return this.db.transaction(async (tx) => {
      const scope = context.principal.sub;
      const hash = requestHash({ reversalOf: id, ...dto });
      if (key) {
        const claim = await this.idempotency.claim<ReversalResultDto>(tx, scope, key, hash);
        if (claim.kind === 'replay') return { result: claim.response, replayed: true };
      }
      const result = await this.record(tx, id, dto.reason, context);
      if (key) await this.idempotency.complete(tx, scope, key, result);
      return { result, replayed: false };
    });
  }

  private async record(
    tx: EntityManager,
    id: string,
    reason: string,
    context: ActionContext,
  ): Promise<ReversalResultDto> {
    const { plan, totals } = await this.undo(tx, id, reason, context);
    const securities = [...(plan.restored ? [plan.restored] : []), ...plan.withdrawn];
    const holders = [...new Set(securities.map((s) => s.shareholder_id))];
    const before = await this.ledger.positions(tx, holders, [...totals.keys()]);
    const recordedAt = await this.repository.record(tx, plan);
    await this.applyTotals(tx, totals);
    const after = await this.ledger.positions(tx, holders, [...totals.keys()]);
    const [reversal, reversed] = await Promise.all(
      [plan.id, plan.reversedId].map((line) => this.ledger.transaction(line, tx)),
    );
    if (!reversal || !reversed) throw new Error(`reversal ${plan.id} vanished`);
    const rows = await this.ledger.securities(
      tx,
      securities.map((s) => s.id),
    );
    const shown = rows.map((row) => toIssuanceResponse(issuanceFromRow(row)));
    const result: ReversalResultDto = {
      transaction: toLedgerTransactionDto(reversal),
      reversed: toLedgerTransactionDto(reversed),
      restored: plan.restored ? (shown.shift() ?? null) : null,
      withdrawn: shown,
    };
    await this.outbox.publish(tx, this.event(result, recordedAt, before, after), context);
    return result;
  }

  /** The line to undo, locked and checked, and what undoing it writes. */
  private async undo(
    tx: EntityManager,
    id: string,
    reason: string,
    context: ActionContext,
  ): Promise<Undo> {
    const base = {
      id: randomUUID(),
      reversedId: id,
      reason,
      createdBySub: context.principal.sub,
      createdBy: context.principal.actorName,
      requestId: context.meta.requestId,
    };
    const transaction = await this.repository.lockTransaction(tx, id);
    const plan: ReversalPlan = transaction
      ? await this.undoTransaction(tx, transaction, base)
      : await this.undoIssuance(tx, id, base);
    return { plan, totals: totalsOf(plan) };
  }

  /** A mistaken original issuance: its security is withdrawn. */
  private async undoIssuance(tx: EntityManager, id: string, base: PlanBase): Promise<ReversalPlan> {
    const issuance = await this.repository.lockOriginalIssuance(tx, id);
    if (!issuance) throw new TransactionNotFoundError(id);
    checkOutstanding(id, issuance);
    return {
      ...base,
      ofTransaction: false,
      date: issuance.date,
      securityId: issuance.id,
      quantity: BigInt(issuance.number_of_shares),
      restored: null,
      withdrawn: [issuance],
    };
  }

  /** A terminal transaction: what it created is withdrawn, what it spent is restored. */
  private async undoTransaction(
    tx: EntityManager,
    transaction: ReversibleRow,
    base: PlanBase,
  ): Promise<ReversalPlan> {
    const id = transaction.id;
    if (transaction.kind === 'REVERSAL')
      throw new TransactionNotReversibleError(
        id,
        'it is a reversal; record the transaction again.',
      );
    if (transaction.split_transaction_id)
      throw new TransactionNotReversibleError(
        id,
        `it is one reissuance of the class split ${transaction.split_transaction_id}; record the opposite split instead.`,
      );
    if (transaction.reversed_by_transaction_id)
      throw new TransactionAlreadyReversedError(id, transaction.reversed_by_transaction_id);
    const created = [
      ...(transaction.balance_security_id ? [transaction.balance_security_id] : []),
      ...transaction.resulting_security_ids,
    ];
    const locked = await this.repository.lockSecurities(tx, [transaction.security_id, ...created]);
    const spent = locked.find((s) => s.id === transaction.security_id);
    if (!spent || spent.spent_by_transaction_id !== id)
      throw new Error(`transaction ${id} does not hold its security ${transaction.security_id}`);
    const withdrawn = created.map((c) => locked.find((s) => s.id === c) as SecurityRow);
    for (const security of withdrawn) checkOutstanding(id, security);
    return {
      ...base,
      ofTransaction: true,
      date: transaction.date,
      securityId: spent.id,
      quantity: BigInt(transaction.quantity),
      restored: spent,
      withdrawn,
    };
  }

  /**
   * Lowers and raises the class totals; a raise stays within today's authorized shares (409
   * AUTHORIZED_SHARES_EXCEEDED). Every earlier date since the reversed line's is the schema's to
   * check (its trigger on a security outstanding again), and the company's authorized shares too.
   */
  private async applyTotals(tx: EntityManager, totals: Map<string, bigint>): Promise<void> {
    for (const [shareClassId, delta] of totals) {
      if (delta < 0n) await this.repository.lower(tx, shareClassId, -delta);
      if (delta > 0n && !(await this.repository.raise(tx, shareClassId, delta)))
        throw new DomainError(
          'AUTHORIZED_SHARES_EXCEEDED',
          `Reversing it would put ${delta} shares back outstanding in share class ${shareClassId}, beyond its authorized shares.`,
          { extensions: { share_class_id: shareClassId, restored_shares: Number(delta) } },
        );
    }
  }

  private event(
    result: ReversalResultDto,
    recordedAt: Date,
    before: PositionRow[],
    after: PositionRow[],
  ): PublishedEvent<'stock.transaction_recorded'> {
    const positions = (rows: PositionRow[]) =>
      rows.map((row) => ({ ...row, shares: shareCount(row.shares) }));
    return {
      type: 'stock.transaction_recorded',
      aggregateType: 'stock_transaction',
      aggregateId: result.transaction.id,
      payload: {
        transaction: {
          ...result.transaction,
          recorded_at: recordedAt.toISOString(),
          spent_status: result.withdrawn[0]?.status ?? 'OUTSTANDING',
          reversal: {
            reversed_transaction_id: result.reversed.id,
            restored_security_id: result.restored?.id ?? null,
            withdrawn_security_ids: result.withdrawn.map((s) => s.id),
          },
        },
        before: { positions: positions(before) },
        after: { positions: positions(after) },
      },
    };
  }
}

/** A security the line created must still be outstanding: else name what spent it since. */
function checkOutstanding(lineId: string, security: SecurityRow): void {
  if (security.status === 'REVERSED' && security.spent_by_transaction_id)
    throw new TransactionAlreadyReversedError(lineId, security.spent_by_transaction_id);
  if (security.status !== 'OUTSTANDING' || security.spent_by_transaction_id)
    throw new LaterTransactionExistsError(
      lineId,
      security.id,
      security.spent_by_transaction_id ?? '',
    );
}

/**
 * Class totals a reversal changes: the restored security's shares are outstanding again in its
 * class, the withdrawn securities' are not, each in theirs (a transfer's nets to nothing there).
 */
function totalsOf(plan: ReversalPlan): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  const add = (shareClassId: string, shares: bigint) =>
    totals.set(shareClassId, (totals.get(shareClassId) ?? 0n) + shares);
  if (plan.restored) add(plan.restored.share_class_id, BigInt(plan.restored.number_of_shares));
  for (const security of plan.withdrawn)
    add(security.share_class_id, -BigInt(security.number_of_shares));
  return totals;
}
