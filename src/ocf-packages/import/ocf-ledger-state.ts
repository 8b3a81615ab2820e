import type { OcfFinding } from './ocf-findings';
import { at, OcfGraph, str } from './ocf-graph';
import type { Located } from './ocf-normalize';

/** A whole number of shares from an OCF Numeric ("1000", "1000.00"); null if it is not one. */
export function wholeShares(value: unknown): bigint | null {
  const match = /^\+?(\d+)(?:\.0+)?$/.exec(str(value));
  return match ? BigInt(match[1]) : null;
}

/** A security as the replay knows it on the date it has reached. */
export interface SecurityState {
  stakeholder: string;
  shareClass: string;
  quantity: bigint;
  date: string;
  spentBy?: { id: string; date: string };
}

/** The checks' result: what is wrong, and the transactions in the order they apply. */
export interface LedgerCheck {
  errors: OcfFinding[];
  warnings: OcfFinding[];
  steps: Located[];
  /** Each split's reissuances (by the split's id). */
  splitReissuances: Map<string, Located[]>;
}

/** The replay in progress: the package, every security so far, what each grant has left. */
export interface Replay {
  graph: OcfGraph;
  check: LedgerCheck;
  securities: Map<string, SecurityState>;
  grants: Map<string, bigint>;
  error(located: Located, message: string, member?: string): void;
  warn(located: Located, message: string, member?: string): void;
}

export function newReplay(graph: OcfGraph): Replay {
  const check: LedgerCheck = { errors: [], warnings: [], steps: [], splitReissuances: new Map() };
  return {
    graph,
    check,
    securities: new Map(),
    grants: new Map(),
    error: (located, message, member = '') => check.errors.push(at(located, message, member)),
    warn: (located, message, member = '') => check.warnings.push(at(located, message, member)),
  };
}

/** The security a package's stock issuance describes, as issued on `date`. */
export const stateOf = (issuance: Located, date: string): SecurityState => ({
  stakeholder: str(issuance.item.stakeholder_id),
  shareClass: str(issuance.item.stock_class_id),
  quantity: wholeShares(issuance.item.quantity) ?? 0n,
  date,
});
