import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allocate, ALLOCATION_TYPES, AllocationType, Amount } from './allocation';
import { addMonths } from './vesting-dates';
import { Installment, vestedAsOf, vestingSchedule } from './vesting-schedule';
import { termsFromShorthand, VestingTermsOcf } from './vesting-terms';

/** The official OCF 1.2.0 samples, kept unmodified in the repository. */
function sample(file: string, id: string): VestingTermsOcf {
  const path = join(__dirname, '..', '..', '..', 'ocf', 'samples', file);
  const { items } = JSON.parse(readFileSync(path, 'utf8')) as { items: VestingTermsOcf[] };
  const terms = items.find((item) => item.id === id);
  if (!terms) throw new Error(`no vesting terms ${id} in ${file}`);
  return terms;
}

const whole = (amount: Amount) => {
  expect(amount.denominator).toBe(1n);
  return Number(amount.numerator);
};
const quantities = (schedule: Installment[]) => schedule.map((i) => whole(i.quantity));
const total = (schedule: Installment[]) => quantities(schedule).reduce((a, b) => a + b, 0);

describe('allocation types', () => {
  it.each<[AllocationType, number[]]>([
    ['CUMULATIVE_ROUNDING', [5, 4, 5, 4]],
    ['CUMULATIVE_ROUND_DOWN', [4, 5, 4, 5]],
    ['FRONT_LOADED', [5, 5, 4, 4]],
    ['BACK_LOADED', [4, 4, 5, 5]],
    ['FRONT_LOADED_TO_SINGLE_TRANCHE', [6, 4, 4, 4]],
    ['BACK_LOADED_TO_SINGLE_TRANCHE', [4, 4, 4, 6]],
  ])('spreads 18 shares over 4 tranches as OCF defines %s', (type, expected) => {
    expect(allocate(18n, [1n, 1n, 1n, 1n], type).map(whole)).toEqual(expected);
  });

  it('vests 4.5 shares a tranche, exactly, when FRACTIONAL', () => {
    expect(allocate(18n, [1n, 1n, 1n, 1n], 'FRACTIONAL')).toEqual(
      Array(4).fill({ numerator: 9n, denominator: 2n }),
    );
  });

  it('gives a cliff what the months it stands for would have vested (OCF issue 514)', () => {
    // 18 shares over 4 months with a 2-month cliff: 9, 10 or 8 shares at the cliff.
    const cliff = (type: AllocationType) => allocate(18n, [2n, 1n, 1n], type).map(whole);
    expect(cliff('CUMULATIVE_ROUNDING')).toEqual([9, 5, 4]);
    expect(cliff('CUMULATIVE_ROUND_DOWN')).toEqual([9, 4, 5]);
    expect(cliff('FRONT_LOADED')).toEqual([10, 4, 4]);
    expect(cliff('FRONT_LOADED_TO_SINGLE_TRANCHE')).toEqual([10, 4, 4]);
    expect(cliff('BACK_LOADED')).toEqual([8, 5, 5]);
    expect(cliff('BACK_LOADED_TO_SINGLE_TRANCHE')).toEqual([8, 4, 6]);
  });

  it.each(ALLOCATION_TYPES.filter((t) => t !== 'FRACTIONAL'))(
    'always adds up to the total (%s)',
    (type) => {
      for (const [shares, weights] of [
        [1001n, [12n, ...Array<bigint>(36).fill(1n)]],
        [7n, [1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n]],
        [999_999_999_999n, [3n, 5n, 7n, 11n]],
      ] as Array<[bigint, bigint[]]>) {
        const parts = allocate(shares, weights, type);
        expect(parts.reduce((sum, p) => sum + p.numerator, 0n)).toBe(shares);
        expect(parts.every((p) => p.numerator >= 0n)).toBe(true);
      }
    },
  );
});

describe('month ends', () => {
  it('vests on the start day, or the last day of a shorter month, counted from the anchor', () => {
    const monthly = (n: number) =>
      addMonths('2024-01-31', n, 'VESTING_START_DAY_OR_LAST_DAY_OF_MONTH', 31);
    expect([1, 2, 3, 13].map(monthly)).toEqual([
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
      '2025-02-28',
    ]);
    expect(addMonths('2024-01-29', 1, '29_OR_LAST_DAY_OF_MONTH', 29)).toBe('2024-02-29');
    expect(addMonths('2025-01-29', 1, '29_OR_LAST_DAY_OF_MONTH', 29)).toBe('2025-02-28');
    expect(addMonths('2025-01-15', 1, '30_OR_LAST_DAY_OF_MONTH', 15)).toBe('2025-02-28');
    expect(addMonths('2025-01-15', 2, '30_OR_LAST_DAY_OF_MONTH', 15)).toBe('2025-03-30');
    expect(addMonths('2025-01-15', 1, '03', 15)).toBe('2025-02-03');
  });
});

describe('the OCF samples', () => {
  const fourYear = sample('VestingTerms.ocf.json', '4yr-1yr-cliff-schedule');

  it('vests 4,800 shares as "Four Year / One Year Cliff" says: 1,200 at a year, then 100 a month', () => {
    const schedule = vestingSchedule(fourYear, { quantity: 4800n, startDate: '2025-01-01' });
    expect(schedule[0]).toEqual({
      date: '2026-01-01',
      quantity: { numerator: 1200n, denominator: 1n },
      cumulative: { numerator: 1200n, denominator: 1n },
    });
    expect(quantities(schedule.slice(1))).toEqual(Array(36).fill(100));
    expect(schedule.at(-1)?.date).toBe('2029-01-01');
    expect(total(schedule)).toBe(4800);
    expect(whole(vestedAsOf(schedule, '2025-12-31'))).toBe(0);
    expect(whole(vestedAsOf(schedule, '2026-06-30'))).toBe(1700);
  });

  it('rounds cumulatively over the whole grant when the shares do not divide (1,001 and 1,002)', () => {
    for (const quantity of [1001n, 1002n, 47n]) {
      const schedule = vestingSchedule(fourYear, { quantity, startDate: '2025-01-01' });
      expect(total(schedule)).toBe(Number(quantity));
      // The cliff is what 12 of the 48 months give under cumulative rounding.
      const cliff = Math.round((12 * Number(quantity)) / 48);
      expect(whole(schedule[0]?.quantity)).toBe(cliff);
      // Each later cumulative figure is the rounded exact one (47 shares skip months that vest 0).
      if (quantity === 47n) {
        expect(schedule.every((i) => i.quantity.numerator > 0n)).toBe(true);
        expect(schedule.length).toBeLessThan(37);
        continue;
      }
      schedule.forEach((installment, i) =>
        expect(whole(installment.cumulative)).toBe(
          Math.round(((12 + i) * Number(quantity)) / 48 + 1e-9),
        ),
      );
    }
  });

  it('starts on 31 August: the cliff on 31 August, then the last day of shorter months', () => {
    const schedule = vestingSchedule(fourYear, { quantity: 4800n, startDate: '2024-08-31' });
    expect(schedule.slice(0, 4).map((i) => i.date)).toEqual([
      '2025-08-31',
      '2025-09-30',
      '2025-10-31',
      '2025-11-30',
    ]);
    expect(schedule[6]?.date).toBe('2026-02-28');
    expect(schedule[7]?.date).toBe('2026-03-31');
  });

  it('vests "Six Year Option - Back Loaded": 10% at two years, then four years of rising months', () => {
    const terms = sample('VestingTerms.ocf.json', '6-yr-option-back-loaded');
    const schedule = vestingSchedule(terms, { quantity: 4800n, startDate: '2025-01-01' });
    expect(schedule[0]).toMatchObject({ date: '2027-01-01', quantity: { numerator: 480n } });
    expect(quantities(schedule.slice(1, 13))).toEqual(Array(12).fill(60));
    expect(quantities(schedule.slice(13, 25))).toEqual(Array(12).fill(80));
    expect(quantities(schedule.slice(25, 37))).toEqual(Array(12).fill(100));
    expect(quantities(schedule.slice(37))).toEqual(Array(12).fill(120));
    expect(schedule.at(-1)?.date).toBe('2031-01-01');
    expect(total(schedule)).toBe(4800);
  });

  it('back-loads what does not divide to the last months', () => {
    const terms = sample('VestingTerms.ocf.json', '6-yr-option-back-loaded');
    const schedule = vestingSchedule(terms, { quantity: 4801n, startDate: '2025-01-01' });
    expect(total(schedule)).toBe(4801);
    expect(whole(schedule.at(-1)?.quantity as Amount)).toBe(121);
    expect(quantities(schedule.slice(0, -1)).slice(0, 1)).toEqual([480]);
  });

  it('vests an all-or-nothing grant only once its event is recorded (documentation example 1)', () => {
    const terms = sample('VestingTerms.example1.ocf.json', 'all-or-nothing');
    expect(vestingSchedule(terms, { quantity: 4800n, startDate: '2025-01-01' })).toEqual([]);
    const events = new Map([['qualifying-sale', '2026-01-01']]);
    const schedule = vestingSchedule(terms, { quantity: 4800n, startDate: '2025-01-01', events });
    expect(schedule).toEqual([
      {
        date: '2026-01-01',
        quantity: { numerator: 4800n, denominator: 1n },
        cumulative: { numerator: 4800n, denominator: 1n },
      },
    ]);
  });

  it('vests 20% per qualifying sale, and the rest at once on the double trigger', () => {
    const terms = sample('VestingTerms.ocf.json', 'multi-tranche-event-based');
    const events = new Map([
      ['100k-sale-1', '2025-06-01'],
      ['100k-sale-2', '2025-09-01'],
      ['double-trigger-acceleration', '2026-02-01'],
    ]);
    const schedule = vestingSchedule(terms, { quantity: 4800n, startDate: '2025-01-01', events });
    expect(schedule.map((i) => [i.date, whole(i.quantity)])).toEqual([
      ['2025-06-01', 960],
      ['2025-09-01', 960],
      ['2026-02-01', 2880],
    ]);
  });

  it('vests nothing more after the four-year window closes without a sale', () => {
    const terms = sample('VestingTerms.ocf.json', 'multi-tranche-event-based');
    const events = new Map([
      ['100k-sale-1', '2025-06-01'],
      ['100k-sale-2', '2030-01-01'],
    ]);
    const schedule = vestingSchedule(terms, { quantity: 4800n, startDate: '2025-01-01', events });
    expect(schedule.map((i) => [i.date, whole(i.quantity)])).toEqual([['2025-06-01', 960]]);
  });
});

describe('the shorthand', () => {
  it('is stored as the OCF terms of the sample it matches', () => {
    const terms = termsFromShorthand({
      name: 'Standard',
      total_months: 48,
      cliff_months: 12,
      frequency_months: 1,
      allocation_type: 'CUMULATIVE_ROUNDING',
    });
    const fourYear = sample('VestingTerms.ocf.json', '4yr-1yr-cliff-schedule');
    const input = { quantity: 1003n, startDate: '2024-02-29' };
    expect(vestingSchedule(terms, input)).toEqual(vestingSchedule(fourYear, input));
  });

  it.each(ALLOCATION_TYPES.filter((t) => t !== 'FRACTIONAL'))(
    'sums to the grant for quarterly vesting with a cliff that does not divide the shares (%s)',
    (type) => {
      const terms = termsFromShorthand({
        name: 'Quarterly',
        total_months: 36,
        cliff_months: 6,
        frequency_months: 3,
        allocation_type: type,
      });
      const schedule = vestingSchedule(terms, { quantity: 1000n, startDate: '2024-05-31' });
      expect(schedule).toHaveLength(11);
      expect(total(schedule)).toBe(1000);
      expect(schedule[0]?.date).toBe('2024-11-30');
      expect(schedule[1]?.date).toBe('2025-02-28');
      expect(schedule[2]?.date).toBe('2025-05-31');
    },
  );

  it('vests fractions of a share exactly when FRACTIONAL', () => {
    const terms = termsFromShorthand({
      name: 'Fractional',
      total_months: 4,
      cliff_months: 0,
      frequency_months: 1,
      allocation_type: 'FRACTIONAL',
    });
    const schedule = vestingSchedule(terms, { quantity: 18n, startDate: '2024-01-01' });
    expect(schedule.map((i) => i.quantity)).toEqual(
      Array(4).fill({ numerator: 9n, denominator: 2n }),
    );
    expect(schedule.at(-1)?.cumulative).toEqual({ numerator: 18n, denominator: 1n });
  });
});
