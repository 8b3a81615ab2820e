import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfigService } from '../core/config/app-config.service';
import { Database } from '../core/db/database.service';
import { DomainError } from '../core/errors/domain-error';
import type { ActionContext } from '../core/http/action-context';
import { todayUtc } from '../core/http/validators';
import { shareCount } from '../core/money/money';
import { OutboxService } from '../events';
import type { LedgerPositionSnapshot, LedgerTransactionSnapshot } from '../events';
import { ShareholderNotFoundError } from '../shareholders';
import type {
  CreateCancellationDto,
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
  TransactionDateInvalidError,
} from './issuances.errors';
import { issuanceFromRow } from './issuances.service';
import { planTransaction, Spending } from './ledger-plan';
import { decimalOf, snapshotOf, transactionDtoOf } from './ledger-views';
import { LedgerRepository, SecurityRow } from './persistence/ledger.repository';

export interface LedgerResult {
  result: LedgerTransactionResultDto;
  replayed: boolean;
}

const DAY_MS = 86_400_000;

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
  ) {}

  transfer(
    securityId: string,
    dto: CreateTransferDto,
    context: ActionContext,
    key?: string,
  ): Promise<LedgerResult> {
    const price =
      dto.price_per_share === undefined ? null : decimalOf(dto.price_per_share, 'price_per_share');
    const seen = new Set<string>();
    dto.transfers.forEach((transfer, index) => {
      if (seen.has(transfer.to_shareholder_id)) {
        throw new DomainError('VALIDATION_FAILED', 'A transferee is named twice.', {
          errors: [{ field: `transfers.${index}.to_shareholder_id`, messages: ['is named twice'] }],
        });
      }
      seen.add(transfer.to_shareholder_id);
    });
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
    return this.db.transaction(async (tx) => {
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
    });
  }

  private async record(
    tx: EntityManager,
    securityId: string,
    spending: Spending,
    context: ActionContext,
  ): Promise<LedgerTransactionResultDto> {
    const security = await this.repository.lockSecurity(tx, securityId);
    if (!security) throw new IssuanceNotFoundError(securityId);
    if (security.status !== 'OUTSTANDING' || security.spent_by_transaction_id) {
      throw new SecurityAlreadySpentError(
        security.id,
        security.status,
        security.spent_by_transaction_id ?? '',
      );
    }
    this.checkDate(spending.date, security);
    const held = BigInt(security.number_of_shares);
    const quantity = spending.kind === 'REISSUANCE' ? held : spending.quantity;
    if (quantity > held) {
      throw new QuantityExceedsSecurityError(
        spending.kind === 'TRANSFER' ? 'transfers' : 'quantity',
        quantity,
        held,
      );
    }
    await this.checkTransferees(tx, spending, security);
    const plan = planTransaction(security, spending, quantity, context);
    const holders = [security.shareholder_id, ...plan.resulting.map((r) => r.shareholderId)];
    const before = await this.repository.positions(tx, holders, security.share_class_id);
    const recordedAt = await this.repository.record(tx, plan);
    if (!recordedAt) throw new Error(`security ${security.id} was spent while locked`);
    const after = await this.repository.positions(tx, holders, security.share_class_id);
    const ids = [
      security.id,
      ...(plan.balance ? [plan.balance.id] : []),
      ...plan.resulting.map((r) => r.id),
    ];
    const rows = await this.repository.securities(tx, ids);
    const [spent, ...created] = rows.map((row) => toIssuanceResponse(issuanceFromRow(row)));
    if (!spent) throw new Error(`security ${security.id} vanished`);
    const balance = plan.balance ? (created.shift() ?? null) : null;
    const transaction = transactionDtoOf(plan, recordedAt);
    await this.publish(tx, transaction, spent, balance, created, before, after, context);
    return { transaction, spent, balance, resulting: created };
  }

  private checkDate(date: string, security: SecurityRow): void {
    if (date < security.date)
      throw new TransactionDateInvalidError(
        `must be on or after the security's own date, ${security.date}`,
      );
    const tolerance = this.config.get('LEDGER_FUTURE_DATE_TOLERANCE_DAYS');
    const latest = new Date(Date.parse(todayUtc()) + tolerance * DAY_MS).toISOString().slice(0, 10);
    if (date > latest)
      throw new TransactionDateInvalidError(
        `must not be later than ${latest} (today, UTC, plus ${tolerance} days)`,
      );
  }

  private async checkTransferees(
    tx: EntityManager,
    spending: Spending,
    security: SecurityRow,
  ): Promise<void> {
    if (spending.kind !== 'TRANSFER') return;
    const ids = spending.resulting.map((r) => r.shareholderId);
    const self = ids.indexOf(security.shareholder_id);
    if (self >= 0) {
      throw new DomainError('VALIDATION_FAILED', 'A transfer goes to another holder.', {
        errors: [
          {
            field: `transfers.${self}.to_shareholder_id`,
            messages: ['is the holder of the security'],
          },
        ],
      });
    }
    const existing = await this.repository.existingHolders(tx, ids);
    const missing = ids.findIndex((id) => !existing.has(id));
    if (missing >= 0) {
      throw new ShareholderNotFoundError(ids[missing], {
        field: `transfers.${missing}.to_shareholder_id`,
      });
    }
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
    await this.outbox.publish(
      tx,
      {
        type: 'stock.transaction_recorded',
        aggregateType: 'stock_transaction',
        aggregateId: transaction.id,
        payload: {
          transaction: snapshot,
          before: { positions: positions(before) },
          after: { positions: positions(after) },
        },
      },
      context,
    );
    for (const created of [...(balance ? [balance] : []), ...resulting]) {
      await this.outbox.publish(
        tx,
        {
          type: 'issuance.created',
          aggregateType: 'issuance',
          aggregateId: created.id,
          payload: { before: null, after: snapshotOf(created) },
        },
        context,
      );
    }
  }
}
