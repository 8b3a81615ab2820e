import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus metrics, in a registry of its own. Modules register their own gauges on
 * `registry` (the outbox its backlog, the certificates module its render queue).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly httpErrors = new Counter({
    name: 'http_request_errors_total',
    help: 'HTTP responses with a 4xx or 5xx status, by route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });

  readonly issuancesCreated = new Counter({
    name: 'cap_table_issuances_created_total',
    help: 'Issuances committed (idempotent replays are not counted)',
    registers: [this.registry],
  });

  readonly certificatesRendered = new Counter({
    name: 'certificates_rendered_total',
    help: 'Certificate PDFs rendered, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly certificateRenderDuration = new Histogram({
    name: 'certificate_render_duration_seconds',
    help: 'Time to render one certificate PDF',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [this.registry],
  });

  readonly outboxDeliveryLag = new Histogram({
    name: 'outbox_delivery_lag_seconds',
    help: 'Time from an event being committed to its delivery to every listener',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300],
    registers: [this.registry],
  });

  readonly jwksFetchFailures = new Counter({
    name: 'jwks_fetch_failures_total',
    help: 'Failed fetches of the identity provider signing keys',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observeHttp(method: string, route: string, statusCode: number, seconds: number): void {
    const labels = { method, route, status_code: String(statusCode) };
    this.httpDuration.observe(labels, seconds);
    if (statusCode >= 400) this.httpErrors.inc(labels);
  }
}
