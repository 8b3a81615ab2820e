import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppConfigService } from '../core/config/app-config.service';
import { Database } from '../core/db/database.service';
import { isForeignKeyViolation, isUniqueViolation } from '../core/db/pg-errors';
import { DomainError } from '../core/errors/domain-error';
import type { ActionContext } from '../core/http/action-context';
import { todayUtc } from '../core/http/validators';
import { shareCount } from '../core/money/money';
import { OutboxService } from '../events';
import { ShareClassNotFoundError } from '../issuances';
import type {
  CreatePoolAdjustmentDto,
  CreateStockPlanDto,
  PoolAdjustmentDto,
  StockPlanResponseDto,
  UpdateStockPlanDto,
} from './dto/stock-plan.dto';
import { invalid, StockPlanNotFoundError } from './equity-plans.errors';
import { GrantExpiryService } from './grant-expiry.service';
import { StockPlansRepository } from './persistence/stock-plans.repository';
import { StockPlan } from './stock-plan.entity';

const DAY_MS = 86_400_000;

/**
 * Stock plans (OCF StockPlan) and their pool: created, renamed or re-dated (PATCH), adjusted from
 * a date on (OCF StockPlanPoolAdjustment, never below what grants had committed from that date
 * on), and shown with their figures at the end of a day.
 */
@Injectable()
export class StockPlansService {
  constructor(
    private readonly db: Database,
    private readonly repository: StockPlansRepository,
    private readonly outbox: OutboxService,
    private readonly config: AppConfigService,
    private readonly expiry: GrantExpiryService,
  ) {}

  async create(dto: CreateStockPlanDto, context: ActionContext): Promise<StockPlanResponseDto> {
    const id = randomUUID();
    const reserved = String(dto.initial_shares_reserved);
    await this.db.transaction(async (tx) => {
      try {
        await this.repository.insert(tx, {
          id,
          name: dto.name,
          shareClassId: dto.share_class_id,
          initialSharesReserved: reserved,
          sharesReserved: reserved,
          committedShares: '0',
          boardApprovalDate: dto.board_approval_date ?? null,
          stockholderApprovalDate: dto.stockholder_approval_date ?? null,
          defaultCancellationBehavior: dto.default_cancellation_behavior,
          createdBySub: context.principal.sub,
          createdBy: context.principal.actorName,
        });
      } catch (error) {
        throw planWriteError(error, dto.name, dto.share_class_id);
      }
      const shown = await this.show(tx, id);
      await this.outbox.publish(
        tx,
        {
          type: 'stock_plan.created',
          aggregateType: 'stock_plan',
          aggregateId: id,
          payload: { before: null, after: { ...shown } },
        },
        context,
      );
    });
    return this.get(id);
  }

  async update(
    id: string,
    dto: UpdateStockPlanDto,
    context: ActionContext,
  ): Promise<StockPlanResponseDto> {
    // Expirations already due are recorded under the behaviour they happened under.
    if (dto.default_cancellation_behavior !== undefined)
      await this.expiry.settleDue({ stockPlanId: id }, context.meta.requestId);
    await this.db.transaction(async (tx) => {
      const plan = await this.require(tx, id, true);
      const before = await this.show(tx, id);
      const values: Partial<StockPlan> = {
        ...(dto.name !== undefined ? { name: dto.name } : {}),
        ...(dto.board_approval_date !== undefined
          ? { boardApprovalDate: dto.board_approval_date }
          : {}),
        ...(dto.stockholder_approval_date !== undefined
          ? { stockholderApprovalDate: dto.stockholder_approval_date }
          : {}),
        ...(dto.default_cancellation_behavior !== undefined
          ? { defaultCancellationBehavior: dto.default_cancellation_behavior }
          : {}),
      };
      const changed = Object.keys(dto).filter(
        (key) => dto[key as keyof UpdateStockPlanDto] !== undefined,
      );
      if (changed.length === 0) return;
      try {
        await this.repository.update(tx, plan.id, values);
      } catch (error) {
        throw planWriteError(error, dto.name ?? plan.name, plan.shareClassId);
      }
      const after = await this.show(tx, id);
      await this.outbox.publish(
        tx,
        {
          type: 'stock_plan.updated',
          aggregateType: 'stock_plan',
          aggregateId: id,
          payload: { before: { ...before }, after: { ...after }, changed_fields: changed },
        },
        context,
      );
    });
    return this.get(id);
  }

  /** The pool from a date on: after the latest adjustment, never below what grants committed since. */
  async adjustPool(
    id: string,
    dto: CreatePoolAdjustmentDto,
    context: ActionContext,
  ): Promise<PoolAdjustmentDto> {
    // What expired is given back before the pool is counted (committed_shares guards it).
    await this.expiry.settleDue({ stockPlanId: id }, context.meta.requestId);
    return this.db.transaction(async (tx) => {
      const plan = await this.require(tx, id, true);
      await this.checkAdjustable(tx, plan, dto);
      const adjustment = {
        id: randomUUID(),
        stockPlanId: id,
        date: dto.date,
        sharesReserved: String(dto.shares_reserved),
        previousSharesReserved: plan.sharesReserved,
        boardApprovalDate: dto.board_approval_date ?? null,
        stockholderApprovalDate: dto.stockholder_approval_date ?? null,
        createdBySub: context.principal.sub,
        createdBy: context.principal.actorName,
        requestId: context.meta.requestId,
      };
      const recordedAt = await this.repository.adjust(tx, adjustment);
      const shown: PoolAdjustmentDto = {
        id: adjustment.id,
        stock_plan_id: id,
        date: dto.date,
        shares_reserved: dto.shares_reserved,
        previous_shares_reserved: shareCount(plan.sharesReserved),
        board_approval_date: adjustment.boardApprovalDate,
        stockholder_approval_date: adjustment.stockholderApprovalDate,
        recorded_at: recordedAt.toISOString(),
      };
      await this.outbox.publish(
        tx,
        {
          type: 'stock_plan.pool_adjusted',
          aggregateType: 'stock_plan',
          aggregateId: id,
          payload: { before: null, after: { ...shown } },
        },
        context,
      );
      return shown;
    });
  }

  async get(id: string, asOf = todayUtc()): Promise<StockPlanResponseDto> {
    await this.require(undefined, id);
    return this.show(undefined, id, asOf);
  }

  async list(asOf = todayUtc()): Promise<StockPlanResponseDto[]> {
    const plans = await this.repository.list();
    return Promise.all(plans.map((plan) => this.show(undefined, plan.id, asOf)));
  }

  /** The plan, locked on request; 404 (naming `field` when given) when it is not there. */
  async require(
    tx: EntityManager | undefined,
    id: string,
    lock = false,
    field?: string,
  ): Promise<StockPlan> {
    const plan = await this.repository.find(tx, id, lock);
    if (!plan) throw new StockPlanNotFoundError(id, field);
    return plan;
  }

  /** The most that grants of the plan held at the end of `date` or of any later day. */
  private async mostCommittedFrom(
    tx: EntityManager,
    plan: StockPlan,
    date: string,
  ): Promise<bigint> {
    const figures = await this.repository.figures(tx, plan.id, date);
    const onDate = BigInt(figures.granted) - BigInt(figures.returned);
    return onDate > BigInt(plan.committedShares) ? onDate : BigInt(plan.committedShares);
  }

  /** After the latest adjustment, and not below what grants committed from its date on. */
  private async checkAdjustable(
    tx: EntityManager,
    plan: StockPlan,
    dto: CreatePoolAdjustmentDto,
  ): Promise<void> {
    this.checkDate(dto.date);
    const latest = await this.repository.latestAdjustment(tx, plan.id);
    if (latest && dto.date <= latest)
      throw invalid('date', `must be after ${latest}, the plan's latest pool adjustment`);
    const most = await this.mostCommittedFrom(tx, plan, dto.date);
    if (most > BigInt(dto.shares_reserved))
      throw new DomainError(
        'CONFLICT',
        `Grants of ${plan.name} hold ${most} shares on ${dto.date} or later; its pool cannot be ${dto.shares_reserved}.`,
        {
          errors: [{ field: 'shares_reserved', messages: [`must be at least ${most}`] }],
          extensions: { committed_shares: Number(most) },
        },
      );
  }

  private checkDate(date: string): void {
    const days = this.config.get('LEDGER_FUTURE_DATE_TOLERANCE_DAYS');
    const latest = new Date(Date.parse(todayUtc()) + days * DAY_MS).toISOString().slice(0, 10);
    if (date > latest) throw invalid('date', `must not be later than ${latest}`);
  }

  private async show(
    tx: EntityManager | undefined,
    id: string,
    asOf = todayUtc(),
  ): Promise<StockPlanResponseDto> {
    const plan = await this.require(tx, id);
    const f = await this.repository.figures(tx, id, asOf);
    const [reserved, granted, exercised, returned, cancelled] = [
      f.shares_reserved,
      f.granted,
      f.exercised,
      f.returned,
      f.cancelled,
    ].map(BigInt) as [bigint, bigint, bigint, bigint, bigint];
    const available = reserved - granted + returned;
    return {
      id: plan.id,
      name: plan.name,
      share_class_id: plan.shareClassId,
      initial_shares_reserved: shareCount(plan.initialSharesReserved),
      board_approval_date: plan.boardApprovalDate,
      stockholder_approval_date: plan.stockholderApprovalDate,
      default_cancellation_behavior: plan.defaultCancellationBehavior,
      as_of: asOf,
      shares_reserved: Number(reserved),
      granted: Number(granted),
      outstanding: Number(granted - exercised - cancelled),
      exercised: Number(exercised),
      returned: Number(returned),
      available: Number(available > 0n ? available : 0n),
      ocf_id: plan.ocfId ?? null,
    };
  }
}

function planWriteError(error: unknown, name: string, shareClassId: string): unknown {
  if (isUniqueViolation(error, 'uq_stock_plan_name'))
    return new DomainError('CONFLICT', `A stock plan named ${name} already exists.`, {
      errors: [{ field: 'name', messages: ['is taken by another plan'] }],
    });
  if (isForeignKeyViolation(error, 'fk_stock_plan_share_class'))
    return new ShareClassNotFoundError(shareClassId, 'share_class_id');
  return error;
}
