import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ActionContext } from '../core/http/action-context';
import { OutboxService, type ShareholderSnapshot } from '../events';
import type { Shareholder } from './shareholder.entity';
import type { ShareholderChange } from './shareholder-version.entity';
import { ShareholdersRepository } from './shareholders.repository';

export interface RecordedChange {
  change: ShareholderChange;
  fields: string[];
  before: ShareholderSnapshot | null;
  after: ShareholderSnapshot;
}

/** Writes a profile version and its event, in the transaction of the change itself. */
@Injectable()
export class ShareholderChangeRecorder {
  constructor(
    private readonly repository: ShareholdersRepository,
    private readonly outbox: OutboxService,
  ) {}

  async record(
    tx: EntityManager,
    shareholder: Shareholder,
    change: RecordedChange,
    context: ActionContext,
  ): Promise<void> {
    await this.repository.insertVersion(tx, {
      shareholderId: shareholder.id,
      version: shareholder.version,
      change: change.change,
      changedFields: change.fields,
      before: change.before,
      after: change.after,
      actorSub: context.principal.sub,
      actorName: context.principal.actorName,
      requestId: context.meta.requestId,
    });
    const common = { aggregateType: 'shareholder', aggregateId: shareholder.id };
    if (change.before === null) {
      await this.outbox.publish(
        tx,
        { ...common, type: 'shareholder.created', payload: { before: null, after: change.after } },
        context,
      );
    } else {
      await this.outbox.publish(
        tx,
        {
          ...common,
          type: 'shareholder.updated',
          payload: { before: change.before, after: change.after, changed_fields: change.fields },
        },
        context,
      );
    }
  }
}
