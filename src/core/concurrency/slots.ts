/** Thrown by `Slots.acquire` when every slot is busy and the waiting line is full. */
export class SlotsQueueFullError extends Error {
  constructor(readonly queueLimit: number) {
    super(`the waiting line is full (${queueLimit} waiting)`);
  }
}

/** Thrown to waiters when the slots are closed (application shutdown). */
export class SlotsClosedError extends Error {
  constructor() {
    super('shutting down');
  }
}

interface Waiter {
  grant: (release: () => void) => void;
  refuse: (error: Error) => void;
}

/**
 * A counting semaphore with a bounded FIFO waiting line: at most `concurrency` holders, at most
 * `queueLimit` waiters; anyone beyond that is refused at once instead of piling up memory and
 * latency behind slow holders (a browser rendering, a COPY streaming to a slow client).
 */
export class Slots {
  private active = 0;
  private closed = false;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly concurrency: number,
    readonly queueLimit: number,
  ) {
    if (concurrency < 1) throw new RangeError('concurrency must be at least 1');
  }

  get inUse(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves with a release function once a slot is free; release exactly once. */
  acquire(): Promise<() => void> {
    if (this.closed) return Promise.reject(new SlotsClosedError());
    if (this.active < this.concurrency) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.queueLimit) {
      return Promise.reject(new SlotsQueueFullError(this.queueLimit));
    }
    return new Promise((resolve, reject) => this.waiting.push({ grant: resolve, refuse: reject }));
  }

  /** Refuses every waiter and any later acquire; holders finish normally. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.refuse(new SlotsClosedError());
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.grant(this.releaser());
      else this.active -= 1;
    };
  }
}
