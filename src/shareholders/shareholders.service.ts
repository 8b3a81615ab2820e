import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../core/auth/principal';
import { Role } from '../core/auth/role.enum';
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
import type { ShareholderVersion } from './shareholder-version.entity';
import { ShareholderChangeRecorder } from './shareholder-change-recorder';
import { ShareholderVault } from './shareholder-vault.service';
import { ShareholderNotFoundError } from './shareholders.errors';
import { SHAREHOLDER_HOLDINGS, ShareholderHoldingsReader } from './shareholder-holdings.port';
import { HolderAccess } from './holder-access';
import { OwnShareholderResolver } from './own-shareholder.resolver';
import { ExportHolderRow, ShareholdersRepository } from './shareholders.repository';

const isAdmin = (principal: Principal) => principal.roles.includes(Role.Admin);

@Injectable()
export class ShareholdersService {
  constructor(
    private readonly repository: ShareholdersRepository,
    private readonly vault: ShareholderVault,
    private readonly recorder: ShareholderChangeRecorder,
    @Inject(SHAREHOLDER_HOLDINGS) private readonly holdings: ShareholderHoldingsReader,
    private readonly own: OwnShareholderResolver,
    private readonly access: HolderAccess,
  ) {}

  /**
   * The companies where this person (their `sub`, and their email when verified) is a holder of
   * record, across the deployment.
   */
  companiesHolding(sub: string | null, verifiedEmail: string | null): Promise<string[]> {
    return this.repository.companiesHolding(sub, verifiedEmail);
  }

  /** The holders of the company with these emails (any case): id by lower-cased email. */
  idsByEmail(emails: readonly string[]): Promise<Map<string, string>> {
    return this.repository.idsByEmail(emails);
  }

  async create(dto: CreateShareholderDto, context: ActionContext): Promise<ShareholderResponseDto> {
    return this.repository.transaction((tx) => this.createWithin(tx, dto, context));
  }

  /**
   * Creates a holder inside the caller's transaction `tx` (a bulk import, many holders in one
   * transaction): the same record, version and event as POST /api/shareholders/.
   */
  async createWithin(
    tx: EntityManager,
    dto: CreateShareholderDto,
    context: ActionContext,
  ): Promise<ShareholderResponseDto> {
    const id = randomUUID();
    const sensitive: SensitiveFields = {
      phone: dto.phone ?? null,
      address: dto.address ?? null,
      tax_id: dto.tax_id ?? null,
    };
    const shareholder = await this.repository.insert(tx, {
      id,
      name: dto.name,
      email: dto.email,
      type: dto.type ?? ShareholderType.Individual,
      userId: dto.user_id ?? null,
      version: 1,
      ...this.vault.seal(id, sensitive),
    });
    const fields = changedFields(emptyProfile, profileValues(shareholder, sensitive));
    const after = snapshotOf(shareholder, sensitive);
    await this.recorder.record(
      tx,
      shareholder,
      { change: 'CREATED', fields, before: null, after },
      context,
    );
    return toShareholderResponse(shareholder, sensitive, 0, isAdmin(context.principal));
  }

  async update(
    id: string,
    dto: UpdateShareholderDto,
    context: ActionContext,
  ): Promise<ShareholderResponseDto> {
    const { shareholder, sensitive } = await this.repository.transaction((tx) =>
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
    const current = await this.repository.lockById(tx, id);
    if (!current) throw new ShareholderNotFoundError(id);
    const beforeSensitive = this.vault.reveal(current);
    const sensitive: SensitiveFields = {
      phone: dto.phone === undefined ? beforeSensitive.phone : dto.phone,
      address: dto.address === undefined ? beforeSensitive.address : dto.address,
      tax_id: dto.tax_id === undefined ? beforeSensitive.tax_id : dto.tax_id,
    };
    const next: Shareholder = {
      ...current,
      name: dto.name ?? current.name,
      email: dto.email ?? current.email,
      type: dto.type ?? current.type,
      userId: dto.user_id === undefined ? current.userId : dto.user_id,
    };
    const fields = changedFields(
      profileValues(current, beforeSensitive),
      profileValues(next, sensitive),
    );
    if (fields.length === 0) return { shareholder: current, sensitive: beforeSensitive };
    await this.repository.updateProfile(tx, id, {
      ...next,
      version: current.version + 1,
      ...this.vault.seal(id, sensitive),
    });
    const saved = await this.repository.reload(tx, id);
    const before = snapshotOf(current, beforeSensitive);
    const after = snapshotOf(saved, sensitive);
    await this.recorder.record(tx, saved, { change: 'UPDATED', fields, before, after }, context);
    return { shareholder: saved, sensitive };
  }

  async findOne(id: string, context: ActionContext): Promise<ShareholderResponseDto> {
    await this.access.assertMaySee(context, id, 'You can only read your own shareholder record.');
    const shareholder = await this.repository.findById(id);
    if (!shareholder) throw new ShareholderNotFoundError(id);
    return this.respond(shareholder, context.principal);
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
    const { rows, total } = await this.repository.page(query);
    return { items: await this.responses(rows, principal), total };
  }

  /** Every holder with full details, for the admin export. */
  async exportAll(principal: Principal): Promise<ShareholderResponseDto[]> {
    return this.responses(await this.repository.all(), principal);
  }

  async history(id: string): Promise<ShareholderVersionDto[]> {
    if (!(await this.repository.exists(id))) throw new ShareholderNotFoundError(id);
    return (await this.repository.versions(id)).map(toVersionResponse);
  }

  /** Every holder as an OCF export reads it, in the export's snapshot transaction `tx`. */
  forExport(tx: EntityManager): Promise<ExportHolderRow[]> {
    return this.repository.forExport(tx);
  }

  /** Gives holders the OCF ids they came in with (an import, inside its unit of work). */
  recordOcfIds(rows: Array<{ id: string; ocfId: string }>): Promise<void> {
    return this.repository.recordOcfIds(rows);
  }

  private async respond(
    shareholder: Shareholder,
    principal: Principal,
  ): Promise<ShareholderResponseDto> {
    const [response] = await this.responses([shareholder], principal);
    return response;
  }

  private async responses(
    rows: Shareholder[],
    principal: Principal,
  ): Promise<ShareholderResponseDto[]> {
    const totals = await this.totalsFor(rows.map((row) => row.id));
    return rows.map((row) =>
      toShareholderResponse(
        row,
        this.vault.reveal(row),
        totals.get(row.id) ?? 0,
        isAdmin(principal),
      ),
    );
  }

  /** Share totals from the issuance ledger (through its port); none asked, none read. */
  private async totalsFor(ids: string[]): Promise<Map<string, number>> {
    return ids.length === 0 ? new Map() : this.holdings.totalsFor(ids);
  }

  private async totalFor(id: string): Promise<number> {
    return (await this.totalsFor([id])).get(id) ?? 0;
  }
}

function toVersionResponse(v: ShareholderVersion): ShareholderVersionDto {
  return {
    version: v.version,
    change: v.change,
    changed_fields: v.changedFields,
    before: v.before,
    after: v.after,
    changed_by: v.actorName,
    changed_by_sub: v.actorSub,
    changed_at: v.changedAt.toISOString(),
    request_id: v.requestId,
  };
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
