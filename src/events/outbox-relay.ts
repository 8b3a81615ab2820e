import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AppConfigService } from '../core/config/app-config.service';
import { PgNotificationListener } from '../core/db/pg-listener';
import { MetricsService } from '../core/metrics/metrics.service';
import { WakeableLoop } from '../core/scheduling/wakeable-loop';
import { CompanyContext } from '../core/tenancy/company-context';
import type { DeliveredEvent } from './delivered-event';
import { OUTBOX_CHANNEL, OutboxKey, OutboxRepository, OutboxRow } from './events.repository';
import { LeaseKeeper } from './outbox-lease';

const MAX_BACKOFF_MS = 10 * 60_000;
const RECONNECT_DELAY_MS = 2_000;

export function backoffMs(attempts: number, baseMs: number): number {
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers outbox rows to the in-process listeners (EventEmitter2), at least once. Rows are claimed
 * with FOR UPDATE SKIP LOCKED and leased until `next_attempt_at`, so relays on several instances
 * share the work and a crashed relay's rows are taken over when the lease ends. A row is marked
 * delivered only when every listener succeeded; failures are retried with exponential back-off and
 * parked as dead-lettered after OUTBOX_MAX_ATTEMPTS. One relay serves every company: each event's
 * listeners run for the event's company (CompanyContext), so what they read and write is that
 * company's.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly loop = new WakeableLoop(
    'OutboxRelay',
    () => this.deliverBatch(),
    () => this.config.get('OUTBOX_POLL_INTERVAL_MS'),
  );
  /** LISTENs for commits that wrote events, on every instance; polling covers any gap. */
  private readonly listener: PgNotificationListener;

  constructor(
    private readonly repository: OutboxRepository,
    private readonly emitter: EventEmitter2,
    private readonly config: AppConfigService,
    private readonly metrics: MetricsService,
  ) {
    this.listener = new PgNotificationListener(
      {
        connectionString: config.get('DATABASE_URL'),
        channel: OUTBOX_CHANNEL,
        applicationName: 'corporate-os-relay',
        reconnectDelayMs: RECONNECT_DELAY_MS,
      },
      { onNotification: () => this.wake() },
    );
  }

  onApplicationBootstrap(): void {
    if (!this.config.get('OUTBOX_RELAY_ENABLED')) return;
    this.loop.start();
    this.listener.start();
  }

  /** Stops claiming, lets the batch in hand finish, and closes the notification connection. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.listener.stop();
  }

  /**
   * Delivers what is pending until nothing is left or the time is up; used on shutdown, after the
   * HTTP server stopped accepting requests, so every acknowledged change has its event delivered.
   */
  async drain(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let delivered = 0;
    while (Date.now() < deadline) {
      const claimed = await this.deliverBatch();
      if (claimed === 0) break;
      delivered += claimed;
    }
    return delivered;
  }

  wake(): void {
    this.loop.wake();
  }

  /** Whether this instance delivers events (OUTBOX_RELAY_ENABLED, and not shut down). */
  get isRelaying(): boolean {
    return this.loop.isRunning;
  }

  /**
   * Claims and delivers one batch; answers how many rows it claimed. Events of one aggregate are
   * delivered one after the other, in order; different aggregates concurrently (up to
   * OUTBOX_DELIVERY_CONCURRENCY), so listeners that group their writes (GroupCommit) write a
   * whole round in one transaction.
   */
  async deliverBatch(): Promise<number> {
    const leaseMs = this.config.get('OUTBOX_LEASE_MS');
    const rows = await this.repository.claim(
      this.config.get('OUTBOX_BATCH_SIZE'),
      leaseMs,
      this.instanceId,
    );
    if (rows.length === 0) return 0;
    const companyOf = new Map(rows.map((row) => [row.id, row.company_id]));
    const keys = (ids: string[]): OutboxKey[] =>
      ids.map((id) => ({ id, companyId: companyOf.get(id) ?? '' }));
    const lease = new LeaseKeeper(
      rows.map((row) => row.id),
      leaseMs,
      (ids) => this.repository.renewLease(keys(ids), leaseMs, this.instanceId),
      (error) => this.logger.warn({ err: error }, 'Could not renew the outbox lease'),
    );
    try {
      const delivered = await this.deliverAll(rows, lease);
      if (delivered.length > 0)
        await this.repository.markDelivered(keys(delivered), this.instanceId);
    } finally {
      lease.stop();
    }
    return rows.length;
  }

  /** Delivers the claimed rows lane by lane; answers the ids every listener handled. */
  private async deliverAll(rows: OutboxRow[], lease: LeaseKeeper): Promise<string[]> {
    const delivered: string[] = [];
    const lanes = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const key = `${row.company_id}:${row.aggregate_type}:${row.aggregate_id}`;
      const lane = lanes.get(key);
      if (lane) lane.push(row);
      else lanes.set(key, [row]);
    }
    const waiting = [...lanes.values()];
    const deliverLanes = async (): Promise<void> => {
      for (let lane = waiting.shift(); lane; lane = waiting.shift()) {
        for (const row of lane) {
          if (await this.deliver(row, lease)) delivered.push(row.id);
        }
      }
    };
    // At most half the pool: listeners hold a connection each, and the API needs some too.
    const workers = Math.min(
      this.config.get('OUTBOX_DELIVERY_CONCURRENCY'),
      Math.max(1, Math.floor(this.config.get('DATABASE_POOL_SIZE') / 2)),
      waiting.length,
    );
    await Promise.all(Array.from({ length: workers }, deliverLanes));
    return delivered;
  }

  /** Runs every listener of one event; answers whether all succeeded (failures are recorded). */
  private async deliver(row: OutboxRow, lease: LeaseKeeper): Promise<boolean> {
    try {
      await CompanyContext.run(row.company_id, () =>
        this.emitter.emitAsync(row.type, toDelivered(row)),
      );
      this.metrics.outboxDeliveryLag.observe(
        (Date.now() - new Date(row.occurred_at).getTime()) / 1000,
      );
      return true;
    } catch (error) {
      lease.release(row.id);
      await this.recordFailure(row, error);
      return false;
    }
  }

  private async recordFailure(row: OutboxRow, error: unknown): Promise<void> {
    const message = (
      error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    ).slice(0, 2000);
    if (row.attempts >= this.config.get('OUTBOX_MAX_ATTEMPTS')) {
      this.logger.error(
        { eventId: row.id, type: row.type, attempts: row.attempts, err: error },
        'Outbox event dead-lettered',
      );
      await this.repository.deadLetter(keyOf(row), message, this.instanceId);
      return;
    }
    const delay = backoffMs(row.attempts, this.config.get('OUTBOX_RETRY_BASE_MS'));
    this.logger.warn(
      { eventId: row.id, type: row.type, attempts: row.attempts, retryInMs: delay, err: error },
      'Outbox delivery failed',
    );
    await this.repository.retryLater(keyOf(row), delay, message, this.instanceId);
  }
}

const keyOf = (row: OutboxRow): OutboxKey => ({ companyId: row.company_id, id: row.id });

function toDelivered(row: OutboxRow): DeliveredEvent {
  return {
    companyId: row.company_id,
    id: row.id,
    type: row.type,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    payload: row.payload,
    actor: row.actor,
    requestId: row.request_id,
    occurredAt: row.occurred_at,
  };
}
