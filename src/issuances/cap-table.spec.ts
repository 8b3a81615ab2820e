import { assembleCapTable, ClassTerms } from './cap-table';

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

describe('assembleCapTable', () => {
  const table = assembleCapTable(
    '2024-12-31',
    [
      { shareholderId: 'a', shareClassId: 'c', shares: 300n },
      { shareholderId: 'b', shareClassId: 'c', shares: 100n },
      { shareholderId: 'b', shareClassId: 'p', shares: 100n },
    ],
    [common, preferred],
    names,
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
    const empty = assembleCapTable('2020-01-01', [], [common], names);
    expect(empty.holders).toEqual([]);
    expect(empty.classes[0]).toMatchObject({
      issued_shares: 0,
      unissued_shares: 1000,
      ownership_pct: '0.0000',
    });
  });
});
