import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ActionContext } from '../core/http/action-context';
import { type EventOrigin, originOf, OutboxService } from '../events';
import type { GrantResponseDto } from './dto/grant.dto';
import type { GrantTransactionResultDto } from './dto/grant-transaction.dto';
import type { EquityGrantTransaction } from './equity-grant-transaction.entity';
import { toGrantResponse, toGrantTransactionDto } from './grant-views';
import { GrantsRepository } from './persistence/grants.repository';
import { StockPlansRepository } from './persistence/stock-plans.repository';
import type { StockPlan } from './stock-plan.entity';

/** A grant transaction as a change makes it, before it is recorded. */
export type GrantTransactionDraft = Omit<
  EquityGrantTransaction,
  'recordedAt' | 'id' | 'grantId' | 'createdBySub' | 'createdBy' | 'requestId'
>;

export const NO_DETAILS = {
  quantity: null,
  conditionId: null,
  reason: null,
  resultingSecurityId: null,
  totalAmount: null,
  fairMarketValue: null,
  settledShares: null,
  cashAmount: null,
  unvestedQuantity: null,
  returnedToPool: '0',
};

/**
 * Records a grant transaction, inside the change's transaction and under its locks, with its
 * `grant.transaction_recorded` event (the grant before and after, and the transaction), which
 * the audit log and any other consumer read from the outbox.
 */
@Injectable()
export class GrantRecorder {
  constructor(
    private readonly repository: GrantsRepository,
    private readonly plans: StockPlansRepository,
    private readonly outbox: OutboxService,
  ) {}

  async record(
    tx: EntityManager,
    before: GrantResponseDto,
    draft: GrantTransactionDraft,
    context: ActionContext | EventOrigin,
  ): Promise<GrantTransactionResultDto> {
    const origin = originOf(context);
    const recorded = await this.repository.record(tx, {
      ...draft,
      id: randomUUID(),
      grantId: before.id,
      createdBySub: origin.actor.sub,
      createdBy: origin.actor.name,
      requestId: origin.requestId,
    });
    const grant = await this.repository.find(tx, before.id);
    if (!grant) throw new Error(`grant ${before.id} vanished`);
    const after = toGrantResponse(grant);
    const transaction = toGrantTransactionDto(recorded);
    await this.outbox.publish(
      tx,
      {
        type: 'grant.transaction_recorded',
        aggregateType: 'grant',
        aggregateId: before.id,
        payload: { before: { ...before }, after: { ...after }, transaction: { ...transaction } },
      },
      origin,
    );
    return { transaction, grant: after };
  }

  /**
   * Gives `shares` back to the plan's pool unless the plan retires them (a grant outside any plan
   * has no pool: retired); answers what it gave.
   */
  async giveBack(tx: EntityManager, plan: StockPlan | null, shares: bigint): Promise<bigint> {
    const retires =
      !plan ||
      plan.defaultCancellationBehavior === 'RETIRE' ||
      plan.defaultCancellationBehavior === 'HOLD_AS_CAPITAL_STOCK';
    if (retires || shares === 0n) return 0n;
    await this.plans.giveBack(tx, plan.id, shares);
    return shares;
  }
}
