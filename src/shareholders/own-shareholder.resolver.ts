import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ActionContext } from '../core/http/action-context';
import { Shareholder } from './shareholder.entity';
import { ShareholderChangeRecorder } from './shareholder-change-recorder';
import { snapshotOf } from './shareholder-profile';
import { ShareholderVault } from './shareholder-vault.service';

/**
 * Finds the shareholder record of the caller: the one whose `user_id` is the token's `sub`. If none
 * is linked yet, the unlinked record whose email equals the token's verified email is linked on
 * first access (recorded as a LINKED version). Anyone else gets nothing, never another's record.
 */
@Injectable()
export class OwnShareholderResolver {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly recorder: ShareholderChangeRecorder,
    private readonly vault: ShareholderVault,
  ) {}

  async resolve(context: ActionContext): Promise<Shareholder | null> {
    const { principal } = context;
    const linked = await this.dataSource.manager.findOne(Shareholder, {
      where: { userId: principal.sub },
    });
    if (linked) return linked;
    if (!principal.email || !principal.emailVerified || principal.serviceAccount) return null;
    const email = principal.email;
    const claimed = await this.dataSource.transaction(async (tx) => {
      const candidate = await tx
        .createQueryBuilder(Shareholder, 's')
        .setLock('pessimistic_write')
        .where('lower(s.email) = lower(:email)', { email })
        .andWhere('s.user_id IS NULL')
        .getOne();
      if (!candidate) return null;
      const sensitive = this.vault.reveal(candidate);
      const before = snapshotOf(candidate, sensitive);
      candidate.userId = principal.sub;
      candidate.version += 1;
      await tx.update(
        Shareholder,
        { id: candidate.id },
        { userId: candidate.userId, version: candidate.version },
      );
      const after = snapshotOf(candidate, sensitive);
      await this.recorder.record(
        tx,
        candidate,
        { change: 'LINKED', fields: ['user_id'], before, after },
        context,
      );
      return candidate;
    });
    // A concurrent first access may have linked the record between our two reads.
    return (
      claimed ?? this.dataSource.manager.findOne(Shareholder, { where: { userId: principal.sub } })
    );
  }
}
