import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ForbiddenError } from '../core/auth/auth.errors';
import { Database } from '../core/db/database.service';
import type { ActionContext } from '../core/http/action-context';
import { todayUtc } from '../core/http/validators';
import { canonicalDecimal } from '../core/money/money';
import { OutboxService } from '../events';
import { CompanyService } from '../issuances';
import { HolderAccess } from '../shareholders';
import type {
  CreateGrantDto,
  GrantQueryDto,
  GrantResponseDto,
  GrantVestingDto,
} from './dto/grant.dto';
import { GrantNotFoundError, invalid, PoolExhaustedError } from './equity-plans.errors';
import type { EquityGrant } from './equity-grant.entity';
import { GrantExpiryService } from './grant-expiry.service';
import { toGrantResponse } from './grant-views';
import { grantVesting } from './grant-vesting';
import { GrantsRepository } from './persistence/grants.repository';
import { StockPlansRepository } from './persistence/stock-plans.repository';
import { StockPlansService } from './stock-plans.service';
import { VestingTermsService } from './vesting-terms.service';
import type { VestingTermsOcf } from './vesting/vesting-terms';
import { trancheProblem } from './vesting/vesting-tranches';

const OPTIONS = new Set(['OPTION_ISO', 'OPTION_NSO', 'CSAR', 'SSAR']);

/**
 * Grants (OCF EquityCompensationIssuance): made from a plan's pool, under the plan's row lock
 * and a conditional raise of what the pool has committed, so concurrent grants never take more
 * than it holds; checked against the pool of every later day it changed as well. A grant outside
 * any plan names its class instead and takes from no pool. Read by admins
 * and auditors, and by a holder for their own grants only, with their vesting (by vesting terms,
 * or by the grant's own tranches). Reading a grant records its expiration first if it is due.
 */
@Injectable()
export class GrantsService {
  constructor(
    private readonly db: Database,
    private readonly repository: GrantsRepository,
    private readonly plans: StockPlansService,
    private readonly plansRepository: StockPlansRepository,
    private readonly terms: VestingTermsService,
    private readonly company: CompanyService,
    private readonly access: HolderAccess,
    private readonly outbox: OutboxService,
    private readonly expiry: GrantExpiryService,
  ) {}

  async create(dto: CreateGrantDto, context: ActionContext): Promise<GrantResponseDto> {
    checkVesting(dto);
    checkPlanOrClass(dto);
    const price = this.priceOf(dto);
    const currency = price === null ? null : (dto.currency ?? (await this.defaultCurrency()));
    if (dto.vesting_terms_id) await this.terms.require(dto.vesting_terms_id, 'vesting_terms_id');
    const id = randomUUID();
    // What expired is given back before the pool is counted (committed_shares guards it).
    if (dto.stock_plan_id)
      await this.expiry.settleDue({ stockPlanId: dto.stock_plan_id }, context.meta.requestId);
    await this.db.transaction(async (tx) => {
      const shareClassId = dto.stock_plan_id
        ? await this.takeFromPool(tx, dto.stock_plan_id, dto)
        : (dto.share_class_id as string);
      await this.repository.insert(tx, rowOf(id, dto, shareClassId, price, currency, context));
      const grant = await this.require(tx, id);
      await this.outbox.publish(
        tx,
        {
          type: 'grant.created',
          aggregateType: 'grant',
          aggregateId: id,
          payload: { before: null, after: { ...toGrantResponse(grant) } },
        },
        context,
      );
    });
    return toGrantResponse(await this.require(undefined, id));
  }

  async get(id: string, context: ActionContext): Promise<GrantResponseDto> {
    const grant = await this.visible(id, context);
    return toGrantResponse(grant);
  }

  async list(query: GrantQueryDto, context: ActionContext): Promise<GrantResponseDto[]> {
    const scope = await this.access.scope(context);
    if (
      !scope.all &&
      (!scope.shareholderId ||
        (query.shareholder_id && query.shareholder_id !== scope.shareholderId))
    )
      return [];
    const shareholderId = scope.all ? query.shareholder_id : (scope.shareholderId as string);
    const filter = { shareholderId, stockPlanId: query.stock_plan_id };
    await this.expiry.settleDue(filter, context.meta.requestId);
    const grants = await this.repository.list(filter);
    return grants.map(toGrantResponse);
  }

  async vesting(
    id: string,
    asOf: string | undefined,
    context: ActionContext,
  ): Promise<GrantVestingDto> {
    const grant = await this.visible(id, context);
    const day = asOf ?? todayUtc();
    const figures = grantVesting(
      grant,
      await this.termsOf(grant),
      await this.repository.transactions(undefined, id),
      day,
    );
    return {
      grant_id: id,
      as_of: day,
      schedule: figures.schedule,
      vested: Number(figures.vested),
      unvested: Number(figures.unvested),
      exercised: Number(figures.exercised),
      exercisable: Number(figures.exercisable),
      expires_on: figures.expires_on,
    };
  }

  /** The grant's OCF vesting terms, or none (vested at grant). */
  async termsOf(grant: EquityGrant): Promise<VestingTermsOcf | null> {
    if (!grant.vestingTermsId) return null;
    const terms = await this.terms.require(grant.vestingTermsId);
    return {
      name: terms.name,
      description: terms.description,
      allocation_type: terms.allocationType,
      vesting_conditions: terms.vestingConditions,
    };
  }

  async require(tx: EntityManager | undefined, id: string, lock = false): Promise<EquityGrant> {
    const grant = await this.repository.find(tx, id, lock);
    if (!grant) throw new GrantNotFoundError(id);
    return grant;
  }

  /**
   * The grant if the caller may see it (admins and auditors all, a holder their own), with its
   * expiration recorded first if it is due.
   */
  private async visible(id: string, context: ActionContext): Promise<EquityGrant> {
    const grant = await this.require(undefined, id);
    if (!(await this.access.maySee(context, grant.shareholderId)))
      throw new ForbiddenError('This grant is not yours.');
    return (await this.expiry.settle(grant, context.meta.requestId))
      ? this.require(undefined, id)
      : grant;
  }

  /**
   * Takes the grant's quantity from the plan's pool (the plan row locked; a conditional raise of
   * what it has committed) and answers the plan's class, which the grant issues.
   */
  private async takeFromPool(tx: EntityManager, planId: string, dto: CreateGrantDto) {
    const plan = await this.plans.require(tx, planId, true, 'stock_plan_id');
    const quantity = BigInt(dto.quantity);
    if (!(await this.plansRepository.commit(tx, plan.id, quantity)))
      throw new PoolExhaustedError(plan.name, {
        available: BigInt(plan.sharesReserved) - BigInt(plan.committedShares),
        requested: quantity,
      });
    await this.checkDatedPool(tx, plan.id, plan.name, dto.grant_date, quantity);
    return plan.shareClassId;
  }

  /**
   * A grant dated before a later change of the pool counts against the pool of every day from
   * its date on: the committed shares at each change are checked against that day's pool.
   */
  private async checkDatedPool(
    tx: EntityManager,
    planId: string,
    planName: string,
    date: string,
    quantity: bigint,
  ): Promise<void> {
    const changes = await this.plansRepository.changesFrom(tx, planId, date);
    for (const day of [date, ...changes]) {
      const figures = await this.plansRepository.figures(tx, planId, day);
      const reserved = figures.shares_reserved;
      const committed = BigInt(figures.granted) - BigInt(figures.returned);
      if (committed + quantity > BigInt(reserved))
        throw new PoolExhaustedError(planName, {
          available: BigInt(reserved) - committed,
          requested: quantity,
          date: day,
        });
    }
  }

  private priceOf(dto: CreateGrantDto): string | null {
    if (dto.compensation_type === 'RSU') {
      if (dto.exercise_price !== undefined)
        throw invalid('exercise_price', 'must not be given for an RSU');
      return null;
    }
    if (!OPTIONS.has(dto.compensation_type) || dto.exercise_price === undefined)
      throw invalid('exercise_price', 'is required for an option or SAR');
    const price = canonicalDecimal(dto.exercise_price);
    if (price === null) throw invalid('exercise_price', 'must be a decimal amount');
    return price;
  }

  private async defaultCurrency(): Promise<string> {
    const company = await this.company.get();
    return company.default_currency;
  }
}

/** Vesting terms with their start, or the grant's own tranches, or neither (vested at grant). */
function checkVesting(dto: CreateGrantDto): void {
  if (!!dto.vesting_terms_id !== !!dto.vesting_start_date)
    throw dto.vesting_terms_id
      ? invalid('vesting_start_date', 'is required with vesting_terms_id')
      : invalid('vesting_terms_id', 'is required with vesting_start_date');
  if (!dto.vesting) return;
  if (dto.vesting_terms_id)
    throw invalid('vesting', 'must not be given with vesting_terms_id (one schedule or the other)');
  const problem = trancheProblem(dto.vesting, BigInt(dto.quantity), dto.grant_date);
  if (problem) throw invalid(problem.field, problem.message);
}

/** From a plan (which gives the class), or outside any plan in a class of its own choosing. */
function checkPlanOrClass(dto: CreateGrantDto): void {
  if (dto.stock_plan_id && dto.share_class_id)
    throw invalid(
      'share_class_id',
      "must not be given with stock_plan_id (a grant from a plan issues the plan's class)",
    );
  if (!dto.stock_plan_id && !dto.share_class_id)
    throw invalid('stock_plan_id', 'is required, or share_class_id for a grant outside any plan');
}

function rowOf(
  id: string,
  dto: CreateGrantDto,
  shareClassId: string,
  price: string | null,
  currency: string | null,
  context: ActionContext,
): Omit<EquityGrant, 'createdAt'> {
  return {
    id,
    shareholderId: dto.shareholder_id,
    stockPlanId: dto.stock_plan_id ?? null,
    shareClassId,
    compensationType: dto.compensation_type,
    quantity: String(dto.quantity),
    exercisePrice: price,
    currency,
    grantDate: dto.grant_date,
    vestingTermsId: dto.vesting_terms_id ?? null,
    vestingStartDate: dto.vesting_start_date ?? null,
    vestingTranches: dto.vesting?.map((t) => ({ date: t.date, quantity: t.quantity })) ?? null,
    expirationDate: dto.expiration_date ?? null,
    earlyExercise: dto.early_exercise ?? false,
    terminationExerciseDays: dto.termination_exercise_days ?? null,
    exercisedQuantity: '0',
    releasedQuantity: '0',
    cancelledQuantity: '0',
    terminatedOn: null,
    expiredOn: null,
    createdBySub: context.principal.sub,
    createdBy: context.principal.actorName,
    requestId: context.meta.requestId,
  };
}
