import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { AppConfigService } from '../core/config/app-config.service';
import { MetricsService } from '../core/metrics/metrics.service';
import { WakeableLoop } from '../core/scheduling/wakeable-loop';
import type { EventActor } from '../events/outbox-event.entity';
import { backoffMs } from '../events/outbox-relay';
import { CertificateIssuer } from './certificate-issuer.service';

interface ClaimedRequest {
  issuance_id: string;
  issued_at: Date;
  attempts: number;
  actor: EventActor;
  request_id: string | null;
}

const LEASE_MS = 5 * 60_000;

/**
 * Renders queued certificates, as many at a time as the browser has pages. Requests are claimed
 * with FOR UPDATE SKIP LOCKED under a lease, so several instances share the backlog and a crashed
 * worker's requests are picked up again; the issuer guarantees one certificate per issuance.
 * Failed renders are retried with doubling back-off (capped), never dropped.
 */
@Injectable()
export class CertificateRenderWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CertificateRenderWorker.name);
  private lastQueuedAt = 0;
  private yieldingSince?: number;
  private readonly loop = new WakeableLoop(
    'CertificateRenderWorker',
    () => this.renderBatch(),
    () => this.config.get('OUTBOX_POLL_INTERVAL_MS'),
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly issuer: CertificateIssuer,
    private readonly config: AppConfigService,
    metrics: MetricsService,
  ) {
    new Gauge({
      name: 'certificate_render_backlog',
      help: 'Issuances whose certificate is queued and not rendered yet',
      registers: [metrics.registry],
      async collect() {
        const [row] = await dataSource.query<Array<{ n: string }>>(
          'SELECT count(*)::text AS n FROM certificate_request',
        );
        this.set(Number(row?.n ?? 0));
      },
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.get('CERTIFICATE_RENDER_WORKER_ENABLED')) this.loop.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** Called when certificates were queued: new issuances are coming in. */
  queued(): void {
    this.lastQueuedAt = Date.now();
    this.loop.wake();
  }

  /** Claims up to one request per page and renders them side by side; answers how many it claimed. */
  async renderBatch(): Promise<number> {
    if (this.shouldYield() || (await this.eventsAreBacklogged())) return 0;
    this.yieldingSince = undefined;
    const [requests] = await this.dataSource.query<[ClaimedRequest[], number]>(
      `UPDATE certificate_request
          SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000), attempts = attempts + 1
        WHERE issuance_id IN (SELECT r.issuance_id FROM certificate_request r
                                JOIN issuance i ON i.id = r.issuance_id
                               WHERE r.next_attempt_at <= now()
                               ORDER BY r.requested_at, i.created_at, i.id
                               LIMIT $1
                               FOR UPDATE OF r SKIP LOCKED)
      RETURNING issuance_id, attempts, actor, request_id,
                (SELECT created_at FROM issuance WHERE id = issuance_id) AS issued_at`,
      [this.config.get('CERTIFICATE_RENDER_CONCURRENCY'), LEASE_MS],
    );
    // Numbers follow the order of the issuances (one at a time, quick); the renders run side by side.
    const ordered = [...requests].sort(
      (a, b) =>
        a.issued_at.getTime() - b.issued_at.getTime() || a.issuance_id.localeCompare(b.issuance_id),
    );
    for (const request of ordered) {
      // A failure here is met again, and handled, by the render below.
      await this.issuer.reserveNumber(request.issuance_id).catch(() => undefined);
    }
    await Promise.all(requests.map((request) => this.render(request)));
    return requests.length;
  }

  /**
   * Rendering is background work and must not slow issuances down: while they keep coming (a
   * certificate was queued within CERTIFICATE_RENDER_QUIET_MS) the worker waits for a lull, though
   * never longer than CERTIFICATE_RENDER_MAX_DEFER_MS at a time, so certificates cannot starve.
   */
  private shouldYield(): boolean {
    const now = Date.now();
    if (now - this.lastQueuedAt >= this.config.get('CERTIFICATE_RENDER_QUIET_MS')) return false;
    this.yieldingSince ??= now;
    if (now - this.yieldingSince < this.config.get('CERTIFICATE_RENDER_MAX_DEFER_MS')) return true;
    this.yieldingSince = undefined;
    return false;
  }

  /** Rendering is background work: it yields while event delivery (the audit log) is behind. */
  private async eventsAreBacklogged(): Promise<boolean> {
    const limit = this.config.get('CERTIFICATE_RENDER_YIELD_BACKLOG');
    const rows = await this.dataSource.query<unknown[]>(
      // Due events, and events a relay holds for their first delivery (their lease pushed
      // next_attempt_at ahead); not events waiting out a retry back-off after a failure.
      `SELECT 1 FROM outbox_event
        WHERE delivered_at IS NULL AND dead_lettered_at IS NULL
          AND (next_attempt_at <= now() OR last_error IS NULL)
        LIMIT 1 OFFSET $1`,
      [limit],
    );
    return rows.length > 0;
  }

  private async render(request: ClaimedRequest): Promise<void> {
    try {
      await this.issuer.ensureForIssuance(request.issuance_id, {
        actor: request.actor,
        requestId: request.request_id,
      });
      await this.dataSource.query('DELETE FROM certificate_request WHERE issuance_id = $1', [
        request.issuance_id,
      ]);
    } catch (error) {
      const delay = backoffMs(request.attempts, this.config.get('OUTBOX_RETRY_BASE_MS'));
      this.logger.warn(
        {
          issuanceId: request.issuance_id,
          attempts: request.attempts,
          retryInMs: delay,
          err: error,
        },
        'Certificate render failed',
      );
      await this.dataSource.query(
        `UPDATE certificate_request SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000), last_error = $3
          WHERE issuance_id = $1`,
        [
          request.issuance_id,
          delay,
          (error instanceof Error ? error.message : String(error)).slice(0, 2000),
        ],
      );
    }
  }
}
