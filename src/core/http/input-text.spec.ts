import { inputOffence, MAX_INPUT_DEPTH, textOffence } from './input-text';

describe('textOffence', () => {
  it('accepts ordinary text, tabs, line breaks and any well-formed Unicode', () => {
    for (const text of ['Grace Hopper', 'Main St 1\nFlat 2', 'a\tb\r\n', 'Zoë 😀 数字', ''])
      expect(textOffence(text)).toBeNull();
  });

  it('refuses NUL, the other C0 controls and DEL', () => {
    for (const code of [0x00, 0x01, 0x08, 0x0b, 0x0c, 0x0e, 0x1b, 0x1f, 0x7f])
      expect(textOffence(`a${String.fromCharCode(code)}b`)).toMatch(/control characters/);
  });

  it('refuses unpaired surrogates, high or low', () => {
    expect(textOffence('a\ud800b')).toMatch(/unpaired surrogate/);
    expect(textOffence('a\udc00')).toMatch(/unpaired surrogate/);
    expect(textOffence('\ud83d\ude00')).toBeNull();
  });
});

describe('inputOffence', () => {
  it('names the field path of the first offence, in document order', () => {
    const body = {
      name: 'ok',
      holders: [{ name: 'x' }, { name: 'bad\u0000', email: 'bad\u0001' }],
    };
    expect(inputOffence(body)).toEqual({
      field: 'holders.1.name',
      message: expect.stringMatching(/control characters/),
    });
  });

  it('checks property names too', () => {
    expect(inputOffence({ 'na\u0000me': 'x' })?.message).toMatch(/^its name must not contain/);
  });

  it('accepts nesting up to the limit and refuses one level more, without recursion', () => {
    const nest = (levels: number): unknown => {
      let value: unknown = 'leaf';
      for (let i = 0; i < levels; i += 1) value = [value];
      return value;
    };
    expect(inputOffence(nest(MAX_INPUT_DEPTH))).toBeNull();
    expect(inputOffence(nest(MAX_INPUT_DEPTH + 1))?.message).toMatch(/nest more than/);
    expect(inputOffence(nest(100_000))?.message).toMatch(/nest more than/);
  });

  it('passes numbers, booleans, null and clean query objects', () => {
    expect(inputOffence({ a: 1, b: true, c: null, d: ['x', 2] })).toBeNull();
    expect(inputOffence(undefined)).toBeNull();
  });
});
