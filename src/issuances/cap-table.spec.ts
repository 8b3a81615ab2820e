import { assembleCapTable, ClassTerms, LedgerPosition } from './cap-table';

const common: ClassTerms = {
  id: 'c',
  name: 'Common',
  type: 'COMMON',
  authorizedShares: 1000n,
  votesPerShare: 1,
};
const preferred: ClassTerms = {
  id: 'p',
  name: 'Series A',
  type: 'PREFERRED',
  authorizedShares: 500n,
  votesPerShare: 10,
};
const names = new Map([
  ['a', 'Alice'],
  ['b', 'Bob'],
]);

/** A ledger row as CAP_TABLE_POSITIONS_SQL gives it: the sum of shares as decimal text. */
const position = (
  shareholderId: string,
  shareClassId: string,
  shares: number | string,
  shareholderName = names.get(shareholderId) ?? '',
): LedgerPosition => ({ shareholderId, shareholderName, shareClassId, shares: String(shares) });

describe('assembleCapTable', () => {
  const table = assembleCapTable(
    '2024-12-31',
    [position('a', 'c', 300), position('b', 'c', 100), position('b', 'p', 100)],
    [common, preferred],
  );

  it('sums holdings per holder and orders holders by shares', () => {
    expect(table.holders.map((h) => [h.name, h.total_shares, h.votes])).toEqual([
      ['Alice', 300, 300],
      ['Bob', 200, 1100],
    ]);
  });

  it('computes ownership of issued shares and voting power separately', () => {
    expect(table.holders.map((h) => [h.ownership_pct, h.voting_pct])).toEqual([
      ['60.0000', '21.4286'],
      ['40.0000', '78.5714'],
    ]);
  });

  it('reports authorized, issued and unissued shares per class', () => {
    expect(
      table.classes.map((c) => [
        c.name,
        c.authorized_shares,
        c.issued_shares,
        c.unissued_shares,
        c.ownership_pct,
      ]),
    ).toEqual([
      ['Common', 1000, 400, 600, '80.0000'],
      ['Series A', 500, 100, 400, '20.0000'],
    ]);
    expect(table.totals).toEqual({ issued_shares: 500, votes: 1400, holders: 2 });
  });

  it('is empty but well formed before any issuance', () => {
    const empty = assembleCapTable('2020-01-01', [], [common]);
    expect(empty.holders).toEqual([]);
    expect(empty.classes[0]).toMatchObject({
      issued_shares: 0,
      unissued_shares: 1000,
      ownership_pct: '0.0000',
    });
  });

  it('orders equal holdings by name as localeCompare does, then by id', () => {
    const tied = new Map([
      ['h1', 'émile'],
      ['h2', 'Emile'],
      ['h3', 'zoë'],
      ['h4', 'Zoe'],
      ['h5', 'emile'],
      ['h6', 'Emile'],
    ]);
    const result = assembleCapTable(
      '2024-12-31',
      [
        ...[...tied].map(([id, name]) => position(id, 'c', 10, name)),
        position('big', 'c', 11, 'Zed'),
      ],
      [common],
    );
    const expected = [...tied.keys()].sort(
      (a, b) => (tied.get(a) ?? '').localeCompare(tied.get(b) ?? '') || a.localeCompare(b),
    );
    expect(result.holders.map((h) => h.shareholder_id)).toEqual(['big', ...expected]);
    expect(result.holders.map((h) => h.name)).toEqual([
      'Zed',
      'emile',
      'Emile',
      'Emile',
      'émile',
      'Zoe',
      'zoë',
    ]);
  });

  it("lists each holder's classes in the order of the classes, one row per holder", () => {
    const result = assembleCapTable(
      '2024-12-31',
      [position('a', 'p', 5), position('a', 'c', 7), position('a', 'p', 1)],
      [common, preferred],
    );
    expect(result.holders).toEqual([
      {
        shareholder_id: 'a',
        name: 'Alice',
        holdings: [
          { share_class_id: 'c', share_class_name: 'Common', shares: 7 },
          { share_class_id: 'p', share_class_name: 'Series A', shares: 6 },
        ],
        total_shares: 13,
        votes: 67,
        ownership_pct: '100.0000',
        voting_pct: '100.0000',
      },
    ]);
  });

  it('refuses a ledger whose figures leave the exact range instead of rounding them', () => {
    const half = 2 ** 52;
    const wide = { ...common, authorizedShares: BigInt(Number.MAX_SAFE_INTEGER) };
    expect(() =>
      assembleCapTable('2024-12-31', [position('a', 'c', half), position('b', 'c', half)], [wide]),
    ).toThrow(/safe integer/);
    expect(() => assembleCapTable('2024-12-31', [position('a', 'p', half)], [preferred])).toThrow(
      /safe integer/,
    );
    for (const shares of ['9007199254740993', '1.5', '-1', 'abc']) {
      expect(() => assembleCapTable('2024-12-31', [position('a', 'c', shares)], [wide])).toThrow(
        /safe integer/,
      );
    }
  });
});
