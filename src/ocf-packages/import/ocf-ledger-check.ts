import { ids, inLedgerOrder, OcfGraph, str } from './ocf-graph';
import { replayGrant, replaySplit } from './ocf-equity-check';
import {
  LedgerCheck,
  newReplay,
  Replay,
  SecurityState,
  stateOf,
  wholeShares,
} from './ocf-ledger-state';
import type { Located } from './ocf-normalize';
import { checkReferences } from './ocf-reference-check';

export { wholeShares, type LedgerCheck } from './ocf-ledger-state';

/**
 * Replays the package's ledger in memory, in date order, before anything is written: every
 * reference resolves, every transaction's security exists and is outstanding on its date, every
 * transaction balances (what it spends equals its results plus its balance), and its results are
 * dated with it. Authorized shares and plan pools are held by the service itself as each
 * transaction is applied.
 */
export function checkLedger(graph: OcfGraph): LedgerCheck {
  const replay = newReplay(graph);
  const { check } = replay;
  checkReferences(replay);
  for (const located of inLedgerOrder(graph.transactions)) {
    const split = str(located.item.split_transaction_id);
    if (str(located.item.object_type) === 'TX_STOCK_REISSUANCE' && split) {
      const list = check.splitReissuances.get(split) ?? [];
      list.push(located);
      check.splitReissuances.set(split, list);
    } else check.steps.push(located);
  }
  for (const located of check.steps) {
    const type = str(located.item.object_type);
    if (type === 'TX_STOCK_CLASS_SPLIT') replaySplit(replay, located);
    else if (type.startsWith('TX_EQUITY_COMPENSATION_')) replayGrant(replay, located);
    else if (type === 'TX_STOCK_ISSUANCE') issue(replay, located);
    else if (isTerminal(type)) spend(replay, located);
  }
  return check;
}

const isTerminal = (type: string) =>
  type.startsWith('TX_STOCK_') &&
  !type.startsWith('TX_STOCK_CLASS_') &&
  !type.startsWith('TX_STOCK_PLAN_');

function issue(replay: Replay, located: Located): void {
  const quantity = wholeShares(located.item.quantity);
  if (quantity === null || quantity === 0n)
    return replay.error(located, 'is not a positive whole number of shares', '/quantity');
  replay.securities.set(str(located.item.security_id), stateOf(located, str(located.item.date)));
}

function spend(replay: Replay, located: Located): void {
  const { item } = located;
  const type = str(item.object_type);
  const security = outstanding(replay, located);
  if (!security) return;
  security.spentBy = { id: str(item.id), date: str(item.date) };
  if (type === 'TX_STOCK_RETRACTION') return;
  const converting = type === 'TX_STOCK_CONVERSION';
  const spent = converting ? item.quantity_converted : item.quantity;
  const quantity = type === 'TX_STOCK_REISSUANCE' ? security.quantity : wholeShares(spent);
  if (quantity === null || quantity === 0n || quantity > security.quantity)
    return replay.error(
      located,
      `spends ${str(spent)} shares of ${str(item.security_id)}, which holds ${security.quantity}`,
      converting ? '/quantity_converted' : '/quantity',
    );
  balance(replay, located, security, quantity);
}

function outstanding(replay: Replay, located: Located): SecurityState | undefined {
  const id = str(located.item.security_id);
  const date = str(located.item.date);
  const security = replay.securities.get(id);
  if (!security)
    replay.error(
      located,
      `names the security ${id}, which no stock issuance of the package issues`,
      '/security_id',
    );
  else if (security.date > date)
    replay.error(located, `is dated ${date}, before ${id} was issued (${security.date})`, '/date');
  else if (security.spentBy)
    replay.error(
      located,
      `spends ${id}, which ${security.spentBy.id} already spent on ${security.spentBy.date}`,
      '/security_id',
    );
  else return security;
  return undefined;
}

/** A security a transaction creates: issued by the package (on the transaction's date). */
function created(
  replay: Replay,
  located: Located,
  id: string,
  member: string,
): SecurityState | undefined {
  const issuance = replay.graph.issuances.get(id);
  const date = str(located.item.date);
  if (!issuance) {
    replay.error(
      located,
      `names the security ${id}, which no stock issuance of the package issues`,
      member,
    );
    return undefined;
  }
  if (str(issuance.item.date) !== date)
    replay.warn(
      issuance,
      `is dated ${str(issuance.item.date)}, its transaction ${date}: read as ${date}`,
      '/date',
    );
  const state = stateOf(issuance, date);
  replay.securities.set(id, state);
  return state;
}

/** The results and balance of a transaction: issued by the package, dated with it, adding up. */
function balance(
  replay: Replay,
  located: Located,
  security: SecurityState,
  quantity: bigint,
): void {
  const { item } = located;
  const type = str(item.object_type);
  const results = ids(item.resulting_security_ids).map((id, i) =>
    created(replay, located, id, `/resulting_security_ids/${i}`),
  );
  const balanceId = str(item.balance_security_id);
  const rest = balanceId ? created(replay, located, balanceId, '/balance_security_id') : null;
  if (results.includes(undefined) || rest === undefined) return;
  const left = rest?.quantity ?? 0n;
  if (quantity + left !== security.quantity && type !== 'TX_STOCK_REISSUANCE')
    replay.error(
      located,
      `does not balance: ${quantity} spent and ${left} left, but ${str(item.security_id)} holds ${security.quantity}`,
      '/quantity',
    );
  if (
    rest &&
    (rest.stakeholder !== security.stakeholder || rest.shareClass !== security.shareClass)
  )
    replay.error(
      located,
      'leaves its balance to another holder or class than the security it spends',
      '/balance_security_id',
    );
  const resulting = results.reduce((sum, r) => sum + r!.quantity, 0n);
  if ((type === 'TX_STOCK_TRANSFER' || type === 'TX_STOCK_REISSUANCE') && resulting !== quantity)
    replay.error(
      located,
      `does not balance: its resulting securities hold ${resulting} shares, it moves ${quantity}`,
      '/resulting_security_ids',
    );
  if (type === 'TX_STOCK_REISSUANCE' && results.length !== 1)
    replay.error(
      located,
      'reissues into one security here; the package names several',
      '/resulting_security_ids',
    );
}
