import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hasAnyRole } from '../core/auth/principal';
import { Role } from '../core/auth/role.enum';
import type { EntityManager } from 'typeorm';
import { Database, Scope } from '../core/db/database.service';
import { isForeignKeyViolation } from '../core/db/pg-errors';
import type { ActionContext } from '../core/http/action-context';
import type { Page } from '../core/http/pagination';
import { todayUtc } from '../core/http/validators';
import { MetricsService } from '../core/metrics/metrics.service';
import { LruMap } from '../core/cache/lru-map';
import { CompanyContext } from '../core/tenancy/company-context';
import { canonicalDecimal, shareCount, totalAmount } from '../core/money/money';
import { OutboxService } from '../events';
import { HolderAccess, ShareholderNotFoundError } from '../shareholders';
import { CreateIssuanceDto, IssuanceQueryDto, IssuanceResponseDto } from './dto/issuance.dto';
import { IdempotencyService, requestHash } from './idempotency.service';
import type { Issuance } from './issuance.entity';
import { IssuanceReadCache } from './issuance-read-cache';
import { issuanceSnapshot, toIssuanceResponse } from './issuance-views';
import {
  AuthorizedSharesExceededError,
  CommonClassMissingError,
  CompanyNotConfiguredError,
  IssuanceNotFoundError,
  ShareClassNotFoundError,
} from './issuances.errors';
import { IssuanceRow, IssuancesRepository } from './persistence/issuances.repository';
import { ShareClassesService } from './share-classes.service';

export function issuanceFromRow(row: IssuanceRow): Issuance {
  return {
    id: row.id,
    shareholderId: row.shareholder_id,
    shareClassId: row.share_class_id,
    numberOfShares: row.number_of_shares,
    price: row.price,
    totalAmount: row.total_amount,
    currency: row.currency,
    date: row.date,
    certificateNumber: row.certificate_number,
    createdAt: row.created_at,
    createdBySub: row.created_by_sub,
    createdBy: row.created_by,
    requestId: row.request_id,
    status: row.status,
    originTransactionId: row.origin_transaction_id,
    spentByTransactionId: row.spent_by_transaction_id,
    spentOn: row.spent_on,
    derivedSecurityIds: row.derived_security_ids,
    ocfSecurityId: row.ocf_security_id,
  };
}

/** Companies whose default currency this instance has seen (a hint the write checks). */
const DEFAULT_CURRENCY_HINTS = 10_000;

export interface IssuanceResult {
  issuance: IssuanceResponseDto;
  replayed: boolean;
}

@Injectable()
export class IssuancesService {
  constructor(
    private readonly db: Database,
    private readonly repository: IssuancesRepository,
    private readonly shareClasses: ShareClassesService,
    private readonly idempotency: IdempotencyService,
    private readonly outbox: OutboxService,
    private readonly metrics: MetricsService,
    private readonly readCache: IssuanceReadCache,
    private readonly access: HolderAccess,
  ) {}

  /** The default currency last seen per company: the write checks it, so a stale one costs a retry. */
  private readonly defaultCurrencies = new LruMap<string, string>(DEFAULT_CURRENCY_HINTS);

  /**
   * Issues shares. The issuance, its event and the raised class total are written by one statement
   * (atomic on its own), guarded by the authorized-shares condition on the class row, so concurrent
   * issuances can never exceed the authorized shares. With an Idempotency-Key, the key is claimed
   * and completed in one transaction around that statement.
   */
  async issue(
    dto: CreateIssuanceDto,
    context: ActionContext,
    idempotencyKey?: string,
  ): Promise<IssuanceResult> {
    const price = canonicalDecimal(dto.price);
    if (price === null) throw new Error('price passed validation but is not a decimal');
    const result = idempotencyKey
      ? await this.db.transaction((tx) => this.issueOnce(tx, dto, price, context, idempotencyKey))
      : { issuance: await this.record(undefined, dto, price, context), replayed: false };
    if (!result.replayed) this.metrics.issuancesCreated.inc();
    return result;
  }

  /**
   * Issues shares inside the caller's transaction `tx` (another module's write that must hold
   * together with it, such as an option exercise): the same statement, event and checks as
   * POST /api/issuances/.
   */
  async issueWithin(
    tx: EntityManager,
    dto: CreateIssuanceDto,
    context: ActionContext,
  ): Promise<IssuanceResponseDto> {
    const price = canonicalDecimal(dto.price);
    if (price === null) throw new Error('price is not a decimal');
    const issuance = await this.record(tx, dto, price, context);
    this.metrics.issuancesCreated.inc();
    return issuance;
  }

  private async issueOnce(
    tx: EntityManager,
    dto: CreateIssuanceDto,
    price: string,
    context: ActionContext,
    key: string,
  ): Promise<IssuanceResult> {
    const scope = context.principal.sub;
    const hash = requestHash({ ...dto, price });
    const claim = await this.idempotency.claim<IssuanceResponseDto>(tx, scope, key, hash);
    if (claim.kind === 'replay') return { issuance: claim.response, replayed: true };
    const issuance = await this.record(tx, dto, price, context);
    await this.idempotency.complete(tx, scope, key, issuance);
    return { issuance, replayed: false };
  }

  /**
   * One statement when the request names its class and the currency is known (given, or the
   * company's default as last seen here): the write itself checks the class, the authorized
   * shares and that default. When it writes nothing, or when the class or currency must be looked
   * up first, two round trips: what the request refers to, then the write, and the errors that
   * say what is wrong.
   */
  private async record(
    tx: Scope,
    dto: CreateIssuanceDto,
    price: string,
    context: ActionContext,
  ): Promise<IssuanceResponseDto> {
    const companyId = CompanyContext.require();
    const defaultCurrency = dto.currency ? undefined : this.defaultCurrencies.get(companyId);
    const currency = dto.currency ?? defaultCurrency;
    if (dto.share_class_id && currency) {
      const issuance = this.draft(dto, dto.share_class_id, price, currency, context);
      const createdAt = await this.write(tx, issuance, context, defaultCurrency);
      if (createdAt) return this.recorded(issuance, createdAt);
    }
    return this.lookUpAndRecord(tx, dto, price, context, companyId);
  }

  private async lookUpAndRecord(
    tx: Scope,
    dto: CreateIssuanceDto,
    price: string,
    context: ActionContext,
    companyId: string,
  ): Promise<IssuanceResponseDto> {
    const target = await this.repository.issueTarget(tx, dto.share_class_id ?? null);
    if (target?.default_currency) this.defaultCurrencies.set(companyId, target.default_currency);
    const currency = dto.currency ?? target?.default_currency;
    if (!currency)
      throw new CompanyNotConfiguredError(
        'No currency given and no company default: PUT /api/company or pass currency.',
      );
    if (!target?.class_id) {
      throw dto.share_class_id
        ? new ShareClassNotFoundError(dto.share_class_id)
        : new CommonClassMissingError();
    }
    const issuance = this.draft(dto, target.class_id, price, currency, context);
    const createdAt = await this.write(
      tx,
      issuance,
      context,
      dto.currency ? undefined : (target.default_currency ?? undefined),
    );
    if (!createdAt) throw await this.exceeded(tx, target.class_id, dto.number_of_shares);
    return this.recorded(issuance, createdAt);
  }

  private recorded(issuance: Issuance, createdAt: Date): IssuanceResponseDto {
    issuance.createdAt = createdAt;
    return toIssuanceResponse(issuance);
  }

  private draft(
    dto: CreateIssuanceDto,
    shareClassId: string,
    price: string,
    currency: string,
    context: ActionContext,
  ): Issuance {
    return {
      id: randomUUID(),
      shareholderId: dto.shareholder_id,
      shareClassId,
      numberOfShares: String(dto.number_of_shares),
      price,
      totalAmount: totalAmount(dto.number_of_shares, price),
      currency,
      date: dto.date ?? todayUtc(),
      certificateNumber: null,
      createdAt: new Date(0),
      createdBySub: context.principal.sub,
      createdBy: context.principal.actorName,
      requestId: context.meta.requestId,
      status: 'OUTSTANDING',
      originTransactionId: null,
      spentByTransactionId: null,
      spentOn: null,
      derivedSecurityIds: [],
    };
  }

  /**
   * The issuance and its event in one statement; null when nothing was written (see
   * IssuancesRepository.issue).
   */
  private async write(
    tx: Scope,
    issuance: Issuance,
    context: ActionContext,
    defaultCurrency: string | undefined,
  ): Promise<Date | null> {
    const event = {
      type: 'issuance.created' as const,
      aggregateType: 'issuance',
      aggregateId: issuance.id,
      payload: { before: null, after: issuanceSnapshot(issuance) },
    };
    try {
      const { result } = await this.outbox.publishWithin(tx, event, context, (insertEvent) =>
        this.repository.issue(tx, issuance, insertEvent, defaultCurrency),
      );
      return result;
    } catch (error) {
      if (isForeignKeyViolation(error, 'fk_issuance_shareholder'))
        throw new ShareholderNotFoundError(issuance.shareholderId);
      throw error;
    }
  }

  private async exceeded(
    tx: Scope,
    classId: string,
    requested: number,
  ): Promise<AuthorizedSharesExceededError> {
    const shareClass = await this.shareClasses.require(tx, classId);
    return new AuthorizedSharesExceededError(shareClass.name, {
      authorized: shareCount(shareClass.authorizedShares),
      issued: shareCount(shareClass.issuedShares),
      requested,
    });
  }

  /**
   * The hottest read of the API: from the read cache when it holds the issuance (and, for a
   * holder, whom it is linked to), else one prepared statement that also returns the holder's
   * linked user. Only a caller not linked yet goes on to the access check (which may link them).
   */
  async findOne(id: string, context: ActionContext): Promise<IssuanceResponseDto> {
    const { principal } = context;
    const readsAll = hasAnyRole(principal, [Role.Admin, Role.Auditor]);
    const cached = this.readCache.issuance(id);
    if (cached && (readsAll || this.readCache.holderUser(cached.shareholderId) === principal.sub)) {
      return cached.response;
    }
    const generation = this.readCache.generation;
    const row = await this.repository.find(id);
    if (!row) throw new IssuanceNotFoundError(id);
    const response = toIssuanceResponse(issuanceFromRow(row));
    // A unit of work (an import) may yet roll back: what it reads is not remembered.
    if (!this.db.inUnitOfWork())
      this.readCache.store(generation, response, row.shareholder_id, row.holder_user_id);
    await this.access.assertMaySee(
      context,
      row.shareholder_id,
      'This issuance belongs to another shareholder.',
      row.holder_user_id,
    );
    return response;
  }

  /** Admins and auditors see every issuance; anyone else only their own holdings. */
  async list(query: IssuanceQueryDto, context: ActionContext): Promise<Page<IssuanceResponseDto>> {
    const scope = await this.access.scope(context);
    let shareholderId = query.shareholder_id;
    if (!scope.all) {
      if (
        !scope.shareholderId ||
        (shareholderId !== undefined && shareholderId !== scope.shareholderId)
      )
        return { items: [], total: 0 };
      shareholderId = scope.shareholderId;
    }
    const { rows, total } = await this.repository.list({
      shareholderId,
      shareClassId: query.share_class_id,
      status: query.status === 'all' ? undefined : query.status,
      from: query.from,
      to: query.to,
      limit: query.limit,
      offset: query.offset,
    });
    return { items: rows.map((row) => toIssuanceResponse(issuanceFromRow(row))), total };
  }
}
