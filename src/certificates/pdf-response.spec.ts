import { etagMatches } from './pdf-response';

const sha = 'a'.repeat(64);

describe('etagMatches', () => {
  it('matches the quoted SHA-256, weak or strong, alone or in a list, and *', () => {
    expect(etagMatches(`"${sha}"`, sha)).toBe(true);
    expect(etagMatches(`W/"${sha}"`, sha)).toBe(true);
    expect(etagMatches(`"other", "${sha}"`, sha)).toBe(true);
    expect(etagMatches('*', sha)).toBe(true);
  });

  it('does not match another tag or a missing header', () => {
    expect(etagMatches(`"${'b'.repeat(64)}"`, sha)).toBe(false);
    expect(etagMatches(undefined, sha)).toBe(false);
    expect(etagMatches('', sha)).toBe(false);
  });
});
