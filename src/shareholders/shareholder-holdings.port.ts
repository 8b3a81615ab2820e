/**
 * Share totals per holder. The shareholders module declares what it needs; the module that keeps
 * the issuance ledger provides it (it depends on this module, so this module cannot import it).
 */
export interface ShareholderHoldingsReader {
  /** The sum of the shares issued to each holder; holders without issuances may be absent. */
  totalsFor(shareholderIds: string[]): Promise<Map<string, number>>;
}

/** Injection token of the ShareholderHoldingsReader. */
export const SHAREHOLDER_HOLDINGS = Symbol('ShareholderHoldingsReader');
