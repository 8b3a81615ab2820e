import { largestRemainderPercentages } from './cap-table.math';
import type { CapTableClassDto, CapTableDto, CapTableRowDto } from './dto/cap-table.dto';
import { shareCount } from './money';

export interface LedgerPosition {
  shareholderId: string;
  shareClassId: string;
  shares: bigint;
}

export interface ClassTerms {
  id: string;
  name: string;
  type: string;
  authorizedShares: bigint;
  votesPerShare: number;
}

export const ROUNDING = 'largest-remainder, 4 decimals';

/**
 * Assembles the cap table from ledger positions (shares per holder and class as of a date). All
 * sums are bigint; only the final figures, well inside the exact range, become JSON numbers.
 */
export function assembleCapTable(
  asOf: string,
  positions: readonly LedgerPosition[],
  classes: readonly ClassTerms[],
  names: ReadonlyMap<string, string>,
): Required<CapTableDto> {
  const classById = new Map(classes.map((c) => [c.id, c]));
  const holders = new Map<
    string,
    { holdings: Map<string, bigint>; shares: bigint; votes: bigint }
  >();
  for (const position of positions) {
    const terms = classById.get(position.shareClassId);
    if (!terms) throw new Error(`ledger refers to unknown share class ${position.shareClassId}`);
    const holder = holders.get(position.shareholderId) ?? {
      holdings: new Map(),
      shares: 0n,
      votes: 0n,
    };
    holder.holdings.set(
      position.shareClassId,
      (holder.holdings.get(position.shareClassId) ?? 0n) + position.shares,
    );
    holder.shares += position.shares;
    holder.votes += position.shares * BigInt(terms.votesPerShare);
    holders.set(position.shareholderId, holder);
  }
  const ordered = [...holders.entries()].sort(([idA, a], [idB, b]) =>
    a.shares === b.shares
      ? (names.get(idA) ?? '').localeCompare(names.get(idB) ?? '') || idA.localeCompare(idB)
      : a.shares > b.shares
        ? -1
        : 1,
  );
  const ownership = largestRemainderPercentages(ordered.map(([, h]) => h.shares));
  const voting = largestRemainderPercentages(ordered.map(([, h]) => h.votes));
  const rows: CapTableRowDto[] = ordered.map(([id, holder], index) => ({
    shareholder_id: id,
    name: names.get(id) ?? '',
    holdings: classes
      .filter((c) => holder.holdings.has(c.id))
      .map((c) => ({
        share_class_id: c.id,
        share_class_name: c.name,
        shares: shareCount(String(holder.holdings.get(c.id))),
      })),
    total_shares: shareCount(String(holder.shares)),
    votes: shareCount(String(holder.votes)),
    ownership_pct: ownership[index] ?? '0.0000',
    voting_pct: voting[index] ?? '0.0000',
  }));

  const issuedByClass = classes.map((c) =>
    positions.filter((p) => p.shareClassId === c.id).reduce((sum, p) => sum + p.shares, 0n),
  );
  const classShare = largestRemainderPercentages(issuedByClass);
  const classRows: CapTableClassDto[] = classes.map((c, index) => {
    const issued = issuedByClass[index] ?? 0n;
    return {
      share_class_id: c.id,
      name: c.name,
      type: c.type,
      authorized_shares: shareCount(String(c.authorizedShares)),
      issued_shares: shareCount(String(issued)),
      unissued_shares: shareCount(String(c.authorizedShares - issued)),
      votes_per_share: c.votesPerShare,
      ownership_pct: classShare[index] ?? '0.0000',
    };
  });
  const totalShares = [...holders.values()].reduce((sum, h) => sum + h.shares, 0n);
  const totalVotes = [...holders.values()].reduce((sum, h) => sum + h.votes, 0n);
  return {
    as_of: asOf,
    rounding: ROUNDING,
    holders: rows,
    classes: classRows,
    totals: {
      issued_shares: shareCount(String(totalShares)),
      votes: shareCount(String(totalVotes)),
      holders: rows.length,
    },
  };
}
