import { Logger } from '@nestjs/common';

/**
 * Runs `work` over and over: straight again while it finds something to do, otherwise after
 * `idleMs` or as soon as `wake()` is called. `stop()` lets the round in hand finish.
 */
export class WakeableLoop {
  private running = false;
  private wakeRequested = false;
  private wakeUp?: () => void;
  private loop?: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly work: () => Promise<number>,
    private readonly idleMs: () => number,
    private readonly logger = new Logger(name),
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let done = 0;
      try {
        done = await this.work();
      } catch (error) {
        this.logger.error({ err: error }, `${this.name} round failed`);
      }
      if (done === 0 && this.running) await this.pause(this.idleMs());
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.wakeRequested) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.wakeRequested = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
