import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Database } from '../core/db/database.service';
import type { ActionContext } from '../core/http/action-context';
import { OutboxService } from '../events';
import {
  ConversionRatioAdjustmentDto,
  CreateConversionRatioAdjustmentDto,
  CreateShareClassDto,
  ShareClassResponseDto,
  UpdateShareClassDto,
} from './dto/share-class.dto';
import { DomainError } from '../core/errors/domain-error';
import { shareClassSnapshot, toShareClassResponse } from './issuance-views';
import { AuthorizedBelowIssuedError, ShareClassNotFoundError } from './issuances.errors';
import { canonicalDecimal, shareCount } from '../core/money/money';
import { ShareClassesRepository } from './persistence/share-classes.repository';
import type { ShareClass } from './share-class.entity';

@Injectable()
export class ShareClassesService {
  constructor(
    private readonly db: Database,
    private readonly repository: ShareClassesRepository,
    private readonly outbox: OutboxService,
  ) {}

  async list(): Promise<ShareClassResponseDto[]> {
    const classes = await this.repository.list();
    return classes.map(toShareClassResponse);
  }

  async get(id: string): Promise<ShareClassResponseDto> {
    return toShareClassResponse(await this.require(undefined, id));
  }

  async create(dto: CreateShareClassDto, context: ActionContext): Promise<ShareClassResponseDto> {
    return this.db.transaction(async (tx) => {
      const id = randomUUID();
      await this.checkConversionTarget(tx, id, dto.converts_to_share_class_id);
      const shareClass = this.repository.create({
        id,
        name: dto.name,
        type: dto.type,
        authorizedShares: String(dto.authorized_shares),
        issuedShares: '0',
        parValue: canonicalDecimal(dto.par_value) ?? '0',
        votesPerShare: dto.votes_per_share,
        certificatePrefix: dto.certificate_prefix,
        seniority: dto.seniority ?? 0,
        legendText: dto.legend_text ?? null,
        convertsToShareClassId: dto.converts_to_share_class_id ?? null,
        conversionNumerator: String(dto.conversion_numerator ?? 1),
        conversionDenominator: String(dto.conversion_denominator ?? 1),
        version: 1,
      });
      await this.repository.insert(tx, shareClass);
      const saved = await this.require(tx, shareClass.id);
      await this.outbox.publish(
        tx,
        {
          type: 'share_class.created',
          aggregateType: 'share_class',
          aggregateId: saved.id,
          payload: { before: null, after: shareClassSnapshot(saved) },
        },
        context,
      );
      return toShareClassResponse(saved);
    });
  }

  async update(
    id: string,
    dto: UpdateShareClassDto,
    context: ActionContext,
  ): Promise<ShareClassResponseDto> {
    return this.db.transaction(async (tx) => {
      const current = await this.require(tx, id, true);
      await this.checkConversionTarget(tx, id, dto.converts_to_share_class_id);
      const issued = shareCount(current.issuedShares);
      if (dto.authorized_shares !== undefined && dto.authorized_shares < issued) {
        throw new AuthorizedBelowIssuedError(current.name, issued, dto.authorized_shares);
      }
      const changes = changesOf(dto, current);
      const before = shareClassSnapshot(current);
      const next = shareClassSnapshot({ ...current, ...changes });
      const fields = (Object.keys(next) as Array<keyof typeof next>).filter(
        (key) => next[key] !== before[key],
      );
      if (fields.length === 0) return toShareClassResponse(current);
      await this.repository.update(
        tx,
        id,
        { ...changes, version: current.version + 1 },
        { name: next.name, prefix: next.certificate_prefix },
      );
      const saved = await this.require(tx, id);
      await this.outbox.publish(
        tx,
        {
          type: 'share_class.updated',
          aggregateType: 'share_class',
          aggregateId: id,
          payload: { before, after: shareClassSnapshot(saved), changed_fields: fields },
        },
        context,
      );
      return toShareClassResponse(saved);
    });
  }

  /**
   * From `date` on, a share of the class converts into numerator / denominator shares of the class
   * it converts to (OCF StockClassConversionRatioAdjustment). One adjustment per class and date.
   */
  async adjustConversionRatio(
    id: string,
    dto: CreateConversionRatioAdjustmentDto,
    context: ActionContext,
  ): Promise<ConversionRatioAdjustmentDto> {
    return this.db.transaction(async (tx) => {
      const shareClass = await this.require(tx, id, true);
      if (!shareClass.convertsToShareClassId)
        throw new DomainError(
          'CONVERSION_NOT_DEFINED',
          `${shareClass.name} converts into no class: set its converts_to_share_class_id first.`,
        );
      const adjustment = {
        id: randomUUID(),
        shareClassId: id,
        date: dto.date,
        numerator: String(dto.numerator),
        denominator: String(dto.denominator),
        createdBySub: context.principal.sub,
        createdBy: context.principal.actorName,
        requestId: context.meta.requestId,
      };
      const recordedAt = await this.repository.insertRatioAdjustment(tx, adjustment);
      const shown: ConversionRatioAdjustmentDto = {
        id: adjustment.id,
        share_class_id: id,
        date: dto.date,
        numerator: dto.numerator,
        denominator: dto.denominator,
        recorded_at: recordedAt.toISOString(),
      };
      await this.outbox.publish(
        tx,
        {
          type: 'share_class.conversion_ratio_adjusted',
          aggregateType: 'share_class',
          aggregateId: id,
          payload: { before: null, after: shown },
        },
        context,
      );
      return shown;
    });
  }

  /** The class a class converts into: another class of the company. */
  private async checkConversionTarget(
    tx: EntityManager,
    id: string,
    target: string | null | undefined,
  ): Promise<void> {
    if (target === undefined || target === null) return;
    if (target === id)
      throw new DomainError('VALIDATION_FAILED', 'A class cannot convert into itself.', {
        errors: [{ field: 'converts_to_share_class_id', messages: ['is this class'] }],
      });
    const found = await this.repository.find(tx, target);
    if (!found) throw new ShareClassNotFoundError(target, 'converts_to_share_class_id');
  }

  async require(manager: EntityManager | undefined, id: string, lock = false): Promise<ShareClass> {
    const shareClass = await this.repository.find(manager, id, lock);
    if (!shareClass) throw new ShareClassNotFoundError(id);
    return shareClass;
  }
}

/** The fields of `dto` that were sent, as the entity's values. */
function changesOf(dto: UpdateShareClassDto, current: ShareClass): Partial<ShareClass> {
  return {
    ...(dto.name !== undefined && { name: dto.name }),
    ...(dto.authorized_shares !== undefined && {
      authorizedShares: String(dto.authorized_shares),
    }),
    ...(dto.par_value !== undefined && {
      parValue: canonicalDecimal(dto.par_value) ?? current.parValue,
    }),
    ...(dto.votes_per_share !== undefined && { votesPerShare: dto.votes_per_share }),
    ...(dto.seniority !== undefined && { seniority: dto.seniority }),
    ...(dto.legend_text !== undefined && { legendText: dto.legend_text }),
    ...(dto.converts_to_share_class_id !== undefined && {
      convertsToShareClassId: dto.converts_to_share_class_id,
    }),
    ...(dto.conversion_numerator !== undefined && {
      conversionNumerator: String(dto.conversion_numerator),
    }),
    ...(dto.conversion_denominator !== undefined && {
      conversionDenominator: String(dto.conversion_denominator),
    }),
  };
}
