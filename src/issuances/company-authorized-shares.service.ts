import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppConfigService } from '../core/config/app-config.service';
import { Database } from '../core/db/database.service';
import { DomainError } from '../core/errors/domain-error';
import type { ActionContext } from '../core/http/action-context';
import { OutboxService } from '../events';
import type {
  CompanyAuthorizedSharesAdjustmentDto,
  CreateAuthorizedSharesAdjustmentDto,
} from './dto/share-class.dto';
import { TransactionDateInvalidError } from './issuances.errors';
import { checkNotLaterThanTolerated } from './ledger-checks';
import { CompanyAuthorizedSharesRepository } from './persistence/company-authorized-shares.repository';

/**
 * POST /api/companies/{company_id}/authorized-shares-adjustments (and /api/company/…): the
 * company's authorized shares over all its classes from a date on (OCF
 * IssuerAuthorizedSharesAdjustment), after its latest adjustment, never below what was
 * outstanding in all classes on that date or any later one (409), then the company's current
 * figure. Under every class row's lock and the company row's, so issuances wait; from then on
 * the schema's triggers keep every write within it (409 AUTHORIZED_SHARES_EXCEEDED).
 */
@Injectable()
export class CompanyAuthorizedSharesService {
  constructor(
    private readonly db: Database,
    private readonly repository: CompanyAuthorizedSharesRepository,
    private readonly outbox: OutboxService,
    private readonly config: AppConfigService,
  ) {}

  adjust(
    dto: CreateAuthorizedSharesAdjustmentDto,
    context: ActionContext,
  ): Promise<CompanyAuthorizedSharesAdjustmentDto> {
    return this.db.transaction(async (tx) => {
      const company = await this.repository.lock(tx);
      await this.checkAdjustable(tx, dto, company.latest);
      const adjustment = {
        id: randomUUID(),
        date: dto.date,
        authorizedShares: String(dto.authorized_shares),
        previousAuthorizedShares: company.authorized_shares,
        boardApprovalDate: dto.board_approval_date ?? null,
        stockholderApprovalDate: dto.stockholder_approval_date ?? null,
        createdBySub: context.principal.sub,
        createdBy: context.principal.actorName,
        requestId: context.meta.requestId,
      };
      const recordedAt = await this.repository.insert(tx, adjustment);
      const shown: CompanyAuthorizedSharesAdjustmentDto = {
        id: adjustment.id,
        date: dto.date,
        authorized_shares: dto.authorized_shares,
        previous_authorized_shares: shareCountOrNull(company.authorized_shares),
        board_approval_date: adjustment.boardApprovalDate,
        stockholder_approval_date: adjustment.stockholderApprovalDate,
        recorded_at: recordedAt.toISOString(),
      };
      await this.outbox.publish(
        tx,
        {
          type: 'company.authorized_shares_adjusted',
          aggregateType: 'company',
          aggregateId: adjustment.id,
          payload: { before: null, after: shown },
        },
        context,
      );
      return shown;
    });
  }

  /** After the latest adjustment, and not below what was outstanding from its date on. */
  private async checkAdjustable(
    tx: EntityManager,
    dto: CreateAuthorizedSharesAdjustmentDto,
    latest: string | null,
  ): Promise<void> {
    checkNotLaterThanTolerated(dto.date, this.config.get('LEDGER_FUTURE_DATE_TOLERANCE_DAYS'));
    if (latest && dto.date <= latest)
      throw new TransactionDateInvalidError(
        `must be after ${latest}, the company's latest adjustment of its authorized shares`,
      );
    const most = await this.repository.maxOutstandingFrom(tx, dto.date);
    if (most > BigInt(dto.authorized_shares))
      throw new DomainError(
        'AUTHORIZED_BELOW_ISSUED',
        `The company has had ${most} shares outstanding on ${dto.date} or later; its authorized shares cannot be ${dto.authorized_shares} from then on.`,
        {
          errors: [{ field: 'authorized_shares', messages: [`must be at least ${most}`] }],
          extensions: { outstanding_shares: Number(most) },
        },
      );
  }
}

function shareCountOrNull(value: string | null): number | null {
  return value === null ? null : Number(value);
}
