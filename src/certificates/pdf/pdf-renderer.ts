import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ChildProcess } from 'node:child_process';
import { Browser, HTTPRequest, launch, Page } from 'puppeteer';
import { AppConfigService } from '../../core/config/app-config.service';
import { MetricsService } from '../../core/metrics/metrics.service';
import { CertificateRenderBusyError, CertificateRenderFailedError } from '../certificates.errors';
import { SlotsQueueFullError, Slots } from '../../core/concurrency/slots';

/**
 * Without the background-networking flags Chromium phones Google (component updates, variations)
 * on start; on a closed network that means stalls and noise. The sandbox is off because container
 * runtimes usually deny the namespaces it needs; what makes the page safe is that it runs no
 * JavaScript, may load nothing, and prints only escaped text.
 */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-extensions',
];

/** Pages are recycled after this many PDFs, bounding whatever a long-lived page accumulates. */
const RENDERS_PER_PAGE = 500;
const RELAUNCH_DELAY_MS = 250;
const CLOSE_TIMEOUT_MS = 5_000;

export interface RendererStats {
  launches: number;
  renders: number;
  /** Requests a page tried to make and the renderer aborted; stays 0 for a proper template. */
  blockedRequests: number;
  pages: number;
  inUse: number;
  queued: number;
}

interface PooledPage {
  page: Page;
  browser: Browser;
  uses: number;
}

export function chromiumPath(config: AppConfigService): string {
  return (
    config.get('CHROMIUM_PATH') ?? config.get('PUPPETEER_EXECUTABLE_PATH') ?? '/usr/bin/chromium'
  );
}

/**
 * HTML → PDF in one warm Chromium with a bounded pool of reused pages (a new page per PDF costs
 * about 3x). Renders beyond the pool wait in a bounded line; beyond that they are refused (503).
 * Each render has a deadline; a page that failed is thrown away; if Chromium dies it is relaunched
 * and the renders it took down are retried once.
 */
@Injectable()
export class PdfRenderer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PdfRenderer.name);
  private readonly slots: Slots;
  private readonly timeoutMs: number;
  private browser?: Browser;
  private launching?: Promise<Browser>;
  private idle: PooledPage[] = [];
  private closing = false;
  private counters = { launches: 0, renders: 0, blockedRequests: 0 };

  constructor(
    private readonly config: AppConfigService,
    private readonly metrics: MetricsService,
  ) {
    this.slots = new Slots(
      config.get('CERTIFICATE_RENDER_CONCURRENCY'),
      config.get('CERTIFICATE_QUEUE_LIMIT'),
    );
    this.timeoutMs = config.get('CERTIFICATE_RENDER_TIMEOUT_MS');
  }

  /** Starts Chromium in the background so the first certificate does not pay for the launch. */
  onApplicationBootstrap(): void {
    this.browserReady().catch((error: unknown) =>
      this.logger.error({ err: error }, 'Chromium did not start; will retry on the first render'),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.slots.close();
    const browser = this.browser ?? (await this.launching?.catch(() => undefined));
    this.browser = undefined;
    this.idle = [];
    if (!browser) return;
    await withTimeout(browser.close(), CLOSE_TIMEOUT_MS).catch(() => {
      browser.process()?.kill('SIGKILL');
    });
  }

  stats(): RendererStats {
    return {
      ...this.counters,
      pages: this.idle.length + this.slots.inUse,
      inUse: this.slots.inUse,
      queued: this.slots.queued,
    };
  }

  /** The current Chromium process, for operations and for tests that kill it. */
  browserProcess(): ChildProcess | null {
    return this.browser?.process() ?? null;
  }

  async render(html: string): Promise<Buffer> {
    let release: () => void;
    try {
      release = await this.slots.acquire();
    } catch (error) {
      this.metrics.certificatesRendered.inc({ outcome: 'busy' });
      if (error instanceof SlotsQueueFullError) throw new CertificateRenderBusyError();
      throw new CertificateRenderBusyError('The renderer is shutting down.');
    }
    const stopTimer = this.metrics.certificateRenderDuration.startTimer();
    try {
      const pdf = await this.renderWithRetry(html);
      this.metrics.certificatesRendered.inc({ outcome: 'success' });
      return pdf;
    } catch (error) {
      this.metrics.certificatesRendered.inc({ outcome: 'failure' });
      throw error;
    } finally {
      stopTimer();
      release();
    }
  }

  private async renderWithRetry(html: string): Promise<Buffer> {
    for (let attempt = 1; ; attempt += 1) {
      const browser = await this.browserReady().catch((error: unknown) => {
        throw new CertificateRenderFailedError('Chromium could not be started.', error);
      });
      try {
        return await this.renderOn(browser, html);
      } catch (error) {
        const crashed = !browser.connected && !this.closing;
        if (crashed && attempt === 1) {
          this.logger.warn({ err: error }, 'Chromium died during a render; retrying once');
          continue;
        }
        if (error instanceof CertificateRenderFailedError) throw error;
        throw new CertificateRenderFailedError('The certificate could not be rendered.', error);
      }
    }
  }

  private async renderOn(browser: Browser, html: string): Promise<Buffer> {
    const pooled = await this.takePage(browser);
    let reusable = false;
    try {
      const pdf = await withTimeout(this.print(pooled.page, html), this.timeoutMs);
      reusable = true;
      this.counters.renders += 1;
      return pdf;
    } catch (error) {
      if (error instanceof TimeoutError) {
        throw new CertificateRenderFailedError(
          `Rendering took longer than ${this.timeoutMs} ms.`,
          error,
        );
      }
      throw error;
    } finally {
      pooled.uses += 1;
      if (reusable && pooled.uses < RENDERS_PER_PAGE && this.browser === browser) {
        this.idle.push(pooled);
      } else {
        pooled.page.close().catch(() => undefined);
      }
    }
  }

  private async print(page: Page, html: string): Promise<Buffer> {
    await page.setContent(html, { waitUntil: 'load', timeout: this.timeoutMs });
    const pdf = await page.pdf({
      format: 'A4',
      landscape: true,
      printBackground: true,
      preferCSSPageSize: true,
      margin: { top: 0, right: 0, bottom: 0, left: 0 },
      timeout: this.timeoutMs,
    });
    return Buffer.from(pdf);
  }

  private async takePage(browser: Browser): Promise<PooledPage> {
    const pooled = this.idle.pop();
    if (pooled && pooled.browser === browser && !pooled.page.isClosed()) return pooled;
    const page = await browser.newPage();
    // No script runs and nothing is fetched: a field that slipped past escaping still cannot
    // reach the network (no SSRF through a holder's name).
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request: HTTPRequest) => {
      this.counters.blockedRequests += 1;
      this.logger.warn(
        { url: request.url().slice(0, 200) },
        'Blocked a request from a certificate page',
      );
      request.abort('blockedbyclient').catch(() => undefined);
    });
    return { page, browser, uses: 0 };
  }

  private browserReady(): Promise<Browser> {
    if (this.browser?.connected) return Promise.resolve(this.browser);
    this.launching ??= this.launch().finally(() => {
      this.launching = undefined;
    });
    return this.launching;
  }

  private async launch(): Promise<Browser> {
    if (this.closing) throw new Error('the renderer is shutting down');
    const started = Date.now();
    const browser = await launch({
      executablePath: chromiumPath(this.config),
      headless: true,
      pipe: true,
      args: CHROMIUM_ARGS,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    if (this.closing) {
      await browser.close().catch(() => undefined);
      throw new Error('the renderer is shutting down');
    }
    browser.on('disconnected', () => this.onDisconnected(browser));
    this.browser = browser;
    this.idle = [];
    this.counters.launches += 1;
    this.logger.log(
      { chromiumPid: browser.process()?.pid, ms: Date.now() - started },
      'Chromium started for certificate rendering',
    );
    return browser;
  }

  private onDisconnected(browser: Browser): void {
    if (this.browser !== browser) return;
    this.browser = undefined;
    this.idle = [];
    if (this.closing) return;
    this.logger.warn('Chromium disconnected; relaunching');
    setTimeout(() => {
      if (this.closing || this.browser) return;
      this.browserReady().catch((error: unknown) =>
        this.logger.error(
          { err: error },
          'Chromium relaunch failed; will retry on the next render',
        ),
      );
    }, RELAUNCH_DELAY_MS).unref();
  }
}

class TimeoutError extends Error {}

/** Settles like `promise`, or rejects with TimeoutError after `ms`. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
