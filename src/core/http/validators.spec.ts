import 'reflect-metadata';
import { validateSync } from 'class-validator';
import { MaxChars } from './validators';

class Named {
  @MaxChars(3)
  name!: unknown;
}

const errorsFor = (name: unknown) => validateSync(Object.assign(new Named(), { name })).length;

describe('MaxChars', () => {
  it('counts code points, as varchar(n) does: a variation selector is a character', () => {
    expect(errorsFor('abc')).toBe(0);
    expect(errorsFor('😀😀😀')).toBe(0); // one character each, two UTF-16 units
    expect(errorsFor('a\ufe0fb')).toBe(0);
    expect(errorsFor('\u2764\ufe0f\u2764\ufe0f')).toBe(1); // four characters
    expect(errorsFor('abcd')).toBe(1);
  });

  it('refuses a value that is not a string', () => {
    expect(errorsFor(123)).toBe(1);
    expect(errorsFor(['a'])).toBe(1);
  });
});
