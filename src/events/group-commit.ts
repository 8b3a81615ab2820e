import { CompanyContext } from '../core/tenancy/company-context';

interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for listeners: items added while a flush runs (or in the same turn of the event
 * loop) are written together by the next flush, one at a time, so a burst of events costs one
 * transaction instead of one each. Each `add` settles when its item was written. When a group
 * fails, its items are retried one by one, so one bad item fails alone and the others succeed.
 */
export class GroupCommit<T> {
  private pending: Array<Pending<T>> = [];
  private scheduled = false;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly maxGroup = 500,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // setImmediate: every item added by the listeners of the same delivery round joins in.
      setImmediate(() => {
        this.tail = this.tail.then(() => this.drain());
      });
    });
  }

  private async drain(): Promise<void> {
    this.scheduled = false;
    while (this.pending.length > 0) {
      const group = this.pending.splice(0, this.maxGroup);
      await this.write(group);
    }
  }

  private async write(group: Array<Pending<T>>): Promise<void> {
    try {
      await this.flush(group.map((entry) => entry.item));
      for (const entry of group) entry.resolve();
      return;
    } catch (error) {
      if (group.length === 1) {
        group[0]?.reject(error);
        return;
      }
    }
    for (const entry of group) {
      try {
        await this.flush([entry.item]);
        entry.resolve();
      } catch (error) {
        entry.reject(error);
      }
    }
  }
}

/**
 * A GroupCommit per company: items are grouped with others of the same company only, and each
 * company's flushes run for that company (CompanyContext), one at a time per company but never
 * waiting on another company's.
 */
export class CompanyGroupCommit<T> {
  private readonly commits = new Map<string, GroupCommit<T>>();

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly maxGroup = 500,
  ) {}

  /** Adds `item` for the current company. */
  add(item: T): Promise<void> {
    const companyId = CompanyContext.require();
    let commit = this.commits.get(companyId);
    if (!commit) {
      commit = new GroupCommit<T>(
        (items) => CompanyContext.run(companyId, () => this.flush(items)),
        this.maxGroup,
      );
      this.commits.set(companyId, commit);
    }
    return commit.add(item);
  }
}
