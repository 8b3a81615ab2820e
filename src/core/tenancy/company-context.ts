import { AsyncLocalStorage } from 'node:async_hooks';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** What the context holds: the company, once resolved (a request resolves it after its guards). */
interface Slot {
  companyId?: string;
}

const storage = new AsyncLocalStorage<Slot>();

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

const checked = (companyId: string): string => {
  if (!isUuid(companyId)) throw new Error(`company id ${JSON.stringify(companyId)} is not a UUID`);
  return companyId.toLowerCase();
};

/**
 * The company the current request, event delivery or job acts for. The database layer sets it as
 * `app.company_id` for every transaction (SET LOCAL), and row-level security shows and accepts only
 * that company's rows.
 */
export const CompanyContext = {
  /** Runs `work` (and everything it starts) for `companyId`. */
  run<T>(companyId: string, work: () => T): T {
    return storage.run({ companyId: checked(companyId) }, work);
  },

  /**
   * Runs a request's `work` with its company still to be resolved: the company guard resolves it
   * (`resolve`) once it knows the caller, before the handler runs.
   */
  forRequest<T>(work: () => T): T {
    return storage.run({}, work);
  },

  /** Resolves the company of the request entered with `forRequest`; once, and for good. */
  resolve(companyId: string): void {
    const slot = storage.getStore();
    if (!slot) throw new Error('CompanyContext.resolve outside a request');
    const id = checked(companyId);
    if (slot.companyId !== undefined && slot.companyId !== id)
      throw new Error('the company of a request cannot change once resolved');
    slot.companyId = id;
  },

  /** The current company, if any. */
  current(): string | undefined {
    return storage.getStore()?.companyId;
  },

  /** The current company; throws MissingCompanyContextError when none is resolved. */
  require(): string {
    const companyId = storage.getStore()?.companyId;
    if (!companyId) throw new MissingCompanyContextError();
    return companyId;
  },
};
