import { AsyncLocalStorage } from 'node:async_hooks';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const storage = new AsyncLocalStorage<string>();

/**
 * Raised when a statement would touch company-owned data with no company resolved: a programming
 * error (every request, event delivery and background job resolves its company first), never a
 * caller's mistake. Without this check the statement would still see nothing (row-level security),
 * which would hide the bug.
 */
export class MissingCompanyContextError extends Error {
  constructor() {
    super('no company is resolved for this statement (CompanyContext.run was not entered)');
    this.name = 'MissingCompanyContextError';
  }
}

/**
 * The company the current request, event delivery or job acts for. The database layer sets it as
 * `app.company_id` for every transaction (SET LOCAL), and row-level security shows and accepts only
 * that company's rows.
 */
export const CompanyContext = {
  /** Runs `work` (and everything it starts) for `companyId`. */
  run<T>(companyId: string, work: () => T): T {
    if (!UUID.test(companyId))
      throw new Error(`company id ${JSON.stringify(companyId)} is not a UUID`);
    return storage.run(companyId.toLowerCase(), work);
  },

  /** The current company, if any. */
  current(): string | undefined {
    return storage.getStore();
  },

  /** The current company; throws MissingCompanyContextError when none is resolved. */
  require(): string {
    const companyId = storage.getStore();
    if (!companyId) throw new MissingCompanyContextError();
    return companyId;
  },
};
