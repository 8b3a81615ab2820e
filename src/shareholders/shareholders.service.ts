import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { hasAnyRole, Principal } from '../core/auth/principal';
import { Role } from '../core/auth/role.enum';
import { ForbiddenError } from '../core/auth/auth.errors';
import { isUniqueViolation } from '../core/db/pg-errors';
import type { ActionContext } from '../core/http/action-context';
import type { Page } from '../core/http/pagination';
import {
  CreateShareholderDto,
  ShareholderQueryDto,
  ShareholderResponseDto,
  ShareholderVersionDto,
  UpdateShareholderDto,
} from './dto/shareholder.dto';
import { Shareholder, ShareholderType } from './shareholder.entity';
import {
  changedFields,
  profileValues,
  SensitiveFields,
  snapshotOf,
  toShareholderResponse,
} from './shareholder-profile';
import { ShareholderVersion } from './shareholder-version.entity';
import { ShareholderChangeRecorder } from './shareholder-change-recorder';
import { ShareholderVault } from './shareholder-vault.service';
import {
  ShareholderEmailTakenError,
  ShareholderNotFoundError,
  ShareholderUserTakenError,
} from './shareholders.errors';
import { SHAREHOLDER_HOLDINGS, ShareholderHoldingsReader } from './shareholder-holdings.port';
import { OwnShareholderResolver } from './own-shareholder.resolver';

const isAdmin = (principal: Principal) => principal.roles.includes(Role.Admin);
const canReadAll = (principal: Principal) => hasAnyRole(principal, [Role.Admin, Role.Auditor]);

@Injectable()
export class ShareholdersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly vault: ShareholderVault,
    private readonly recorder: ShareholderChangeRecorder,
    @Inject(SHAREHOLDER_HOLDINGS) private readonly holdings: ShareholderHoldingsReader,
    private readonly own: OwnShareholderResolver,
  ) {}

  async create(dto: CreateShareholderDto, context: ActionContext): Promise<ShareholderResponseDto> {
    const id = randomUUID();
    const sensitive: SensitiveFields = {
      phone: dto.phone ?? null,
      address: dto.address ?? null,
      tax_id: dto.tax_id ?? null,
    };
    return this.dataSource.transaction(async (tx) => {
      const shareholder = tx.create(Shareholder, {
        id,
        name: dto.name,
        email: dto.email,
        type: dto.type ?? ShareholderType.Individual,
        userId: dto.user_id ?? null,
        version: 1,
        ...this.vault.seal(id, sensitive),
      });
      await this.insertOrExplain(tx, shareholder, dto.email);
      const fields = changedFields(emptyProfile, profileValues(shareholder, sensitive));
      const after = snapshotOf(shareholder, sensitive);
      await this.recorder.record(
        tx,
        shareholder,
        { change: 'CREATED', fields, before: null, after },
        context,
      );
      return toShareholderResponse(shareholder, sensitive, 0, isAdmin(context.principal));
    });
  }

  async update(
    id: string,
    dto: UpdateShareholderDto,
    context: ActionContext,
  ): Promise<ShareholderResponseDto> {
    const { shareholder, sensitive } = await this.dataSource.transaction((tx) =>
      this.applyUpdate(tx, id, dto, context),
    );
    // Read once the change has committed: a second connection is never held alongside the lock.
    const totalShares = await this.totalFor(id);
    return toShareholderResponse(shareholder, sensitive, totalShares, isAdmin(context.principal));
  }

  /** Writes the changed fields and their version; the profile as it now stands. */
  private async applyUpdate(
    tx: EntityManager,
    id: string,
    dto: UpdateShareholderDto,
    context: ActionContext,
  ): Promise<{ shareholder: Shareholder; sensitive: SensitiveFields }> {
    const current = await tx.findOne(Shareholder, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!current) throw new ShareholderNotFoundError(id);
    const beforeSensitive = this.vault.reveal(current);
    const before = snapshotOf(current, beforeSensitive);
    const beforeValues = profileValues(current, beforeSensitive);
    const sensitive: SensitiveFields = {
      phone: dto.phone === undefined ? beforeSensitive.phone : dto.phone,
      address: dto.address === undefined ? beforeSensitive.address : dto.address,
      tax_id: dto.tax_id === undefined ? beforeSensitive.tax_id : dto.tax_id,
    };
    const next = tx.merge(Shareholder, tx.create(Shareholder, { ...current }), {
      name: dto.name ?? current.name,
      email: dto.email ?? current.email,
      type: dto.type ?? current.type,
      userId: dto.user_id === undefined ? current.userId : dto.user_id,
    });
    const fields = changedFields(beforeValues, profileValues(next, sensitive));
    if (fields.length === 0) return { shareholder: current, sensitive: beforeSensitive };
    next.version += 1;
    Object.assign(next, this.vault.seal(next.id, sensitive));
    await this.saveProfile(tx, next);
    const saved = await tx.findOneOrFail(Shareholder, { where: { id } });
    const after = snapshotOf(saved, sensitive);
    await this.recorder.record(tx, saved, { change: 'UPDATED', fields, before, after }, context);
    return { shareholder: saved, sensitive };
  }

  private async saveProfile(tx: EntityManager, next: Shareholder): Promise<void> {
    try {
      await tx.update(
        Shareholder,
        { id: next.id },
        {
          name: next.name,
          email: next.email,
          type: next.type,
          userId: next.userId,
          version: next.version,
          phoneEnc: next.phoneEnc,
          addressEnc: next.addressEnc,
          taxIdEnc: next.taxIdEnc,
        },
      );
    } catch (error) {
      throw this.explainUniqueViolation(error, next.email);
    }
  }

  async findOne(id: string, context: ActionContext): Promise<ShareholderResponseDto> {
    const { principal } = context;
    if (!canReadAll(principal)) {
      const own = await this.own.resolve(context);
      if (own?.id !== id)
        throw new ForbiddenError('You can only read your own shareholder record.');
    }
    const shareholder = await this.dataSource.manager.findOne(Shareholder, { where: { id } });
    if (!shareholder) throw new ShareholderNotFoundError(id);
    return this.respond(shareholder, principal);
  }

  async findMine(context: ActionContext): Promise<ShareholderResponseDto> {
    const own = await this.own.resolve(context);
    if (!own) throw new ShareholderNotFoundError();
    return this.respond(own, context.principal);
  }

  async list(
    query: ShareholderQueryDto,
    principal: Principal,
  ): Promise<Page<ShareholderResponseDto>> {
    const builder = this.dataSource.manager.createQueryBuilder(Shareholder, 's');
    const like = (value: string) => `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    if (query.q) builder.andWhere('(s.name ILIKE :q OR s.email ILIKE :q)', { q: like(query.q) });
    if (query.name) builder.andWhere('s.name ILIKE :name', { name: like(query.name) });
    if (query.email) builder.andWhere('s.email ILIKE :email', { email: like(query.email) });
    const [rows, total] = await builder
      .orderBy('s.name', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    const totals = await this.totalsFor(rows.map((r) => r.id));
    const items = rows.map((row) =>
      toShareholderResponse(
        row,
        this.vault.reveal(row),
        totals.get(row.id) ?? 0,
        isAdmin(principal),
      ),
    );
    return { items, total };
  }

  /** Every holder with full details, for the admin export. */
  async exportAll(principal: Principal): Promise<ShareholderResponseDto[]> {
    const rows = await this.dataSource.manager.find(Shareholder, {
      order: { name: 'ASC', id: 'ASC' },
    });
    const totals = await this.totalsFor(rows.map((r) => r.id));
    return rows.map((row) =>
      toShareholderResponse(
        row,
        this.vault.reveal(row),
        totals.get(row.id) ?? 0,
        isAdmin(principal),
      ),
    );
  }

  async history(id: string): Promise<ShareholderVersionDto[]> {
    const exists = await this.dataSource.manager.exists(Shareholder, { where: { id } });
    if (!exists) throw new ShareholderNotFoundError(id);
    const versions = await this.dataSource.manager.find(ShareholderVersion, {
      where: { shareholderId: id },
      order: { version: 'ASC' },
    });
    return versions.map((v) => ({
      version: v.version,
      change: v.change,
      changed_fields: v.changedFields,
      before: v.before,
      after: v.after,
      changed_by: v.actorName,
      changed_by_sub: v.actorSub,
      changed_at: v.changedAt.toISOString(),
      request_id: v.requestId,
    }));
  }

  /** The caller's own shareholder id, or null: the row-level filter of other modules. */
  async ownShareholderId(context: ActionContext): Promise<string | null> {
    return (await this.own.resolve(context))?.id ?? null;
  }

  private async respond(
    shareholder: Shareholder,
    principal: Principal,
  ): Promise<ShareholderResponseDto> {
    const total = await this.totalFor(shareholder.id);
    return toShareholderResponse(
      shareholder,
      this.vault.reveal(shareholder),
      total,
      isAdmin(principal),
    );
  }

  /** Share totals from the issuance ledger (through its port); none asked, none read. */
  private async totalsFor(ids: string[]): Promise<Map<string, number>> {
    return ids.length === 0 ? new Map() : this.holdings.totalsFor(ids);
  }

  private async totalFor(id: string): Promise<number> {
    return (await this.totalsFor([id])).get(id) ?? 0;
  }

  private async insertOrExplain(
    tx: EntityManager,
    shareholder: Shareholder,
    email: string,
  ): Promise<void> {
    try {
      const result = await tx.insert(Shareholder, shareholder);
      Object.assign(shareholder, result.generatedMaps[0]);
    } catch (error) {
      throw this.explainUniqueViolation(error, email);
    }
  }

  private explainUniqueViolation(error: unknown, email: string): unknown {
    if (isUniqueViolation(error, 'uq_shareholder_email_lower'))
      return new ShareholderEmailTakenError(email);
    if (isUniqueViolation(error, 'uq_shareholder_user_id')) return new ShareholderUserTakenError();
    return error;
  }
}

const emptyProfile = {
  name: '',
  email: '',
  type: '',
  user_id: null,
  phone: null,
  address: null,
  tax_id: null,
};
