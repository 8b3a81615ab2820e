import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ActionContext } from '../core/http/action-context';
import type { Shareholder } from './shareholder.entity';
import { ShareholderChangeRecorder } from './shareholder-change-recorder';
import { snapshotOf } from './shareholder-profile';
import { ShareholderVault } from './shareholder-vault.service';
import { ShareholdersRepository } from './shareholders.repository';

/**
 * Finds the shareholder record of the caller: the one whose `user_id` is the token's `sub`. If none
 * is linked yet, the unlinked record whose email equals the token's verified email is linked on
 * first access (recorded as a LINKED version). Anyone else gets nothing, never another's record.
 */
@Injectable()
export class OwnShareholderResolver {
  constructor(
    private readonly repository: ShareholdersRepository,
    private readonly recorder: ShareholderChangeRecorder,
    private readonly vault: ShareholderVault,
  ) {}

  async resolve(context: ActionContext): Promise<Shareholder | null> {
    const { principal } = context;
    const linked = await this.repository.findByUser(principal.sub);
    if (linked) return linked;
    if (!principal.email || !principal.emailVerified || principal.serviceAccount) return null;
    const email = principal.email;
    const claimed = await this.repository.transaction((tx) => this.claim(tx, email, context));
    // A concurrent first access may have linked the record between our two reads.
    return claimed ?? this.repository.findByUser(principal.sub);
  }

  /** Links the unlinked record with the verified email to the caller, if there is one. */
  private async claim(
    tx: EntityManager,
    email: string,
    context: ActionContext,
  ): Promise<Shareholder | null> {
    const candidate = await this.repository.lockUnlinkedByEmail(tx, email);
    if (!candidate) return null;
    const sensitive = this.vault.reveal(candidate);
    const before = snapshotOf(candidate, sensitive);
    candidate.userId = context.principal.sub;
    candidate.version += 1;
    await this.repository.linkUser(tx, candidate.id, candidate.userId, candidate.version);
    const after = snapshotOf(candidate, sensitive);
    await this.recorder.record(
      tx,
      candidate,
      { change: 'LINKED', fields: ['user_id'], before, after },
      context,
    );
    return candidate;
  }
}
