import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { OutboxRunnerData, OutboxService } from './outbox.service';

/**
 * Wakes the outbox relays when a transaction that wrote outbox events has committed (the
 * outermost commit, not a savepoint's release).
 */
@Injectable()
export class OutboxCommitSubscriber implements EntitySubscriberInterface {
  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {
    dataSource.subscribers.push(this);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const data = event.queryRunner.data as OutboxRunnerData;
    if (!data.outboxWritten || event.queryRunner.isTransactionActive) return;
    data.outboxWritten = false;
    this.outbox.committed();
  }
}
