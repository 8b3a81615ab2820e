import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Gauge } from 'prom-client';
import { AppConfigService } from '../core/config/app-config.service';
import { MetricsService } from '../core/metrics/metrics.service';
import { WakeableLoop } from '../core/scheduling/wakeable-loop';
import { CompanyContext } from '../core/tenancy/company-context';
import { backoffMs, OutboxService } from '../events';
import { CertificateCancelledError } from './certificates.errors';
import { CertificateIssuer, FirstRender } from './certificate-issuer.service';
import {
  CertificateQueueRepository,
  ClaimedRequest,
} from './persistence/certificate-queue.repository';

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
    private readonly queue: CertificateQueueRepository,
    private readonly issuer: CertificateIssuer,
    private readonly outbox: OutboxService,
    private readonly config: AppConfigService,
    metrics: MetricsService,
  ) {
    const requests = this.queue;
    new Gauge({
      name: 'certificate_render_backlog',
      help: 'Issuances whose certificate is queued and not rendered yet',
      registers: [metrics.registry],
      async collect() {
        this.set(await requests.backlog());
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
    const requests = await this.queue.claim(
      this.config.get('CERTIFICATE_RENDER_CONCURRENCY'),
      LEASE_MS,
    );
    // Numbers follow the order of the issuances (one at a time, quick); the renders run side by side.
    const ordered = [...requests].sort(
      (a, b) =>
        a.issued_at.getTime() - b.issued_at.getTime() || a.issuance_id.localeCompare(b.issuance_id),
    );
    const prepared = new Map<string, FirstRender>();
    for (const request of ordered) {
      // A failure here is met again, and handled, by the render below.
      const first = await CompanyContext.run(request.company_id, () =>
        this.issuer.prepare(request.issuance_id),
      ).catch(() => undefined);
      if (first) prepared.set(request.issuance_id, first);
    }
    await Promise.all(
      requests.map((request) =>
        CompanyContext.run(request.company_id, () =>
          this.render(request, prepared.get(request.issuance_id)),
        ),
      ),
    );
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
  private eventsAreBacklogged(): Promise<boolean> {
    return this.outbox.backlogExceeds(this.config.get('CERTIFICATE_RENDER_YIELD_BACKLOG'));
  }

  private async render(request: ClaimedRequest, prepared?: FirstRender): Promise<void> {
    try {
      const origin = { actor: request.actor, requestId: request.request_id };
      await this.issuer.ensureForIssuance(request.issuance_id, origin, prepared);
      await this.queue.done(request.issuance_id);
    } catch (error) {
      if (error instanceof CertificateCancelledError) {
        // Spent before it was rendered: it is to have no valid certificate, so nothing to retry.
        await this.queue.done(request.issuance_id);
        return;
      }
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
      await this.queue.retryLater(
        request.issuance_id,
        delay,
        (error instanceof Error ? error.message : String(error)).slice(0, 2000),
      );
    }
  }
}
