import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfigService } from '../core/config/app-config.service';
import { Database } from '../core/db/database.service';
import type { ActionContext } from '../core/http/action-context';
import { shareCount } from '../core/money/money';
import { OutboxService } from '../events';
import type {
  EventName,
  LedgerPositionSnapshot,
  LedgerTransactionSnapshot,
  PublishedEvent,
} from '../events';
import type {
  CreateCancellationDto,
  CreateConversionDto,
  CreateReissuanceDto,
  CreateRepurchaseDto,
  CreateTransferDto,
  LedgerTransactionDto,
  LedgerTransactionResultDto,
} from './dto/ledger.dto';
import type { IssuanceResponseDto } from './dto/issuance.dto';
import { IdempotencyService, requestHash } from './idempotency.service';
import { toIssuanceResponse } from './issuance-views';
import {
  IssuanceNotFoundError,
  QuantityExceedsSecurityError,
  SecurityAlreadySpentError,
} from './issuances.errors';
import { issuanceFromRow } from './issuances.service';
import { LedgerConversions } from './ledger-conversions';
import { checkDate, checkTransferees } from './ledger-checks';
import { planTransaction, positionsAfter, Spending } from './ledger-plan';
import { decimalOf, snapshotOf, transactionDtoOf } from './ledger-views';
import { LedgerRepository, SecurityRow } from './persistence/ledger.repository';

export interface LedgerResult {
  result: LedgerTransactionResultDto;
  replayed: boolean;
}

/**
 * The stock ledger's terminal transactions (OCF TX_STOCK_TRANSFER, _CANCELLATION, _REPURCHASE,
 * _REISSUANCE). Each spends one whole security in one database transaction: the security's row
 * is locked, checked to be outstanding and validated against, then spent, the transaction and its
 * new securities written, the class total lowered for shares that stop being outstanding, and the
 * events (the transaction with the positions before and after; an issuance.created per new
 * security, which gives it its certificate) written to the outbox.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly db: Database,
    private readonly repository: LedgerRepository,
    private readonly idempotency: IdempotencyService,
    private readonly outbox: OutboxService,
    private readonly config: AppConfigService,
    private readonly conversions: LedgerConversions,
  ) {}

  transfer(
    securityId: string,
    dto: CreateTransferDto,
    context: ActionContext,
    key?: string,
  ): Promise<LedgerResult> {
    const price =
      dto.price_per_share === undefined ? null : decimalOf(dto.price_per_share, 'price_per_share');
    const resulting = dto.transfers.map((t) => ({
      shareholderId: t.to_shareholder_id,
      shares: BigInt(t.quantity),
    }));
    return this.spend(securityId, { ...dto, kind: 'TRANSFER' }, context, key, {
      kind: 'TRANSFER',
      date: dto.date,
      quantity: resulting.reduce((sum, r) => sum + r.shares, 0n),
      pricePerShare: price,
      considerationText: dto.consideration_text ?? null,
      reason: null,
      resulting,
      leavesBalance: true,
    });
  }

  cancel(
    securityId: string,
    dto: CreateCancellationDto,
    context: ActionContext,
    key?: string,
  ): Promise<LedgerResult> {
    return this.spend(securityId, { ...dto, kind: 'CANCELLATION' }, context, key, {
      kind: 'CANCELLATION',
      date: dto.date,
      quantity: BigInt(dto.quantity),
      pricePerShare: null,
      considerationText: null,
      reason: dto.reason,
      resulting: [],
      leavesBalance: true,
    });
  }

  repurchase(
    securityId: string,
    dto: CreateRepurchaseDto,
    context: ActionContext,
    key?: string,
  ): Promise<LedgerResult> {
    const price = decimalOf(dto.price_per_share, 'price_per_share');
    return this.spend(
      securityId,
      { ...dto, price_per_share: price, kind: 'REPURCHASE' },
      context,
      key,
      {
        kind: 'REPURCHASE',
        date: dto.date,
        quantity: BigInt(dto.quantity),
        pricePerShare: price,
        considerationText: dto.consideration_text ?? null,
        reason: null,
        resulting: [],
        leavesBalance: true,
      },
    );
  }

  convert(
    securityId: string,
    dto: CreateConversionDto,
    context: ActionContext,
    key?: string,
  ): Promise<LedgerResult> {
    const fractionPrice =
      dto.fraction_price_per_share === undefined
        ? null
        : decimalOf(dto.fraction_price_per_share, 'fraction_price_per_share');
    return this.spend(
      securityId,
      { ...dto, fraction_price_per_share: fractionPrice, kind: 'CONVERSION' },
      context,
      key,
      {
        kind: 'CONVERSION',
        date: dto.date,
        quantity: dto.quantity === undefined ? 0n : BigInt(dto.quantity), // 0: the whole security
        pricePerShare: null,
        considerationText: null,
        reason: null,
        resulting: [],
        leavesBalance: true,
        convertTo: { toShareClassId: dto.to_share_class_id, fractionPrice },
      },
    );
  }

  reissue(
    securityId: string,
    dto: CreateReissuanceDto,
    context: ActionContext,
    key?: string,
  ): Promise<LedgerResult> {
    return this.spend(securityId, { ...dto, kind: 'REISSUANCE' }, context, key, {
      kind: 'REISSUANCE',
      date: dto.date,
      quantity: 0n, // the whole security, known once it is read
      pricePerShare: null,
      considerationText: null,
      reason: dto.reason,
      resulting: [],
      leavesBalance: false,
    });
  }

  private async spend(
    securityId: string,
    body: object,
    context: ActionContext,
    key: string | undefined,
    spending: Spending,
  ): Promise<LedgerResult> {
    // Key-driven statements only: each is planned once per connection (genericPlans).
    return this.db.transaction(
      async (tx) => {
        const scope = context.principal.sub;
        const hash = requestHash({ securityId, ...body });
        if (key) {
          const claim = await this.idempotency.claim<LedgerTransactionResultDto>(
            tx,
            scope,
            key,
            hash,
          );
          if (claim.kind === 'replay') return { result: claim.response, replayed: true };
        }
        const result = await this.record(tx, securityId, spending, context);
        if (key) await this.idempotency.complete(tx, scope, key, result);
        return { result, replayed: false };
      },
      { genericPlans: true },
    );
  }

  private async record(
    tx: EntityManager,
    securityId: string,
    spending: Spending,
    context: ActionContext,
  ): Promise<LedgerTransactionResultDto> {
    const { security, quantity } = await this.checked(tx, securityId, spending);
    const conversion = spending.convertTo
      ? await this.conversions.terms(tx, security, spending.date, quantity, spending.convertTo)
      : undefined;
    const plan = planTransaction(security, { ...spending, conversion }, quantity, context);
    const holders = [security.shareholder_id, ...plan.resulting.map((r) => r.shareholderId)];
    const classes = [security.share_class_id, ...(plan.raised ? [plan.raised.shareClassId] : [])];
    const ids = [
      security.id,
      ...(plan.balance ? [plan.balance.id] : []),
      ...plan.resulting.map((r) => r.id),
    ];
    // One round trip for the three: the connection pipelines them and PostgreSQL runs them in
    // order, so the positions are read before the write and the securities after it.
    const [before, recordedAt, rows] = await Promise.all([
      this.repository.positions(tx, holders, classes),
      this.repository.record(tx, plan),
      this.repository.securities(tx, ids),
    ]);
    if (!recordedAt) throw new Error(`security ${security.id} was spent while locked`);
    const after = positionsAfter(before, plan);
    const [spent, ...created] = rows.map((row) => toIssuanceResponse(issuanceFromRow(row)));
    if (!spent) throw new Error(`security ${security.id} vanished`);
    const balance = plan.balance ? (created.shift() ?? null) : null;
    const transaction = transactionDtoOf(plan, recordedAt);
    await this.publish(tx, transaction, spent, balance, created, before, after, context);
    return { transaction, spent, balance, resulting: created };
  }

  /** The security, locked and outstanding, and how many of its shares the transaction spends. */
  private async checked(
    tx: EntityManager,
    securityId: string,
    spending: Spending,
  ): Promise<{ security: SecurityRow; quantity: bigint }> {
    // The transferees are looked up beside the lock (one round trip for both).
    const named =
      spending.kind === 'TRANSFER' ? spending.resulting.map((r) => r.shareholderId) : [];
    const [security, existing] = await Promise.all([
      this.repository.lockSecurity(tx, securityId),
      named.length > 0
        ? this.repository.existingHolders(tx, named)
        : Promise.resolve(new Set<string>()),
    ]);
    if (!security) throw new IssuanceNotFoundError(securityId);
    if (security.status !== 'OUTSTANDING' || security.spent_by_transaction_id) {
      throw new SecurityAlreadySpentError(
        security.id,
        security.status,
        security.spent_by_transaction_id ?? '',
      );
    }
    checkDate(spending.date, security, this.config.get('LEDGER_FUTURE_DATE_TOLERANCE_DAYS'));
    const held = BigInt(security.number_of_shares);
    const whole =
      spending.kind === 'REISSUANCE' || (spending.convertTo && spending.quantity === 0n);
    const quantity = whole ? held : spending.quantity;
    if (quantity > held) {
      const field = spending.kind === 'TRANSFER' ? 'transfers' : 'quantity';
      throw new QuantityExceedsSecurityError(field, quantity, held);
    }
    if (spending.kind === 'TRANSFER') checkTransferees(spending, security, existing);
    return { security, quantity };
  }

  private async publish(
    tx: EntityManager,
    transaction: LedgerTransactionDto,
    spent: IssuanceResponseDto,
    balance: IssuanceResponseDto | null,
    resulting: IssuanceResponseDto[],
    before: Array<{ shareholder_id: string; share_class_id: string; shares: string }>,
    after: Array<{ shareholder_id: string; share_class_id: string; shares: string }>,
    context: ActionContext,
  ): Promise<void> {
    const positions = (rows: typeof before): LedgerPositionSnapshot[] =>
      rows.map((row) => ({
        shareholder_id: row.shareholder_id,
        share_class_id: row.share_class_id,
        shares: shareCount(row.shares),
      }));
    const snapshot: LedgerTransactionSnapshot = { ...transaction, spent_status: spent.status };
    const recorded: PublishedEvent<'stock.transaction_recorded'> = {
      type: 'stock.transaction_recorded',
      aggregateType: 'stock_transaction',
      aggregateId: transaction.id,
      payload: {
        transaction: snapshot,
        before: { positions: positions(before) },
        after: { positions: positions(after) },
      },
    };
    const created = [...(balance ? [balance] : []), ...resulting].map(
      (security): PublishedEvent<'issuance.created'> => ({
        type: 'issuance.created',
        aggregateType: 'issuance',
        aggregateId: security.id,
        payload: { before: null, after: snapshotOf(security) },
      }),
    );
    // The transaction's event and one per new security, in one statement.
    await this.outbox.publishAll<EventName>(tx, [recorded, ...created], context);
  }
}
