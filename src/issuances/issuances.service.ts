import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ForbiddenError } from '../core/auth/auth.errors';
import { hasAnyRole } from '../core/auth/principal';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import type { Page } from '../core/http/pagination';
import { todayUtc } from '../core/http/validators';
import { MetricsService } from '../core/metrics/metrics.service';
import { OutboxService } from '../events/outbox.service';
import { ShareholdersService } from '../shareholders/shareholders.service';
import { CompanyService } from './company.service';
import { CreateIssuanceDto, IssuanceQueryDto, IssuanceResponseDto } from './dto/issuance.dto';
import { IdempotencyService, requestHash } from './idempotency.service';
import { Issuance } from './issuance.entity';
import { issuanceSnapshot, toIssuanceResponse } from './issuance-views';
import {
  AuthorizedSharesExceededError,
  CompanyNotConfiguredError,
  IssuanceNotFoundError,
} from './issuances.errors';
import { canonicalDecimal, shareCount, totalAmount } from './money';
import { ShareClass } from './share-class.entity';
import { ShareClassesService } from './share-classes.service';

interface IssuanceRow {
  id: string;
  shareholder_id: string;
  share_class_id: string;
  number_of_shares: string;
  price: string;
  total_amount: string;
  currency: string;
  date: string;
  certificate_number: string | null;
  created_at: Date;
  created_by_sub: string;
  created_by: string;
  request_id: string | null;
  held_by_caller: boolean;
}

const FIND_ISSUANCE_SQL = `
  SELECT i.id, i.shareholder_id, i.share_class_id, i.number_of_shares::text AS number_of_shares,
         i.price::text AS price, i.total_amount::text AS total_amount, i.currency,
         to_char(i.date, 'YYYY-MM-DD') AS date, i.certificate_number, i.created_at,
         i.created_by_sub, i.created_by, i.request_id,
         coalesce(s.user_id = $2, false) AS held_by_caller
    FROM issuance i
    JOIN shareholder s ON s.id = i.shareholder_id
   WHERE i.id = $1`;

function issuanceFromRow(row: IssuanceRow): Issuance {
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
  };
}

export interface IssuanceResult {
  issuance: IssuanceResponseDto;
  replayed: boolean;
}

@Injectable()
export class IssuancesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly shareholders: ShareholdersService,
    private readonly shareClasses: ShareClassesService,
    private readonly company: CompanyService,
    private readonly idempotency: IdempotencyService,
    private readonly outbox: OutboxService,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Issues shares in one transaction: the class row is locked while the running total is checked
   * and raised, so concurrent issuances can never exceed the authorized shares.
   */
  async issue(
    dto: CreateIssuanceDto,
    context: ActionContext,
    idempotencyKey?: string,
  ): Promise<IssuanceResult> {
    const price = canonicalDecimal(dto.price);
    if (price === null) throw new Error('price passed validation but is not a decimal');
    const result = await this.dataSource.transaction(async (tx): Promise<IssuanceResult> => {
      if (idempotencyKey) {
        const hash = requestHash({ ...dto, price });
        const claim = await this.idempotency.claim<IssuanceResponseDto>(
          tx,
          context.principal.sub,
          idempotencyKey,
          hash,
        );
        if (claim.kind === 'replay') return { issuance: claim.response, replayed: true };
      }
      const issuance = await this.record(tx, dto, price, context);
      if (idempotencyKey)
        await this.idempotency.complete(tx, context.principal.sub, idempotencyKey, issuance);
      return { issuance, replayed: false };
    });
    if (!result.replayed) this.metrics.issuancesCreated.inc();
    return result;
  }

  private async record(
    tx: EntityManager,
    dto: CreateIssuanceDto,
    price: string,
    context: ActionContext,
  ): Promise<IssuanceResponseDto> {
    await this.shareholders.requireHolder(tx, dto.shareholder_id);
    const currency = dto.currency ?? (await this.company.find(tx))?.defaultCurrency;
    if (!currency)
      throw new CompanyNotConfiguredError(
        'No currency given and no company default: PUT /api/company or pass currency.',
      );
    const classId = dto.share_class_id ?? (await this.shareClasses.defaultClassId(tx));
    const shareClass = await this.shareClasses.require(tx, classId);
    if (
      shareCount(shareClass.issuedShares) + dto.number_of_shares >
      shareCount(shareClass.authorizedShares)
    ) {
      throw this.exceeded(shareClass, dto.number_of_shares);
    }

    const issuance = tx.create(Issuance, {
      id: randomUUID(),
      shareholderId: dto.shareholder_id,
      shareClassId: classId,
      numberOfShares: String(dto.number_of_shares),
      price,
      totalAmount: totalAmount(dto.number_of_shares, price),
      currency,
      date: dto.date ?? todayUtc(),
      certificateNumber: null,
      createdBySub: context.principal.sub,
      createdBy: context.principal.actorName,
      requestId: context.meta.requestId,
    });
    const inserted = await tx.insert(Issuance, issuance);
    Object.assign(issuance, inserted.generatedMaps[0]);
    await this.outbox.publish(
      tx,
      {
        type: 'issuance.created',
        aggregateType: 'issuance',
        aggregateId: issuance.id,
        payload: { before: null, after: issuanceSnapshot(issuance) },
      },
      context,
    );
    await this.raiseIssuedShares(tx, shareClass, dto.number_of_shares);
    return toIssuanceResponse(issuance);
  }

  /**
   * The authorized-shares rule, enforced atomically as the transaction's last statement: the class
   * row is locked only from here to the commit. Concurrent issuances queue on that row and each
   * re-checks the condition against the total the previous one committed; the check constraint
   * ck_share_class_issued_within_authorized stays as the backstop.
   */
  private async raiseIssuedShares(
    tx: EntityManager,
    shareClass: ShareClass,
    requested: number,
  ): Promise<void> {
    const [raised] = await tx.query<[unknown[], number]>(
      `UPDATE share_class SET issued_shares = issued_shares + $2
        WHERE id = $1 AND issued_shares + $2 <= authorized_shares
      RETURNING issued_shares`,
      [shareClass.id, requested],
    );
    if (raised.length === 0) {
      throw this.exceeded(await this.shareClasses.require(tx, shareClass.id), requested);
    }
  }

  private exceeded(shareClass: ShareClass, requested: number): AuthorizedSharesExceededError {
    return new AuthorizedSharesExceededError(shareClass.name, {
      authorized: shareCount(shareClass.authorizedShares),
      issued: shareCount(shareClass.issuedShares),
      requested,
    });
  }

  /**
   * The hottest read of the API, so one plain statement: the row, and whether its holder is linked
   * to the caller. Only a caller not linked yet goes on to the resolver (which may link them).
   */
  async findOne(id: string, context: ActionContext): Promise<IssuanceResponseDto> {
    const [row] = await this.dataSource.query<IssuanceRow[]>(FIND_ISSUANCE_SQL, [
      id,
      context.principal.sub,
    ]);
    if (!row) throw new IssuanceNotFoundError(id);
    if (!row.held_by_caller && !hasAnyRole(context.principal, [Role.Admin, Role.Auditor])) {
      const own = await this.shareholders.ownShareholderId(context);
      if (own !== row.shareholder_id)
        throw new ForbiddenError('This issuance belongs to another shareholder.');
    }
    return toIssuanceResponse(issuanceFromRow(row));
  }

  /** Admins and auditors see every issuance; anyone else only their own holdings. */
  async list(query: IssuanceQueryDto, context: ActionContext): Promise<Page<IssuanceResponseDto>> {
    let shareholderId = query.shareholder_id;
    if (!hasAnyRole(context.principal, [Role.Admin, Role.Auditor])) {
      const own = await this.shareholders.ownShareholderId(context);
      if (!own || (shareholderId !== undefined && shareholderId !== own))
        return { items: [], total: 0 };
      shareholderId = own;
    }
    const builder = this.dataSource.manager.createQueryBuilder(Issuance, 'i');
    if (shareholderId) builder.andWhere('i.shareholder_id = :shareholderId', { shareholderId });
    if (query.share_class_id)
      builder.andWhere('i.share_class_id = :classId', { classId: query.share_class_id });
    if (query.from) builder.andWhere('i.date >= :from', { from: query.from });
    if (query.to) builder.andWhere('i.date <= :to', { to: query.to });
    const [rows, total] = await builder
      .orderBy('i.date', 'DESC')
      .addOrderBy('i.created_at', 'DESC')
      .addOrderBy('i.id', 'ASC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    return { items: rows.map(toIssuanceResponse), total };
  }
}
