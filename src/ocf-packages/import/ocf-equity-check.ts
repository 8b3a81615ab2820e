import { ids, str } from './ocf-graph';
import { Replay, stateOf, wholeShares } from './ocf-ledger-state';
import type { Located } from './ocf-normalize';

/** A grant's transactions: the grant exists, what they take it still holds, exercises name their stock. */
export function replayGrant(replay: Replay, located: Located): void {
  const { item } = located;
  const id = str(item.security_id);
  const quantity = wholeShares(item.quantity);
  if (str(item.object_type) === 'TX_EQUITY_COMPENSATION_ISSUANCE') {
    if (quantity === null || quantity === 0n)
      replay.error(located, 'is not a positive whole number of shares', '/quantity');
    else replay.grants.set(id, quantity);
    return;
  }
  const left = replay.grants.get(id);
  if (left === undefined)
    return replay.error(
      located,
      `names the grant ${id}, which no equity compensation issuance of the package issues before ${str(item.date)}`,
      '/security_id',
    );
  if (quantity === null || quantity === 0n || quantity > left)
    return replay.error(
      located,
      `takes ${str(item.quantity)} of ${id}, which has ${left} left`,
      '/quantity',
    );
  replay.grants.set(id, left - quantity);
  ids(item.resulting_security_ids).forEach((security, i) => {
    const issuance = replay.graph.issuances.get(security);
    if (!issuance)
      return replay.error(
        located,
        `names the security ${security}, which no stock issuance of the package issues`,
        `/resulting_security_ids/${i}`,
      );
    replay.securities.set(security, stateOf(issuance, str(item.date)));
  });
}

/** The split's reissuance of one security: into the split quantity, rounded down. */
function splitOne(
  replay: Replay,
  reissuance: Located,
  ratio: { numerator: bigint; denominator: bigint },
  date: string,
): void {
  const security = replay.securities.get(str(reissuance.item.security_id))!;
  security.spentBy = { id: str(reissuance.item.id), date };
  const expected = (security.quantity * ratio.numerator) / ratio.denominator;
  const [result] = ids(reissuance.item.resulting_security_ids);
  const issuance = result ? replay.graph.issuances.get(result) : undefined;
  const shares = wholeShares(issuance?.item.quantity) ?? -1n;
  if (shares !== expected)
    replay.error(
      reissuance,
      `reissues ${security.quantity} shares as ${shares < 0n ? 'nothing' : shares}; the split gives ${expected}`,
      '/resulting_security_ids',
    );
  else replay.securities.set(result, { ...security, quantity: shares, date, spentBy: undefined });
}

/**
 * A split as OCF records it: every security of the class outstanding on its date is reissued
 * (TX_STOCK_REISSUANCE with split_transaction_id) into the split quantity, rounded down.
 */
export function replaySplit(replay: Replay, located: Located): void {
  const { item } = located;
  const date = str(item.date);
  const split = item.split_ratio as { numerator?: unknown; denominator?: unknown } | undefined;
  const numerator = wholeShares(split?.numerator);
  const denominator = wholeShares(split?.denominator);
  if (!numerator || !denominator)
    return replay.error(located, 'splits by a ratio of whole numbers here', '/split_ratio');
  const reissued = new Map(
    (replay.check.splitReissuances.get(str(item.id)) ?? []).map((r) => [
      str(r.item.security_id),
      r,
    ]),
  );
  for (const [id, security] of [...replay.securities]) {
    if (
      security.shareClass !== str(item.stock_class_id) ||
      security.spentBy ||
      security.date > date
    )
      continue;
    const reissuance = reissued.get(id);
    if (!reissuance) {
      replay.error(
        located,
        `leaves ${id} of the class unsplit: no reissuance of it names this split`,
      );
      continue;
    }
    reissued.delete(id);
    splitOne(replay, reissuance, { numerator, denominator }, date);
  }
  for (const reissuance of reissued.values())
    replay.error(
      reissuance,
      `names the split ${str(item.id)}, but ${str(reissuance.item.security_id)} is not an outstanding security of its class on ${date}`,
      '/security_id',
    );
}
