import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../core/db/database.service';
import type { ActionContext } from '../core/http/action-context';
import { todayUtc } from '../core/http/validators';
import { totalAmount } from '../core/money/money';
import { IssuancesService } from '../issuances';
import type {
  CreateAccelerationDto,
  CreateExerciseDto,
  CreateGrantCancellationDto,
  CreateReleaseDto,
  CreateTerminationDto,
  CreateVestingEventDto,
  GrantTransactionResultDto,
} from './dto/grant-transaction.dto';
import {
  GrantNotExercisableError,
  invalid,
  QuantityExceedsExercisableError,
} from './equity-plans.errors';
import type { EquityGrant } from './equity-grant.entity';
import { expiryOrigin, GrantExpiryService } from './grant-expiry.service';
import {
  GrantRecorder,
  GrantTransactionDraft as Draft,
  NO_DETAILS as NONE,
} from './grant-recorder';
import { outstandingOf, toGrantResponse } from './grant-views';
import { dueExpiration, expiryOf, grantVesting } from './grant-vesting';
import { GrantsService } from './grants.service';
import { GrantsRepository } from './persistence/grants.repository';
import { StockPlansRepository } from './persistence/stock-plans.repository';
import { sarSettlementOf, type SarSettlement, settlementColumns } from './sar-settlement';
import type { StockPlan } from './stock-plan.entity';

/**
 * What happens to a grant (OCF TX_EQUITY_COMPENSATION_EXERCISE, _RELEASE, _CANCELLATION,
 * TX_VESTING_EVENT, TX_VESTING_ACCELERATION, and a termination), each in one transaction under
 * the grant's row lock with its event: an exercise or release issues the shares through the
 * stock ledger (the same issuance, certificate, audit and notification path as POST
 * /api/issuances/) in the plan's class, at the exercise price (`total = quantity × price`,
 * exact); a SAR's exercise is settled instead (sar-settlement.ts): the shares an SSAR delivers
 * are issued at the fair market value, the rest is paid in cash, and the whole quantity exercised
 * stays out of the pool (gross counting); what is cancelled or forfeited goes back to the pool
 * unless the plan retires it. Once its window has closed, a grant's expiration is recorded first
 * and nothing of it changes any more (409 GRANT_NOT_EXERCISABLE); a termination that closes the
 * window at once records it as well.
 */
@Injectable()
export class GrantTransactionsService {
  constructor(
    private readonly db: Database,
    private readonly grants: GrantsService,
    private readonly repository: GrantsRepository,
    private readonly plans: StockPlansRepository,
    private readonly issuances: IssuancesService,
    private readonly recorder: GrantRecorder,
    private readonly expiry: GrantExpiryService,
  ) {}

  exercise(
    id: string,
    dto: CreateExerciseDto,
    context: ActionContext,
  ): Promise<GrantTransactionResultDto> {
    return this.apply(id, context, async (tx, grant) => {
      if (grant.compensationType === 'RSU')
        throw new GrantNotExercisableError(
          id,
          'an RSU is released, not exercised (POST …/releases).',
        );
      return this.issueShares(tx, grant, dto, context, 'EXERCISE');
    });
  }

  release(
    id: string,
    dto: CreateReleaseDto,
    context: ActionContext,
  ): Promise<GrantTransactionResultDto> {
    return this.apply(id, context, async (tx, grant) => {
      if (grant.compensationType !== 'RSU')
        throw new GrantNotExercisableError(
          id,
          'only an RSU is released; an option is exercised (POST …/exercises).',
        );
      return this.issueShares(tx, grant, dto, context, 'RELEASE');
    });
  }

  cancel(
    id: string,
    dto: CreateGrantCancellationDto,
    context: ActionContext,
  ): Promise<GrantTransactionResultDto> {
    return this.apply(id, context, async (tx, grant, plan) => {
      this.checkDate(grant, dto.date);
      const outstanding = outstandingOf(grant);
      const quantity = dto.quantity === undefined ? outstanding : BigInt(dto.quantity);
      if (outstanding === 0n)
        throw new GrantNotExercisableError(id, 'nothing of it is outstanding.');
      if (quantity > outstanding)
        throw invalid('quantity', `must be at most the ${outstanding} outstanding`);
      await this.repository.spend(tx, id, { cancelled: quantity });
      return {
        ...NONE,
        kind: 'CANCELLATION',
        date: dto.date,
        quantity: quantity.toString(),
        reason: dto.reason,
        returnedToPool: (await this.recorder.giveBack(tx, plan, quantity)).toString(),
      };
    });
  }

  /** Unvested shares are forfeited on the date; vested options stay exercisable for the window. */
  terminate(
    id: string,
    dto: CreateTerminationDto,
    context: ActionContext,
  ): Promise<GrantTransactionResultDto> {
    return this.apply(id, context, async (tx, grant, plan) => {
      this.checkDate(grant, dto.date);
      if (grant.terminatedOn)
        throw new GrantNotExercisableError(
          id,
          `it was terminated on ${grant.terminatedOn} already.`,
        );
      const figures = grantVesting(
        grant,
        await this.grants.termsOf(grant),
        await this.repository.transactions(tx, id),
        dto.date,
      );
      const unexercisedUnvested = figures.unvested;
      await this.repository.spend(tx, id, {
        cancelled: unexercisedUnvested,
        terminatedOn: dto.date,
      });
      return {
        ...NONE,
        kind: 'TERMINATION',
        date: dto.date,
        quantity: unexercisedUnvested.toString(),
        returnedToPool: (await this.recorder.giveBack(tx, plan, unexercisedUnvested)).toString(),
      };
    });
  }

  vestingEvent(
    id: string,
    dto: CreateVestingEventDto,
    context: ActionContext,
  ): Promise<GrantTransactionResultDto> {
    return this.apply(id, context, async (_tx, grant) => {
      this.checkDate(grant, dto.date);
      const terms = await this.grants.termsOf(grant);
      const condition = terms?.vesting_conditions.find((c) => c.id === dto.condition_id);
      if (!condition || condition.trigger.type !== 'VESTING_EVENT')
        throw invalid(
          'condition_id',
          "is not an event-based condition of the grant's vesting terms",
        );
      return { ...NONE, kind: 'VESTING_EVENT', date: dto.date, conditionId: dto.condition_id };
    });
  }

  accelerate(
    id: string,
    dto: CreateAccelerationDto,
    context: ActionContext,
  ): Promise<GrantTransactionResultDto> {
    return this.apply(id, context, async (tx, grant) => {
      this.checkDate(grant, dto.date);
      const figures = grantVesting(
        grant,
        await this.grants.termsOf(grant),
        await this.repository.transactions(tx, id),
        dto.date,
      );
      if (BigInt(dto.quantity) > figures.unvested)
        throw invalid(
          'quantity',
          `must be at most the ${figures.unvested} unvested on ${dto.date}`,
        );
      return {
        ...NONE,
        kind: 'VESTING_ACCELERATION',
        date: dto.date,
        quantity: String(dto.quantity),
        reason: dto.reason,
      };
    });
  }

  /**
   * Vested (or, early exercise, any) shares the holder may take on the date become stock: all of
   * them for an option or RSU, what an SSAR's appreciation buys, none for a CSAR.
   */
  private async issueShares(
    tx: EntityManager,
    grant: EquityGrant,
    dto: CreateExerciseDto,
    context: ActionContext,
    kind: 'EXERCISE' | 'RELEASE',
  ): Promise<Draft> {
    const quantity = BigInt(dto.quantity);
    const sar = sarSettlementOf(grant, quantity, dto.fair_market_value);
    this.checkDate(grant, dto.date);
    const figures = grantVesting(
      grant,
      await this.grants.termsOf(grant),
      await this.repository.transactions(tx, grant.id),
      dto.date,
    );
    if (quantity > figures.exercisable)
      throw new QuantityExceedsExercisableError(quantity, figures.exercisable, dto.date);
    const vestedLeft = figures.vested > figures.exercised ? figures.vested - figures.exercised : 0n;
    const unvested = quantity > vestedLeft ? quantity - vestedLeft : 0n;
    const issuance = await this.issueStock(tx, grant, dto.date, sar, quantity, context);
    await this.repository.spend(
      tx,
      grant.id,
      kind === 'EXERCISE' ? { exercised: quantity } : { released: quantity },
    );
    return {
      ...NONE,
      kind,
      date: dto.date,
      quantity: quantity.toString(),
      resultingSecurityId: issuance?.id ?? null,
      totalAmount:
        grant.exercisePrice === null || sar
          ? null
          : totalAmount(quantity.toString(), grant.exercisePrice),
      ...settlementColumns(sar),
      unvestedQuantity: kind === 'EXERCISE' && grant.earlyExercise ? unvested.toString() : null,
    };
  }

  /**
   * The issuance of an exercise or release in the grant's class (its plan's, or its own): at the
   * exercise price (an RSU's 0), or an SSAR's shares at the fair market value (what they are
   * worth, the holder's basis: it pays nothing, and gives up that much appreciation for them);
   * none when no share is delivered.
   */
  private async issueStock(
    tx: EntityManager,
    grant: EquityGrant,
    date: string,
    sar: SarSettlement | null,
    quantity: bigint,
    context: ActionContext,
  ): Promise<{ id: string } | null> {
    const shares = sar ? sar.settledShares : quantity;
    if (shares === 0n) return null;
    return this.issuances.issueWithin(
      tx,
      {
        shareholder_id: grant.shareholderId,
        share_class_id: grant.shareClassId,
        number_of_shares: Number(shares),
        price: sar?.fairMarketValue ?? grant.exercisePrice ?? '0',
        ...(grant.currency ? { currency: grant.currency } : {}),
        date,
      },
      context,
    );
  }

  private checkDate(grant: EquityGrant, date: string): void {
    if (date < grant.grantDate)
      throw invalid('date', `must be on or after the grant date, ${grant.grantDate}`);
    if (date > todayUtc()) throw invalid('date', 'must not be in the future');
  }

  /**
   * The grant's expiration recorded if due (its own transaction: it stays, whatever follows), then
   * the grant and its plan locked (plan first, as grants take them), the change and its event,
   * and the expiration the change made due (a termination after its window).
   */
  private async apply(
    id: string,
    context: ActionContext,
    change: (tx: EntityManager, grant: EquityGrant, plan: StockPlan | null) => Promise<Draft>,
  ): Promise<GrantTransactionResultDto> {
    await this.expiry.settle(await this.grants.require(undefined, id), context.meta.requestId);
    return this.db.transaction(async (tx) => {
      const unlocked = await this.grants.require(tx, id);
      const plan = unlocked.stockPlanId
        ? await this.plans.find(tx, unlocked.stockPlanId, true)
        : null;
      if (unlocked.stockPlanId && !plan) throw new Error(`grant ${id} has no plan`);
      const grant = await this.grants.require(tx, id, true);
      // An import replays history: a write dated inside the window is checked as of its date.
      if (grant.expiredOn || (!this.expiry.replaying() && dueExpiration(grant, todayUtc())))
        throw new GrantNotExercisableError(id, `it expired after ${expiryOf(grant)}.`);
      const draft = await change(tx, grant, plan);
      const result = await this.recorder.record(tx, toGrantResponse(grant), draft, context);
      const after = await this.grants.require(tx, id, true);
      const expired = await this.expiry.expireIfDue(
        tx,
        after,
        plan,
        expiryOrigin(context.meta.requestId),
      );
      return expired ? { ...result, grant: expired.grant } : result;
    });
  }
}
