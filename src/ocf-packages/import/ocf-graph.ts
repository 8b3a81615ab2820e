import type { OcfFinding } from './ocf-findings';
import type { Located } from './ocf-normalize';

/** The package's objects by kind and id, and which securities a transaction creates. */
export interface OcfGraph {
  issuer: Record<string, unknown>;
  stakeholders: Map<string, Located>;
  classes: Map<string, Located>;
  legends: Map<string, Located>;
  plans: Map<string, Located>;
  terms: Map<string, Located>;
  /** TX_STOCK_ISSUANCE by security_id. */
  issuances: Map<string, Located>;
  /** TX_EQUITY_COMPENSATION_ISSUANCE by security_id. */
  grants: Map<string, Located>;
  /** Securities issued as the result or balance of another transaction (not issued on their own). */
  derived: Set<string>;
  /** Every dated object to apply, but the derived stock issuances. */
  transactions: Located[];
  retained: Located[];
}

export const str = (value: unknown): string => (typeof value === 'string' ? value : '');
export const ids = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

const KIND_OF_TYPE: Record<string, keyof OcfGraph> = {
  STAKEHOLDER: 'stakeholders',
  STOCK_CLASS: 'classes',
  STOCK_LEGEND_TEMPLATE: 'legends',
  STOCK_PLAN: 'plans',
  VESTING_TERMS: 'terms',
};

/** Creates securities: the ids it names as resulting or balance. */
export function createdBy(located: Located): string[] {
  const item = located.item;
  const type = str(item.object_type);
  if (!type.startsWith('TX_STOCK_') && !type.startsWith('TX_EQUITY_COMPENSATION_')) return [];
  if (type === 'TX_STOCK_ISSUANCE' || type === 'TX_EQUITY_COMPENSATION_ISSUANCE') return [];
  return [...ids(item.resulting_security_ids), ...ids([item.balance_security_id])];
}

/** Sorts the package's objects into the graph; a repeated id of one kind is an error. */
export function buildGraph(
  items: Located[],
  issuer: Record<string, unknown>,
  errors: OcfFinding[],
): OcfGraph {
  const graph: OcfGraph = {
    issuer,
    stakeholders: new Map(),
    classes: new Map(),
    legends: new Map(),
    plans: new Map(),
    terms: new Map(),
    issuances: new Map(),
    grants: new Map(),
    derived: new Set(),
    transactions: [],
    retained: [],
  };
  const seen = new Map<string, Located>();
  for (const located of items) {
    const { item } = located;
    const type = str(item.object_type);
    const key = `${type}:${str(item.id)}`;
    if (seen.has(key)) {
      errors.push(at(located, `repeats the id ${str(item.id)} of ${seen.get(key)!.pointer}`));
      continue;
    }
    seen.set(key, located);
    const kind = KIND_OF_TYPE[type];
    if (kind) (graph[kind] as Map<string, Located>).set(str(item.id), located);
    else if (
      type === 'VALUATION' ||
      type.endsWith('_ACCEPTANCE') ||
      type.endsWith('RETURN_TO_POOL')
    )
      graph.retained.push(located);
    else if (type === 'TX_STOCK_ISSUANCE') addSecurity(graph.issuances, located, errors);
    else {
      if (type === 'TX_EQUITY_COMPENSATION_ISSUANCE') addSecurity(graph.grants, located, errors);
      graph.transactions.push(located);
    }
    for (const id of createdBy(located)) graph.derived.add(id);
  }
  for (const [security, located] of graph.issuances)
    if (!graph.derived.has(security)) graph.transactions.push(located);
  return graph;
}

function addSecurity(map: Map<string, Located>, located: Located, errors: OcfFinding[]): void {
  const security = str(located.item.security_id);
  if (map.has(security))
    errors.push(
      at(located, `issues the security ${security} of ${map.get(security)!.pointer} again`),
    );
  else map.set(security, located);
}

export const at = (located: Located, message: string, member = ''): OcfFinding => ({
  file: located.file,
  pointer: `${located.pointer}${member}`,
  id: str(located.item.id),
  message,
});

/** The order transactions apply in on one date: adjustments, issuances, then what spends them. */
const PRIORITY: Record<string, number> = {
  TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT: 0,
  TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT: 0,
  TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT: 0,
  TX_STOCK_PLAN_POOL_ADJUSTMENT: 0,
  TX_STOCK_ISSUANCE: 1,
  TX_EQUITY_COMPENSATION_ISSUANCE: 1,
  TX_VESTING_START: 2,
  TX_STOCK_CLASS_SPLIT: 4,
};

export function inLedgerOrder(transactions: Located[]): Located[] {
  const rank = (l: Located) => PRIORITY[str(l.item.object_type)] ?? 3;
  return [...transactions].sort(
    (a, b) =>
      str(a.item.date).localeCompare(str(b.item.date)) ||
      rank(a) - rank(b) ||
      a.position - b.position,
  );
}
