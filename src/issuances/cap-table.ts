import { percentagesOfCounts } from './cap-table.math';
import type {
  CapTableClassDto,
  CapTableDto,
  CapTableRowDto,
  HoldingDto,
} from './dto/cap-table.dto';
import { shareCount } from '../core/money/money';

/** A holder's shares of one class as of a date: one row of CAP_TABLE_POSITIONS_SQL as it is. */
export interface LedgerPosition {
  shareholderId: string;
  shareholderName: string;
  shareClassId: string;
  /** The decimal text of a non-negative whole number of shares (PostgreSQL's sum of bigints). */
  shares: string;
}

export interface ClassTerms {
  id: string;
  name: string;
  type: string;
  authorizedShares: bigint;
  votesPerShare: number;
}

export const ROUNDING = 'largest-remainder, 4 decimals';

/** Orders names as String.prototype.localeCompare does by default, without its per-call set-up. */
const byName = new Intl.Collator().compare;

export interface HolderTotals {
  id: string;
  name: string;
  /** Shares per class, by the class's index in `classes`; absent when the holder has none. */
  holdings: Array<number | undefined>;
  shares: number;
  votes: number;
}

/** The ledger summed per holder and class, before ordering and rounding. */
export interface LedgerTotals {
  holders: HolderTotals[];
  /** Shares issued per class, by the class's index in `classes`. */
  issuedByClass: number[];
  totalShares: number;
  totalVotes: number;
}

/**
 * Sums ledger positions (shares per holder and class as of a date) per holder and per class.
 *
 * Sums are JavaScript numbers, and exact: every addend is a non-negative safe integer, so every
 * partial sum is exact whenever the grand totals are safe integers, and those are checked here,
 * before any figure is used (a ledger beyond that range is refused, never rounded).
 */
export function sumLedger(
  positions: readonly LedgerPosition[],
  classes: readonly ClassTerms[],
): LedgerTotals {
  const classIndex = new Map(classes.map((c, index) => [c.id, index]));
  const votesPerShare = classes.map((c) => wholeCount(c.votesPerShare, 'votes per share'));
  const issuedByClass = classes.map(() => 0);
  const holders = new Map<string, HolderTotals>();
  let totalShares = 0;
  let totalVotes = 0;
  for (const position of positions) {
    const index = classIndex.get(position.shareClassId);
    if (index === undefined)
      throw new Error(`ledger refers to unknown share class ${position.shareClassId}`);
    const shares = Number(position.shares);
    if (!isWholeCount(shares))
      throw new Error(`share count "${position.shares}" is not a non-negative safe integer`);
    let holder = holders.get(position.shareholderId);
    if (!holder) {
      holder = {
        id: position.shareholderId,
        name: position.shareholderName,
        holdings: [],
        shares: 0,
        votes: 0,
      };
      holders.set(position.shareholderId, holder);
    }
    const votes = shares * votesPerShare[index];
    holder.holdings[index] = (holder.holdings[index] ?? 0) + shares;
    holder.shares += shares;
    holder.votes += votes;
    issuedByClass[index] += shares;
    totalShares += shares;
    totalVotes += votes;
  }
  wholeCount(totalShares, 'total of issued shares');
  wholeCount(totalVotes, 'total of votes');
  return { holders: [...holders.values()], issuedByClass, totalShares, totalVotes };
}

/**
 * The cap table from the summed ledger: holders by shares (then name, then id), percentages of
 * shares and of votes rounded with the largest-remainder method (exact integers), and the classes.
 */
export function capTableFrom(
  asOf: string,
  ledger: LedgerTotals,
  classes: readonly ClassTerms[],
): Required<Omit<CapTableDto, 'known_at' | 'basis' | 'pool'>> {
  const ordered = ledger.holders.sort((a, b) =>
    a.shares === b.shares ? byName(a.name, b.name) || byName(a.id, b.id) : b.shares - a.shares,
  );
  const ownership = percentagesOfCounts(ordered.map((h) => h.shares));
  const voting = percentagesOfCounts(ordered.map((h) => h.votes));
  const rows: CapTableRowDto[] = ordered.map((holder, row) => {
    return {
      shareholder_id: holder.id,
      name: holder.name,
      holdings: holdingsOf(holder.holdings, classes),
      total_shares: holder.shares,
      votes: holder.votes,
      ownership_pct: ownership[row] ?? '0.0000',
      voting_pct: voting[row] ?? '0.0000',
    };
  });

  const classRows = classRowsOf(ledger.issuedByClass, classes);
  return {
    as_of: asOf,
    rounding: ROUNDING,
    holders: rows,
    classes: classRows,
    totals: {
      issued_shares: ledger.totalShares,
      votes: ledger.totalVotes,
      holders: rows.length,
    },
  };
}

function holdingsOf(
  byClass: ReadonlyArray<number | undefined>,
  classes: readonly ClassTerms[],
): HoldingDto[] {
  const holdings: HoldingDto[] = [];
  for (let index = 0; index < classes.length; index += 1) {
    const shares = byClass[index];
    if (shares === undefined) continue;
    holdings.push({
      share_class_id: classes[index].id,
      share_class_name: classes[index].name,
      shares,
    });
  }
  return holdings;
}

function classRowsOf(
  issuedByClass: readonly number[],
  classes: readonly ClassTerms[],
): CapTableClassDto[] {
  const classShare = percentagesOfCounts(issuedByClass);
  return classes.map((c, index) => {
    const issued = issuedByClass[index] ?? 0;
    return {
      share_class_id: c.id,
      name: c.name,
      type: c.type,
      authorized_shares: shareCount(String(c.authorizedShares)),
      issued_shares: issued,
      unissued_shares: shareCount(String(c.authorizedShares - BigInt(issued))),
      votes_per_share: c.votesPerShare,
      ownership_pct: classShare[index] ?? '0.0000',
    };
  });
}

/** The cap table from ledger positions: sumLedger, then capTableFrom. */
export function assembleCapTable(
  asOf: string,
  positions: readonly LedgerPosition[],
  classes: readonly ClassTerms[],
): Required<Omit<CapTableDto, 'known_at' | 'basis' | 'pool'>> {
  return capTableFrom(asOf, sumLedger(positions, classes), classes);
}

function isWholeCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/** The value itself when it is a non-negative safe integer; anything else stops the table. */
function wholeCount(value: number, what: string): number {
  if (!isWholeCount(value)) throw new Error(`${what} ${value} is not a non-negative safe integer`);
  return value;
}
