import { changedFields, maskTaxId, ProfileValues } from './shareholder-profile';

describe('maskTaxId', () => {
  it('keeps only the last four characters of a long tax id', () => {
    expect(maskTaxId('GB123456789')).toBe('*******6789');
  });

  it('hides short tax ids almost entirely', () => {
    expect(maskTaxId('12345')).toBe('****5');
    expect(maskTaxId('1234')).toBe('****');
  });

  it('leaves an absent tax id absent', () => {
    expect(maskTaxId(null)).toBeNull();
  });
});

describe('changedFields', () => {
  const base: ProfileValues = {
    name: 'Ada',
    email: 'ada@example.com',
    type: 'INDIVIDUAL',
    user_id: null,
    phone: null,
    address: 'London',
    tax_id: 'X1234',
  };

  it('names exactly the fields whose values differ', () => {
    expect(changedFields(base, { ...base, name: 'Ada King', address: null })).toEqual([
      'address',
      'name',
    ]);
  });

  it('finds nothing when nothing changed', () => {
    expect(changedFields(base, { ...base })).toEqual([]);
  });
});
