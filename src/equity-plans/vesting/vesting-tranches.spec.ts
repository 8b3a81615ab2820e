import { trancheProblem, VestingTranche } from './vesting-tranches';

const GRANT_DATE = '2025-01-15';
const check = (tranches: VestingTranche[], quantity = 100n) =>
  trancheProblem(tranches, quantity, GRANT_DATE);

describe('a grant’s own vesting tranches', () => {
  it('accepts positive quantities on increasing dates that add up to the grant', () => {
    expect(
      check([
        { date: GRANT_DATE, quantity: 25 },
        { date: '2026-01-15', quantity: 25 },
        { date: '2027-01-15', quantity: 50 },
      ]),
    ).toBeNull();
  });

  it('refuses an empty list', () => {
    expect(check([])).toEqual({ field: 'vesting', message: 'must list at least one tranche' });
  });

  it('refuses quantities that do not add up to the grant, either way', () => {
    expect(check([{ date: '2026-01-15', quantity: 99 }])).toEqual({
      field: 'vesting',
      message: "quantities must add up to the grant's 100 shares, not 99",
    });
    expect(check([{ date: '2026-01-15', quantity: 101 }])?.field).toBe('vesting');
  });

  it('names the tranche dated before the grant', () => {
    expect(
      check([
        { date: '2025-01-14', quantity: 50 },
        { date: '2026-01-15', quantity: 50 },
      ]),
    ).toEqual({
      field: 'vesting.0.date',
      message: `must not be before the grant date, ${GRANT_DATE}`,
    });
  });

  it('names the tranche whose date does not follow the previous one', () => {
    const repeated = check([
      { date: '2026-01-15', quantity: 50 },
      { date: '2026-01-15', quantity: 50 },
    ]);
    expect(repeated).toEqual({
      field: 'vesting.1.date',
      message: "must be after the previous tranche's date, 2026-01-15",
    });
    expect(
      check([
        { date: '2026-01-15', quantity: 50 },
        { date: '2025-06-01', quantity: 50 },
      ])?.field,
    ).toBe('vesting.1.date');
  });

  it('names a quantity that is not a positive whole number', () => {
    for (const quantity of [0, -5, 2.5])
      expect(
        check([
          { date: '2026-01-15', quantity: 100 },
          { date: '2027-01-15', quantity },
        ]),
      ).toEqual({ field: 'vesting.1.quantity', message: 'must be a positive whole number' });
  });

  it('adds up beyond what a JS number holds exactly', () => {
    const big = 900_000_000_000_000;
    expect(
      trancheProblem(
        [
          { date: '2026-01-15', quantity: big },
          { date: '2027-01-15', quantity: big },
        ],
        1_800_000_000_000_000n,
        GRANT_DATE,
      ),
    ).toBeNull();
  });
});
