import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Database } from '../core/db/database.service';
import type { ActionContext } from '../core/http/action-context';
import { OutboxService } from '../events';
import {
  CreateShareClassDto,
  ShareClassResponseDto,
  UpdateShareClassDto,
} from './dto/share-class.dto';
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
      const shareClass = this.repository.create({
        id: randomUUID(),
        name: dto.name,
        type: dto.type,
        authorizedShares: String(dto.authorized_shares),
        issuedShares: '0',
        parValue: canonicalDecimal(dto.par_value) ?? '0',
        votesPerShare: dto.votes_per_share,
        certificatePrefix: dto.certificate_prefix,
        seniority: dto.seniority ?? 0,
        legendText: dto.legend_text ?? null,
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
      const issued = shareCount(current.issuedShares);
      if (dto.authorized_shares !== undefined && dto.authorized_shares < issued) {
        throw new AuthorizedBelowIssuedError(current.name, issued, dto.authorized_shares);
      }
      const changes: Partial<ShareClass> = {
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
      };
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

  async require(manager: EntityManager | undefined, id: string, lock = false): Promise<ShareClass> {
    const shareClass = await this.repository.find(manager, id, lock);
    if (!shareClass) throw new ShareClassNotFoundError(id);
    return shareClass;
  }
}
