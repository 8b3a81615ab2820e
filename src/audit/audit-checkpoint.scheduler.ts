import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfigService } from '../core/config/app-config.service';
import { WakeableLoop } from '../core/scheduling/wakeable-loop';
import { AuditCheckpointService } from './audit-checkpoint.service';

/**
 * Makes a checkpoint every AUDIT_CHECKPOINT_INTERVAL_MS while the head moves, on every instance:
 * a round skips when the latest checkpoint (by any instance) is younger than half the interval, so
 * several instances together still make about one per interval, and never two of one head. Each
 * company has its own chain and checkpoints.
 */
@Injectable()
export class AuditCheckpointScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop = new WakeableLoop(
    'AuditCheckpointScheduler',
    () => this.round(),
    () => this.intervalMs,
  );

  constructor(
    private readonly checkpoints: AuditCheckpointService,
    private readonly config: AppConfigService,
  ) {}

  private get intervalMs(): number {
    return this.config.get('AUDIT_CHECKPOINT_INTERVAL_MS');
  }

  onApplicationBootstrap(): void {
    if (this.intervalMs > 0) this.loop.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One round; always answers 0, so that the loop waits a whole interval before the next. */
  async round(): Promise<number> {
    await this.checkpoints.checkpointDue(this.intervalMs / 2);
    return 0;
  }
}
