import {
  customCertificateNumber,
  formatCertificateNumber,
  groupVerificationCode,
  newVerificationCode,
  normalizeVerificationCode,
  versionedNumber,
} from './certificate-numbering';

describe('certificate numbers', () => {
  it.each([
    ['CS', 1, 'CS-000001'],
    ['PA', 42, 'PA-000042'],
    ['ABCDEF', 999_999, 'ABCDEF-999999'],
    ['CS', 1_000_000, 'CS-1000000'],
  ])('formats prefix %p with sequence %p as %p', (prefix, sequence, number) => {
    expect(formatCertificateNumber(prefix, sequence)).toBe(number);
  });

  it.each([
    ['cs', 1],
    ['', 1],
    ['CS', 0],
    ['CS', -3],
    ['CS', 1.5],
  ])('refuses prefix %p with sequence %p', (prefix, sequence) => {
    expect(() => formatCertificateNumber(prefix, sequence)).toThrow(RangeError);
  });

  it.each([
    ['CS-1', 'CS', { number: 'CS-1', sequence: null }],
    ['0042', 'CS', { number: '0042', sequence: null }],
    ['Cert_7.b', 'CS', { number: 'Cert_7.b', sequence: null }],
    ['CS-000042', 'CS', { number: 'CS-000042', sequence: 42 }],
    ['CS-1000000', 'CS', { number: 'CS-1000000', sequence: 1_000_000 }],
    ['CS-0000042', 'CS', { number: 'CS-0000042', sequence: null }],
    ['CS-000000', 'CS', { number: 'CS-000000', sequence: null }],
  ])('takes the imported number %p in class %p as %p', (custom, prefix, expected) => {
    expect(customCertificateNumber(custom, prefix)).toEqual(expected);
  });

  it.each([
    ['PA-000001', 'CS'],
    ['CS 1', 'CS'],
    ['CS/1', 'CS'],
    ['"CS-1"', 'CS'],
    ['-1', 'CS'],
    ['A'.repeat(33), 'CS'],
    ['', 'CS'],
  ])('keeps to its own numbering for the imported number %p in class %p', (custom, prefix) => {
    expect(customCertificateNumber(custom, prefix)).toBeNull();
  });

  it('names a version with a suffix', () => {
    expect(versionedNumber('CS-000001', 2)).toBe('CS-000001-v2');
  });
});

describe('verification codes', () => {
  it('makes distinct 16-character codes from the unambiguous alphabet', () => {
    const codes = new Set(Array.from({ length: 500 }, () => newVerificationCode()));
    expect(codes.size).toBe(500);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
  });

  it('accepts a code typed in lower case, with dashes and look-alike letters', () => {
    expect(normalizeVerificationCode('abcd-0123-efgh-jkmn')).toBe('ABCD0123EFGHJKMN');
    expect(normalizeVerificationCode('ABCDOI23EFGHJKMN')).toBe('ABCD0123EFGHJKMN');
  });

  it('refuses what cannot be a code', () => {
    expect(normalizeVerificationCode('ABCD')).toBeNull();
    expect(normalizeVerificationCode('ABCD0123EFGHJKMU')).toBeNull();
    expect(normalizeVerificationCode('<script>alert(1)</script>')).toBeNull();
  });

  it('groups a code in fours for print', () => {
    expect(groupVerificationCode('ABCD0123EFGHJKMN')).toBe('ABCD-0123-EFGH-JKMN');
  });
});
