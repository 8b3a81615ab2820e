import { Injectable } from '@nestjs/common';
import { ForbiddenError } from '../core/auth/auth.errors';
import { hasAnyRole, Principal } from '../core/auth/principal';
import { Role } from '../core/auth/role.enum';
import type { ActionContext } from '../core/http/action-context';
import { OwnShareholderResolver } from './own-shareholder.resolver';

/** Admins and auditors read every holder's rows; anyone else only their own linked holder's (possibly none). */
export type HolderScope = { all: true } | { all: false; shareholderId: string | null };

/** The roles that read every holder's rows. Any other role, or none, reads only its own. */
const READS_ALL: readonly Role[] = [Role.Admin, Role.Auditor];

const readsAll = (principal: Principal): boolean => hasAnyRole(principal, READS_ALL);

/**
 * The row-level rule of every module that shows holders' data (records, issuances, certificates,
 * cap table rows): deny by default. A caller who is neither admin nor auditor sees only the rows
 * of the holder linked to their login, which OwnShareholderResolver finds (and may link on first
 * access by verified email); a caller without one sees nothing.
 */
@Injectable()
export class HolderAccess {
  constructor(private readonly own: OwnShareholderResolver) {}

  /** Whose rows the caller may read; admins and auditors need no lookup. */
  async scope(context: ActionContext): Promise<HolderScope> {
    if (readsAll(context.principal)) return { all: true };
    const own = await this.own.resolve(context);
    return { all: false, shareholderId: own?.id ?? null };
  }

  /**
   * Whether the caller may read rows of the holder `shareholderId`. `linkedUserId`, when the caller
   * already knows whom that holder is linked to (a cached row), answers a match with the caller's
   * `sub` without a lookup; anything else resolves the caller's own holder and compares.
   */
  async maySee(
    context: ActionContext,
    shareholderId: string,
    linkedUserId?: string | null,
  ): Promise<boolean> {
    const { principal } = context;
    if (readsAll(principal)) return true;
    if (linkedUserId && linkedUserId === principal.sub) return true;
    const own = await this.own.resolve(context);
    return own !== null && own.id === shareholderId;
  }

  /** As maySee; a denial throws ForbiddenError with `message`. */
  async assertMaySee(
    context: ActionContext,
    shareholderId: string,
    message: string,
    linkedUserId?: string | null,
  ): Promise<void> {
    if (!(await this.maySee(context, shareholderId, linkedUserId))) {
      throw new ForbiddenError(message);
    }
  }
}
