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
import { OUTBOX_INSERT_COLUMNS, OutboxService } from '../events/outbox.service';
import { ShareholderNotFoundError } from '../shareholders/shareholders.errors';
import { ShareholdersService } from '../shareholders/shareholders.service';
import { isForeignKeyViolation } from '../core/db/pg-errors';
import { plainQuery } from '../core/db/plain-query';
import { CompanyService } from './company.service';
import { CreateIssuanceDto, IssuanceQueryDto, IssuanceResponseDto } from './dto/issuance.dto';
import { IdempotencyService, requestHash } from './idempotency.service';
import { Issuance } from './issuance.entity';
import { IssuanceReadCache } from './issuance-read-cache';
import { issuanceSnapshot, toIssuanceResponse } from './issuance-views';
import {
  AuthorizedSharesExceededError,
  CommonClassMissingError,
  CompanyNotConfiguredError,
  IssuanceNotFoundError,
  ShareClassNotFoundError,
} from './issuances.errors';
import { canonicalDecimal, shareCount, totalAmount } from '../core/money/money';
import { ShareClass } from './share-class.entity';
import { ShareClassesService } from './share-classes.service';

interface IssueTargetRow {
  holder_found: boolean;
  class_id: string | null;
  default_currency: string | null;
}

/**
 * What an issuance refers to, in one round trip: whether the holder exists, the class (the one
 * asked for, else the oldest COMMON class) and the company's default currency.
 */
const ISSUE_TARGET_SQL = `
  SELECT EXISTS (SELECT 1 FROM shareholder WHERE id = $1) AS holder_found,
         c.id AS class_id,
         (SELECT default_currency FROM company WHERE singleton) AS default_currency
    FROM (SELECT coalesce($2::uuid, (SELECT id FROM share_class WHERE type = 'COMMON'
                                      ORDER BY created_at, id LIMIT 1)) AS id) wanted
    LEFT JOIN share_class c ON c.id = wanted.id`;

/**
 * The issuance, its event and the class total in one statement. The class total is raised only
 * while it stays within the authorized shares; the row lock that takes lasts to the end of the
 * statement (or of the idempotency transaction), and concurrent issuances re-check the condition
 * against the committed total. No row comes back when the authorized shares would be exceeded;
 * nothing is written then. The check constraint ck_share_class_issued_within_authorized stays as
 * the backstop.
 */
const ISSUE_SQL = `
  WITH raised AS (
    UPDATE share_class SET issued_shares = issued_shares + $4::bigint
     WHERE id = $3 AND issued_shares + $4::bigint <= authorized_shares
    RETURNING id
  ), inserted AS (
    INSERT INTO issuance (id, shareholder_id, share_class_id, number_of_shares, price, total_amount,
                          currency, date, created_by_sub, created_by, request_id)
    SELECT $1, $2, raised.id, $4::bigint, $5::numeric, $6::numeric, $7, $8::date, $9, $10, $11
      FROM raised
    RETURNING created_at
  ), published AS (
    INSERT INTO outbox_event (${OUTBOX_INSERT_COLUMNS})
    SELECT $12, $13, $14, $15, $16::jsonb, $17::jsonb, $18, $19 FROM inserted
    RETURNING id
  )
  SELECT inserted.created_at FROM inserted, published`;

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
  holder_user_id: string | null;
}

const FIND_ISSUANCE_SQL = `
  SELECT i.id, i.shareholder_id, i.share_class_id, i.number_of_shares::text AS number_of_shares,
         i.price::text AS price, i.total_amount::text AS total_amount, i.currency,
         to_char(i.date, 'YYYY-MM-DD') AS date, i.certificate_number, i.created_at,
         i.created_by_sub, i.created_by, i.request_id, s.user_id AS holder_user_id
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

/** Runs one statement in the transaction at hand, or on the pool (prepared under `name`). */
type StatementRunner = (text: string, values: unknown[], name: string) => Promise<unknown[]>;

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
    private readonly readCache: IssuanceReadCache,
  ) {}

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
      ? await this.dataSource.transaction(async (tx): Promise<IssuanceResult> => {
          const hash = requestHash({ ...dto, price });
          const claim = await this.idempotency.claim<IssuanceResponseDto>(
            tx,
            context.principal.sub,
            idempotencyKey,
            hash,
          );
          if (claim.kind === 'replay') return { issuance: claim.response, replayed: true };
          const issuance = await this.record(
            tx,
            (text, values) => tx.query(text, values),
            dto,
            price,
            context,
          );
          await this.idempotency.complete(tx, context.principal.sub, idempotencyKey, issuance);
          return { issuance, replayed: false };
        })
      : {
          issuance: await this.record(
            this.dataSource.manager,
            // Outside a transaction the two statements are prepared once per connection.
            (text, values, name) => plainQuery(this.dataSource, text, values, name),
            dto,
            price,
            context,
          ),
          replayed: false,
        };
    if (!result.replayed) {
      this.outbox.committed();
      this.metrics.issuancesCreated.inc();
    }
    return result;
  }

  /** Two round trips: what the request refers to, then the write (see ISSUE_SQL). */
  private async record(
    manager: EntityManager,
    query: StatementRunner,
    dto: CreateIssuanceDto,
    price: string,
    context: ActionContext,
  ): Promise<IssuanceResponseDto> {
    const [target] = (await query(
      ISSUE_TARGET_SQL,
      [dto.shareholder_id, dto.share_class_id ?? null],
      'issuance_target',
    )) as IssueTargetRow[];
    if (!target?.holder_found) throw new ShareholderNotFoundError(dto.shareholder_id);
    const currency = dto.currency ?? target.default_currency;
    if (!currency)
      throw new CompanyNotConfiguredError(
        'No currency given and no company default: PUT /api/company or pass currency.',
      );
    if (!target.class_id) {
      throw dto.share_class_id
        ? new ShareClassNotFoundError(dto.share_class_id)
        : new CommonClassMissingError();
    }

    const issuance: Issuance = {
      id: randomUUID(),
      shareholderId: dto.shareholder_id,
      shareClassId: target.class_id,
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
    };
    const event = this.outbox.values(
      {
        type: 'issuance.created',
        aggregateType: 'issuance',
        aggregateId: issuance.id,
        payload: { before: null, after: issuanceSnapshot(issuance) },
      },
      context,
    );
    let written: Array<{ created_at: Date }>;
    try {
      written = (await query(
        ISSUE_SQL,
        [
          issuance.id,
          issuance.shareholderId,
          issuance.shareClassId,
          issuance.numberOfShares,
          issuance.price,
          issuance.totalAmount,
          issuance.currency,
          issuance.date,
          issuance.createdBySub,
          issuance.createdBy,
          issuance.requestId,
          ...event.values,
        ],
        'issuance_insert',
      )) as Array<{ created_at: Date }>;
    } catch (error) {
      // The holder was removed between the two statements.
      if (isForeignKeyViolation(error, 'fk_issuance_shareholder'))
        throw new ShareholderNotFoundError(dto.shareholder_id);
      throw error;
    }
    const [row] = written;
    if (!row) {
      throw this.exceeded(
        await this.shareClasses.require(manager, target.class_id),
        dto.number_of_shares,
      );
    }
    issuance.createdAt = row.created_at;
    return toIssuanceResponse(issuance);
  }

  private exceeded(shareClass: ShareClass, requested: number): AuthorizedSharesExceededError {
    return new AuthorizedSharesExceededError(shareClass.name, {
      authorized: shareCount(shareClass.authorizedShares),
      issued: shareCount(shareClass.issuedShares),
      requested,
    });
  }

  /**
   * The hottest read of the API: from the read cache when it holds the issuance (and, for a
   * holder, whom it is linked to), else one prepared statement that also returns the holder's
   * linked user. Only a caller not linked yet goes on to the resolver (which may link them).
   */
  async findOne(id: string, context: ActionContext): Promise<IssuanceResponseDto> {
    const { principal } = context;
    const readsAll = hasAnyRole(principal, [Role.Admin, Role.Auditor]);
    const cached = this.readCache.issuance(id);
    if (cached && (readsAll || this.readCache.holderUser(cached.shareholderId) === principal.sub)) {
      return cached.response;
    }
    const generation = this.readCache.generation;
    const [row] = await plainQuery<IssuanceRow>(
      this.dataSource,
      FIND_ISSUANCE_SQL,
      [id],
      'issuance_find',
    );
    if (!row) throw new IssuanceNotFoundError(id);
    const response = toIssuanceResponse(issuanceFromRow(row));
    this.readCache.store(generation, response, row.shareholder_id, row.holder_user_id);
    if (!readsAll && row.holder_user_id !== principal.sub) {
      const own = await this.shareholders.ownShareholderId(context);
      if (own !== row.shareholder_id)
        throw new ForbiddenError('This issuance belongs to another shareholder.');
    }
    return response;
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
