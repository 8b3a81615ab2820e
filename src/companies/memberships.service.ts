import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Database } from '../core/db/database.service';
import { DomainError } from '../core/errors/domain-error';
import type { ActionContext } from '../core/http/action-context';
import { CompanyContext } from '../core/tenancy/company-context';
import { OutboxService } from '../events';
import type { EventMap, MemberSnapshot } from '../events';
import { CompanyAccessService } from './company-access.service';
import { CompanyMember } from './company-member.entity';
import { LastAdminError, MemberNotFoundError } from './companies.errors';
import type { CreateMemberDto, MemberResponseDto, UpdateMemberDto } from './dto/member.dto';
import { MembershipsRepository } from './persistence/memberships.repository';

export function memberSnapshot(member: CompanyMember): MemberSnapshot {
  return {
    id: member.id,
    role: member.role,
    sub: member.sub,
    client_id: member.clientId,
    email: member.email,
    expires_at: member.expiresAt?.toISOString() ?? null,
  };
}

export function toMemberResponse(member: CompanyMember, now = Date.now()): MemberResponseDto {
  const ended = member.expiresAt !== null && member.expiresAt.getTime() <= now;
  return {
    ...memberSnapshot(member),
    role: member.role,
    company_id: member.companyId ?? CompanyContext.require(),
    status: ended ? 'ended' : member.sub === null && member.email !== null ? 'invited' : 'active',
    version: member.version,
    created_at: member.createdAt.toISOString(),
    updated_at: member.updatedAt.toISOString(),
  };
}

const isLiveAdmin = (member: CompanyMember, now: number): boolean =>
  member.role === 'admin' && (member.expiresAt === null || member.expiresAt.getTime() > now);

/** A principal named once: exactly one of sub, client_id, email. */
function principalOf(dto: CreateMemberDto): Pick<CompanyMember, 'sub' | 'clientId' | 'email'> {
  const given = [dto.sub, dto.client_id, dto.email].filter((value) => value !== undefined);
  if (given.length !== 1) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'Name the member by exactly one of sub, client_id or email.',
      {
        errors: ['sub', 'client_id', 'email'].map((field) => ({
          field,
          messages: ['exactly one of sub, client_id and email is required'],
        })),
      },
    );
  }
  return { sub: dto.sub ?? null, clientId: dto.client_id ?? null, email: dto.email ?? null };
}

/**
 * The current company's members (company admins manage them). Every change is one transaction with
 * its event, so the audit log records who gave or took which access. The company keeps at least
 * one admin: a change that would leave it none is refused (409), with the company's admin rows
 * locked so that concurrent changes cannot each remove "another" admin.
 */
@Injectable()
export class MembershipsService {
  constructor(
    private readonly db: Database,
    private readonly repository: MembershipsRepository,
    private readonly outbox: OutboxService,
    private readonly access: CompanyAccessService,
  ) {}

  async list(): Promise<MemberResponseDto[]> {
    const now = Date.now();
    return (await this.repository.list()).map((member) => toMemberResponse(member, now));
  }

  async get(id: string): Promise<MemberResponseDto> {
    const member = await this.db.read((m) => this.repository.find(m, id));
    if (!member) throw new MemberNotFoundError(id);
    return toMemberResponse(member);
  }

  async add(dto: CreateMemberDto, context: ActionContext): Promise<MemberResponseDto> {
    const member = Object.assign(new CompanyMember(), {
      id: randomUUID(),
      role: dto.role,
      ...principalOf(dto),
      expiresAt: dto.expires_at ? new Date(dto.expires_at) : null,
      version: 1,
      createdBy: context.principal.actorName,
    });
    const saved = await this.db.transaction(async (tx) => {
      await this.repository.insert(tx, member);
      const inserted = await this.mustFind(tx, member.id);
      await this.publish(
        tx,
        'member.added',
        { before: null, after: memberSnapshot(inserted) },
        context,
      );
      return inserted;
    });
    this.access.forget();
    return toMemberResponse(saved);
  }

  async update(
    id: string,
    dto: UpdateMemberDto,
    context: ActionContext,
  ): Promise<MemberResponseDto> {
    const saved = await this.db.transaction(async (tx) => {
      const admins = await this.repository.lockAdmins(tx);
      const current = await this.mustFind(tx, id, true);
      const next = {
        role: dto.role ?? current.role,
        expiresAt:
          dto.expires_at === undefined
            ? current.expiresAt
            : dto.expires_at === null
              ? null
              : new Date(dto.expires_at),
      };
      const changed = changedFields(current, next);
      if (changed.length === 0) return current;
      this.keepAnAdmin(admins, current, { ...current, ...next });
      await this.repository.update(tx, id, { ...next, version: current.version + 1 });
      const after = await this.mustFind(tx, id);
      await this.publish(
        tx,
        'member.updated',
        { before: memberSnapshot(current), after: memberSnapshot(after), changed_fields: changed },
        context,
      );
      return after;
    });
    this.access.forget();
    return toMemberResponse(saved);
  }

  async remove(id: string, context: ActionContext): Promise<void> {
    await this.db.transaction(async (tx) => {
      const admins = await this.repository.lockAdmins(tx);
      const current = await this.mustFind(tx, id, true);
      this.keepAnAdmin(admins, current, null);
      await this.repository.delete(tx, id);
      await this.publish(
        tx,
        'member.removed',
        { before: memberSnapshot(current), after: null },
        context,
      );
    });
    this.access.forget();
  }

  /** Refuses a change that leaves the company without a live admin where it had one. */
  private keepAnAdmin(
    admins: CompanyMember[],
    before: CompanyMember,
    after: CompanyMember | null,
  ): void {
    const now = Date.now();
    if (!isLiveAdmin(before, now) || (after && isLiveAdmin(after, now))) return;
    const others = admins.filter((admin) => admin.id !== before.id && isLiveAdmin(admin, now));
    if (others.length === 0) throw new LastAdminError();
  }

  private async mustFind(tx: EntityManager, id: string, lock = false): Promise<CompanyMember> {
    const member = await this.repository.find(tx, id, lock);
    if (!member) throw new MemberNotFoundError(id);
    return member;
  }

  private publish<K extends 'member.added' | 'member.updated' | 'member.removed'>(
    tx: EntityManager,
    type: K,
    payload: EventMap[K],
    context: ActionContext,
  ): Promise<string> {
    const id = (payload.after ?? payload.before)?.id ?? '';
    return this.outbox.publish(
      tx,
      { type, aggregateType: 'company_member', aggregateId: id, payload },
      context,
    );
  }
}

function changedFields(
  current: CompanyMember,
  next: { role: CompanyMember['role']; expiresAt: Date | null },
): string[] {
  const fields: string[] = [];
  if (next.role !== current.role) fields.push('role');
  if ((next.expiresAt?.getTime() ?? null) !== (current.expiresAt?.getTime() ?? null))
    fields.push('expires_at');
  return fields;
}
