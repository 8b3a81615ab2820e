import { DomainError } from '../core/errors/domain-error';
import { fairMarketValueOf, sarSettlementOf, settleSar } from './sar-settlement';

/** The field and message a refusal names. */
function refusal(run: () => unknown): { code: string; field?: string; message?: string } {
  try {
    run();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const [first] = error.extras.errors ?? [];
    return { code: error.code, field: first?.field, message: first?.messages[0] };
  }
  throw new Error('not refused');
}

describe('SAR settlement', () => {
  it('pays a CSAR its whole appreciation in cash, exactly', () => {
    expect(settleSar('CSAR', 100n, '2.5', '12.5')).toEqual({
      fairMarketValue: '12.5',
      appreciation: '1000',
      settledShares: 0n,
      cashAmount: '1000',
    });
  });

  it('pays an SSAR in whole shares at fair market value and the fraction left in cash', () => {
    // 100 × (3 − 1) = 200, which buys 66 shares at 3 (198) and leaves 2 in cash.
    expect(settleSar('SSAR', 100n, '1', '3')).toEqual({
      fairMarketValue: '3',
      appreciation: '200',
      settledShares: 66n,
      cashAmount: '2',
    });
  });

  it('pays an SSAR without cash when the appreciation is whole shares', () => {
    // 10 × (4 − 2) = 20 = 5 shares at 4.
    expect(settleSar('SSAR', 10n, '2', '4')).toMatchObject({ settledShares: 5n, cashAmount: '0' });
  });

  it('pays an SSAR worth less than a share in cash only', () => {
    expect(settleSar('SSAR', 1n, '9', '10')).toMatchObject({
      appreciation: '1',
      settledShares: 0n,
      cashAmount: '1',
    });
  });

  it('keeps decimals exact where floating point does not (0.1 + 0.2)', () => {
    // 3 × (0.3 − 0.1) = 0.6 exactly (3 × 0.2 is 0.6000000000000001 in floating point).
    expect(settleSar('CSAR', 3n, '0.1', '0.3')).toMatchObject({ appreciation: '0.6' });
    // 7 × (0.3 − 0.1) = 1.4, which buys 4 shares at 0.3 (1.2) and leaves 0.2.
    expect(settleSar('SSAR', 7n, '0.1', '0.3')).toMatchObject({
      settledShares: 4n,
      cashAmount: '0.2',
    });
    // Ten decimals and a quantity near the maximum stay exact to the last digit.
    expect(settleSar('SSAR', 999_999_999_999_999n, '0.0000000001', '0.3000000001')).toEqual({
      fairMarketValue: '0.3000000001',
      appreciation: '299999999999999.7',
      settledShares: 999_999_999_666_665n,
      cashAmount: '0.2000333335',
    });
  });

  it('never rounds a share up: the floor of an appreciation just short of a whole share', () => {
    // 3 × (1 − 1/3 rounded) = 2.0000000001 at 1: 2 shares, 0.0000000001 in cash.
    expect(settleSar('SSAR', 3n, '0.3333333333', '1')).toMatchObject({
      appreciation: '2.0000000001',
      settledShares: 2n,
      cashAmount: '0.0000000001',
    });
    // 1 × (1.0000000001 − 0.0000000002) = 0.9999999999 at 1.0000000001: no share, all cash.
    expect(settleSar('SSAR', 1n, '0.0000000002', '1.0000000001')).toMatchObject({
      settledShares: 0n,
      cashAmount: '0.9999999999',
    });
  });

  it('refuses a SAR at or below its base price (underwater), naming fair_market_value', () => {
    for (const value of ['2.5', '2.50', '1'])
      expect(refusal(() => settleSar('SSAR', 10n, '2.5', value))).toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'fair_market_value',
        message: expect.stringContaining('greater than the base price of 2.5'),
      });
  });

  it('requires the fair market value of a SAR and refuses it for options and RSUs', () => {
    expect(refusal(() => fairMarketValueOf('CSAR', undefined))).toMatchObject({
      field: 'fair_market_value',
      message: expect.stringContaining('required'),
    });
    for (const type of ['OPTION_ISO', 'OPTION_NSO', 'RSU'] as const) {
      expect(refusal(() => fairMarketValueOf(type, '5'))).toMatchObject({
        field: 'fair_market_value',
        message: 'applies to stock appreciation rights only',
      });
      expect(fairMarketValueOf(type, undefined)).toBeNull();
    }
    expect(fairMarketValueOf('SSAR', 12.5)).toBe('12.5');
    expect(fairMarketValueOf('SSAR', ' 12.50 ')).toBe('12.5');
    expect(refusal(() => fairMarketValueOf('SSAR', '1e3'))).toMatchObject({
      field: 'fair_market_value',
    });
  });

  it('settles a grant by its type and base price, and not at all when it is an option', () => {
    const sar = { compensationType: 'CSAR' as const, exercisePrice: '1.0000000000' };
    expect(sarSettlementOf(sar, 4n, '1.25')).toMatchObject({ cashAmount: '1' });
    const option = { compensationType: 'OPTION_NSO' as const, exercisePrice: '1' };
    expect(sarSettlementOf(option, 4n, undefined)).toBeNull();
  });
});
