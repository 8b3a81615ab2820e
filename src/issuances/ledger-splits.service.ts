import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppConfigService } from '../core/config/app-config.service';
import { Database } from '../core/db/database.service';
import { DomainError } from '../core/errors/domain-error';
import type { ActionContext } from '../core/http/action-context';
import { Money, normalizeNumeric, shareCount, totalAmount } from '../core/money/money';
import { OutboxService } from '../events';
import type { EventName, PublishedEvent } from '../events';
import type { CreateSplitDto, SplitDto } from './dto/share-class.dto';
import {
  AuthorizedSharesExceededError,
  FractionPriceRequiredError,
  ShareClassNotFoundError,
  TransactionDateInvalidError,
} from './issuances.errors';
import { checkNotLaterThanTolerated } from './ledger-checks';
import { carriedPrice, convertedShares, fractionCash } from './ledger-plan';
import { decimalOf } from './ledger-views';
import { ShareClassesRepository } from './persistence/share-classes.repository';
import {
  SplitRecord,
  SplitReissue,
  SplitSecurityRow,
  SplitsRepository,
} from './persistence/splits.repository';

/**
 * POST /api/share-classes/{id}/splits, recorded as OCF records a split: the class split, then one
 * reissuance of every outstanding security of the class whose resulting security holds the
 * multiplied quantity, rounded down, the fraction paid out in cash. All in one transaction, under
 * the class's row lock (issuances into the class wait) and every security's; the authorized shares
 * scale by the same ratio unless given. Each reissuance has its events (its certificate is
 * cancelled, the new security gets one, rendered in the background).
 */
@Injectable()
export class LedgerSplits {
  constructor(
    private readonly db: Database,
    private readonly shareClasses: ShareClassesRepository,
    private readonly repository: SplitsRepository,
    private readonly outbox: OutboxService,
    private readonly config: AppConfigService,
  ) {}

  split(shareClassId: string, dto: CreateSplitDto, context: ActionContext): Promise<SplitDto> {
    if (dto.numerator === dto.denominator)
      throw new DomainError('VALIDATION_FAILED', 'A split changes the number of shares.', {
        errors: [{ field: 'numerator', messages: ['must differ from denominator'] }],
      });
    const fractionPrice =
      dto.fraction_price_per_share === undefined
        ? null
        : decimalOf(dto.fraction_price_per_share, 'fraction_price_per_share');
    return this.db.transaction(async (tx) => {
      const shareClass = await this.shareClasses.find(tx, shareClassId, true);
      if (!shareClass) throw new ShareClassNotFoundError(shareClassId);
      const latest = await this.repository.latestLedgerDate(tx, shareClassId);
      if (latest && dto.date < latest)
        throw new TransactionDateInvalidError(
          `must be on or after ${latest}, the latest date on which a security of the class was issued or spent`,
        );
      checkNotLaterThanTolerated(dto.date, this.config.get('LEDGER_FUTURE_DATE_TOLERANCE_DAYS'));
      const securities = await this.repository.outstandingLocked(tx, shareClassId);
      const record = this.plan(shareClass, dto, fractionPrice, securities, context);
      const recordedAt = await this.repository.record(tx, record);
      const shown = toSplitDto(record, recordedAt);
      await this.publish(tx, record, shown, context);
      return shown;
    });
  }

  private plan(
    shareClass: { id: string; name: string; authorizedShares: string },
    dto: CreateSplitDto,
    fractionPrice: string | null,
    securities: SplitSecurityRow[],
    context: ActionContext,
  ): SplitRecord {
    const ratio = { numerator: BigInt(dto.numerator), denominator: BigInt(dto.denominator) };
    const id = randomUUID();
    const reissues = securities.map((security) => reissueOf(security, ratio, fractionPrice));
    const outstandingBefore = reissues.reduce((sum, r) => sum + r.held, 0n);
    const outstandingAfter = reissues.reduce((sum, r) => sum + (r.resulting?.shares ?? 0n), 0n);
    const authorizedBefore = BigInt(shareClass.authorizedShares);
    const authorizedAfter =
      dto.authorized_shares !== undefined
        ? BigInt(dto.authorized_shares)
        : (authorizedBefore * ratio.numerator) / ratio.denominator;
    if (outstandingAfter > authorizedAfter)
      throw new AuthorizedSharesExceededError(shareClass.name, {
        authorized: Number(authorizedAfter),
        issued: 0,
        requested: Number(outstandingAfter),
      });
    return {
      id,
      shareClassId: shareClass.id,
      date: dto.date,
      ...ratio,
      authorizedBefore,
      authorizedAfter,
      outstandingBefore,
      outstandingAfter,
      fractionPrice,
      reissues,
      createdBySub: context.principal.sub,
      createdBy: context.principal.actorName,
      requestId: context.meta.requestId,
    };
  }

  private async publish(
    tx: EntityManager,
    record: SplitRecord,
    shown: SplitDto,
    context: ActionContext,
  ): Promise<void> {
    const events: Array<PublishedEvent<EventName>> = [splitEvent(record, shown)];
    for (const reissue of record.reissues) {
      events.push(reissuedEvent(record, reissue, context));
      if (reissue.resulting)
        events.push({
          type: 'issuance.created',
          aggregateType: 'issuance',
          aggregateId: reissue.resulting.id,
          payload: {
            before: null,
            after: {
              id: reissue.resulting.id,
              shareholder_id: reissue.resulting.shareholderId,
              share_class_id: record.shareClassId,
              number_of_shares: shareCount(reissue.resulting.shares.toString()),
              price: normalizeNumeric(reissue.resulting.price),
              total_amount: normalizeNumeric(reissue.resulting.total),
              currency: reissue.resulting.currency,
              date: record.date,
            },
          },
        });
    }
    await this.outbox.publishAll(tx, events, context);
  }
}

/** One security's reissuance: the whole new shares, and the fraction paid out in cash. */
function reissueOf(
  security: SplitSecurityRow,
  ratio: { numerator: bigint; denominator: bigint },
  fractionPrice: string | null,
): SplitReissue {
  const held = BigInt(security.number_of_shares);
  const { whole, fraction } = convertedShares(held, ratio);
  if (fraction && fractionPrice === null)
    throw new FractionPriceRequiredError(`${fraction.numerator}/${fraction.denominator}`);
  const price = whole > 0n ? carriedPrice(security.price, held, whole) : '0';
  return {
    transactionId: randomUUID(),
    securityId: security.id,
    held,
    resulting:
      whole > 0n
        ? {
            id: randomUUID(),
            shareholderId: security.shareholder_id,
            shares: whole,
            price,
            total: totalAmount(whole.toString(), price),
            currency: security.currency,
          }
        : null,
    fraction:
      fraction && fractionPrice !== null
        ? {
            ...fraction,
            cashAmount: fractionCash(fractionPrice, fraction),
          }
        : null,
  };
}

function splitEvent(
  record: SplitRecord,
  shown: SplitDto,
): PublishedEvent<'stock.class_split_recorded'> {
  const totals = (authorized: bigint, outstanding: bigint) => ({
    authorized_shares: Number(authorized),
    outstanding: Number(outstanding),
  });
  return {
    type: 'stock.class_split_recorded',
    aggregateType: 'share_class',
    aggregateId: record.shareClassId,
    payload: {
      before: totals(record.authorizedBefore, record.outstandingBefore),
      after: totals(record.authorizedAfter, record.outstandingAfter),
      split: {
        id: record.id,
        share_class_id: record.shareClassId,
        date: record.date,
        numerator: shown.numerator,
        denominator: shown.denominator,
        securities: shown.securities,
      },
    },
  };
}

function reissuedEvent(
  record: SplitRecord,
  reissue: SplitReissue,
  context: ActionContext,
): PublishedEvent<'stock.transaction_recorded'> {
  return {
    type: 'stock.transaction_recorded',
    aggregateType: 'stock_transaction',
    aggregateId: reissue.transactionId,
    payload: {
      transaction: {
        id: reissue.transactionId,
        kind: 'REISSUANCE',
        date: record.date,
        recorded_at: new Date().toISOString(),
        security_id: reissue.securityId,
        shareholder_id: reissue.resulting?.shareholderId ?? '',
        share_class_id: record.shareClassId,
        quantity: Number(reissue.held),
        price_per_share: null,
        total_amount: null,
        currency: null,
        consideration_text: null,
        reason: `SPLIT ${record.numerator}/${record.denominator} ${record.id}`,
        balance_security_id: null,
        resulting_security_ids: reissue.resulting ? [reissue.resulting.id] : [],
        reversed_transaction_id: null,
        reversed_by_transaction_id: null,
        conversion: null,
        created_by: context.principal.actorName,
        spent_status: 'REISSUED',
      },
      // The split's own event carries the class totals; a reissuance moves no holder's position
      // but by the split's ratio.
      before: { positions: [] },
      after: { positions: [] },
    },
  };
}

function toSplitDto(record: SplitRecord, recordedAt: Date): SplitDto {
  const fractions = record.reissues.flatMap((r) => (r.fraction ? [r.fraction.cashAmount] : []));
  return {
    id: record.id,
    share_class_id: record.shareClassId,
    date: record.date,
    numerator: Number(record.numerator),
    denominator: Number(record.denominator),
    authorized_shares_before: Number(record.authorizedBefore),
    authorized_shares_after: Number(record.authorizedAfter),
    outstanding_before: Number(record.outstandingBefore),
    outstanding_after: Number(record.outstandingAfter),
    securities: record.reissues.length,
    paid_out_entirely: record.reissues.filter((r) => !r.resulting).length,
    fraction_cash_total:
      fractions.length === 0
        ? null
        : fractions.reduce((sum, cash) => sum.add(cash), new Money(0)).toFixed(),
    recorded_at: recordedAt.toISOString(),
  };
}
