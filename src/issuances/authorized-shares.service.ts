import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppConfigService } from '../core/config/app-config.service';
import { Database } from '../core/db/database.service';
import { DomainError } from '../core/errors/domain-error';
import type { ActionContext } from '../core/http/action-context';
import { OutboxService } from '../events';
import type {
  AuthorizedSharesAdjustmentDto,
  CreateAuthorizedSharesAdjustmentDto,
} from './dto/share-class.dto';
import { ShareClassNotFoundError, TransactionDateInvalidError } from './issuances.errors';
import { checkNotLaterThanTolerated } from './ledger-checks';
import { AuthorizedSharesRepository } from './persistence/authorized-shares.repository';
import { ShareClassesRepository } from './persistence/share-classes.repository';

/**
 * POST /api/share-classes/{id}/authorized-shares-adjustments: the class's authorized shares from
 * a date on (OCF StockClassAuthorizedSharesAdjustment), in date order after every earlier change
 * of them (adjustments and splits), never below what was outstanding on that date or any later
 * one (409), and then the class's current authorized shares. Under the class's row lock, so
 * issuances into the class wait.
 */
@Injectable()
export class AuthorizedSharesService {
  constructor(
    private readonly db: Database,
    private readonly shareClasses: ShareClassesRepository,
    private readonly repository: AuthorizedSharesRepository,
    private readonly outbox: OutboxService,
    private readonly config: AppConfigService,
  ) {}

  adjust(
    shareClassId: string,
    dto: CreateAuthorizedSharesAdjustmentDto,
    context: ActionContext,
  ): Promise<AuthorizedSharesAdjustmentDto> {
    return this.db.transaction(async (tx) => {
      const shareClass = await this.shareClasses.find(tx, shareClassId, true);
      if (!shareClass) throw new ShareClassNotFoundError(shareClassId);
      await this.checkAdjustable(tx, shareClass.name, { ...dto, shareClassId });
      const adjustment = {
        id: randomUUID(),
        shareClassId,
        date: dto.date,
        authorizedShares: String(dto.authorized_shares),
        previousAuthorizedShares: shareClass.authorizedShares,
        boardApprovalDate: dto.board_approval_date ?? null,
        stockholderApprovalDate: dto.stockholder_approval_date ?? null,
        createdBySub: context.principal.sub,
        createdBy: context.principal.actorName,
        requestId: context.meta.requestId,
      };
      const recordedAt = await this.repository.insert(tx, adjustment);
      const shown: AuthorizedSharesAdjustmentDto = {
        id: adjustment.id,
        share_class_id: shareClassId,
        date: dto.date,
        authorized_shares: dto.authorized_shares,
        previous_authorized_shares: Number(shareClass.authorizedShares),
        board_approval_date: adjustment.boardApprovalDate,
        stockholder_approval_date: adjustment.stockholderApprovalDate,
        recorded_at: recordedAt.toISOString(),
      };
      await this.outbox.publish(
        tx,
        {
          type: 'share_class.authorized_shares_adjusted',
          aggregateType: 'share_class',
          aggregateId: shareClassId,
          payload: { before: null, after: shown },
        },
        context,
      );
      return shown;
    });
  }

  /** After every earlier change, and not below what was outstanding from its date on. */
  private async checkAdjustable(
    tx: EntityManager,
    className: string,
    dto: CreateAuthorizedSharesAdjustmentDto & { shareClassId: string },
  ): Promise<void> {
    checkNotLaterThanTolerated(dto.date, this.config.get('LEDGER_FUTURE_DATE_TOLERANCE_DAYS'));
    const latest = await this.repository.latestChange(tx, dto.shareClassId);
    if (latest && dto.date <= latest)
      throw new TransactionDateInvalidError(
        `must be after ${latest}, the latest change of the class's authorized shares`,
      );
    const most = await this.repository.maxOutstandingFrom(tx, dto.shareClassId, dto.date);
    if (most > BigInt(dto.authorized_shares))
      throw new DomainError(
        'AUTHORIZED_BELOW_ISSUED',
        `${className} has had ${most} shares outstanding on ${dto.date} or later; its authorized shares cannot be ${dto.authorized_shares} from then on.`,
        {
          errors: [{ field: 'authorized_shares', messages: [`must be at least ${most}`] }],
          extensions: { outstanding_shares: Number(most) },
        },
      );
  }
}
