import type { EquityGrantTransaction } from './equity-grant-transaction.entity';
import type { EquityGrant } from './equity-grant.entity';
import { dueExpiration, expiryOf, grantSchedule, grantVesting } from './grant-vesting';

function grant(overrides: Partial<EquityGrant> = {}): EquityGrant {
  return {
    id: 'g',
    shareholderId: 'h',
    stockPlanId: 'p',
    shareClassId: 'c',
    compensationType: 'OPTION_ISO',
    quantity: '1000',
    exercisePrice: '1',
    currency: 'EUR',
    grantDate: '2024-01-01',
    vestingTermsId: null,
    vestingStartDate: null,
    vestingTranches: null,
    expirationDate: null,
    earlyExercise: false,
    terminationExerciseDays: null,
    exercisedQuantity: '0',
    releasedQuantity: '0',
    cancelledQuantity: '0',
    terminatedOn: null,
    expiredOn: null,
    createdAt: new Date('2024-01-01T00:00:00Z'),
    createdBySub: 's',
    createdBy: 'admin',
    requestId: null,
    ...overrides,
  };
}

function tx(kind: EquityGrantTransaction['kind'], date: string, quantity: string) {
  return { kind, date, quantity, conditionId: null } as EquityGrantTransaction;
}

const TRANCHES = [
  { date: '2024-06-01', quantity: 100 },
  { date: '2025-01-01', quantity: 400 },
  { date: '2026-01-01', quantity: 500 },
];

describe('a grant with its own tranches', () => {
  it('vests on the tranches, not at the grant date', () => {
    const g = grant({ vestingTranches: TRANCHES });
    expect(grantSchedule(g, null, [])).toEqual([
      { date: '2024-06-01', quantity: 100n },
      { date: '2025-01-01', quantity: 400n },
      { date: '2026-01-01', quantity: 500n },
    ]);
    expect(grantVesting(g, null, [], '2025-06-30')).toMatchObject({
      vested: 500n,
      unvested: 500n,
      exercisable: 500n,
    });
    expect(grantVesting(g, null, [], '2024-05-31')).toMatchObject({ vested: 0n, exercisable: 0n });
  });

  it('limits what may be exercised by what vested, less what was exercised', () => {
    const g = grant({ vestingTranches: TRANCHES, exercisedQuantity: '300' });
    expect(
      grantVesting(g, null, [tx('EXERCISE', '2025-02-01', '300')], '2025-06-30').exercisable,
    ).toBe(200n);
  });

  it('forfeits the tranches after a termination', () => {
    const g = grant({ vestingTranches: TRANCHES, terminatedOn: '2025-03-01' });
    expect(grantSchedule(g, null, [tx('TERMINATION', '2025-03-01', '500')])).toEqual([
      { date: '2024-06-01', quantity: 100n },
      { date: '2025-01-01', quantity: 400n },
    ]);
  });
});

describe('expiry', () => {
  it('ends at the expiration date, or at the termination window if that is earlier', () => {
    expect(expiryOf(grant())).toBeNull();
    expect(expiryOf(grant({ expirationDate: '2030-12-31' }))).toBe('2030-12-31');
    const terminated = { terminatedOn: '2025-06-30', terminationExerciseDays: 90 };
    expect(expiryOf(grant({ ...terminated, expirationDate: '2030-12-31' }))).toBe('2025-09-28');
    expect(expiryOf(grant({ ...terminated, expirationDate: '2025-07-31' }))).toBe('2025-07-31');
    expect(expiryOf(grant({ terminatedOn: '2025-06-30' }))).toBe('2025-06-30');
  });

  it('is due the day after the last exercisable day, with all that is left', () => {
    const g = grant({ expirationDate: '2025-12-31', exercisedQuantity: '300' });
    expect(dueExpiration(g, '2025-12-31')).toBeNull();
    expect(dueExpiration(g, '2026-01-01')).toEqual({ date: '2026-01-01', quantity: 700n });
    expect(dueExpiration(g, '2027-05-05')).toEqual({ date: '2026-01-01', quantity: 700n });
  });

  it('is not due twice, nor with nothing left, nor without an end', () => {
    expect(
      dueExpiration(grant({ expirationDate: '2025-12-31', expiredOn: '2026-01-01' }), '2027-01-01'),
    ).toBeNull();
    expect(
      dueExpiration(
        grant({ expirationDate: '2025-12-31', exercisedQuantity: '600', cancelledQuantity: '400' }),
        '2027-01-01',
      ),
    ).toBeNull();
    expect(dueExpiration(grant(), '2099-01-01')).toBeNull();
  });

  it('after a termination, takes the vested rest once the window closed', () => {
    const g = grant({
      vestingTranches: TRANCHES,
      terminatedOn: '2025-06-30',
      terminationExerciseDays: 30,
      cancelledQuantity: '500',
    });
    expect(dueExpiration(g, '2025-07-30')).toBeNull();
    expect(dueExpiration(g, '2025-07-31')).toEqual({ date: '2025-07-31', quantity: 500n });
  });

  it('shows nothing exercisable from the expiration on, and drops what would vest after it', () => {
    const g = grant({ vestingTranches: TRANCHES, expirationDate: '2025-06-30' });
    const expiration = tx('EXPIRATION', '2025-07-01', '1000');
    expect(grantSchedule(g, null, [expiration]).map((i) => i.date)).toEqual([
      '2024-06-01',
      '2025-01-01',
    ]);
    expect(grantVesting(g, null, [expiration], '2025-06-30')).toMatchObject({
      vested: 500n,
      exercisable: 500n,
      expires_on: '2025-06-30',
    });
    expect(grantVesting(g, null, [expiration], '2025-07-01')).toMatchObject({
      vested: 500n,
      exercisable: 0n,
    });
  });
});
