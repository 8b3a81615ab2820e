import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { WakeableLoop } from '../core/scheduling/wakeable-loop';
import { GrantExpiryService } from './grant-expiry.service';

/** Expiry is by calendar day (UTC); an hour between sweeps records each within the hour. */
export const GRANT_EXPIRY_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Sweeps every company's grants whose window closed, on every instance, once an hour (the first
 * an hour after boot, so a starting instance writes nothing of its own accord while it comes up).
 * Several instances sweeping at once record each expiration once (see GrantExpiryService). The
 * sweep only makes the record complete: the figures count an expired grant as expired before it,
 * and a read or write of the grant records it first.
 */
@Injectable()
export class GrantExpiryScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private booted = false;
  private readonly loop = new WakeableLoop(
    'GrantExpiryScheduler',
    () => this.round(),
    () => GRANT_EXPIRY_SWEEP_INTERVAL_MS,
  );

  constructor(private readonly expiry: GrantExpiryService) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One round; always answers 0, so that the loop waits a whole interval before the next. */
  async round(): Promise<number> {
    if (!this.booted) {
      this.booted = true;
      return 0;
    }
    await this.expiry.sweep();
    return 0;
  }
}
