/**
 * Keeps the lease of a relay's claimed events alive while their delivery runs: every third of the
 * lease it is renewed, so another instance takes the events over only when this one stopped
 * renewing (it crashed, or hangs), never while it is still delivering. That lets the lease be
 * short: after a crash the events wait at most OUTBOX_LEASE_MS, not the longest delivery.
 */
export class LeaseKeeper {
  private readonly held: Set<string>;
  private readonly timer: NodeJS.Timeout;

  constructor(
    ids: readonly string[],
    leaseMs: number,
    renew: (ids: string[]) => Promise<void>,
    onError: (error: unknown) => void,
  ) {
    this.held = new Set(ids);
    this.timer = setInterval(
      () => {
        if (this.held.size > 0) renew([...this.held]).catch(onError);
      },
      Math.max(100, Math.floor(leaseMs / 3)),
    );
    this.timer.unref();
  }

  /** Stops renewing one event (its failure is being recorded with its own retry time). */
  release(id: string): void {
    this.held.delete(id);
  }

  stop(): void {
    clearInterval(this.timer);
    this.held.clear();
  }
}
