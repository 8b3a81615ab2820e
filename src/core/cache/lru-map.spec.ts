import { LruMap } from './lru-map';

describe('LruMap', () => {
  it('drops the least recently used entry beyond its size', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1);
    map.set('c', 3);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([1, undefined, 3]);
    expect(map.size).toBe(2);
  });

  it('replaces a value without growing', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('a', 2);
    expect(map.size).toBe(1);
    expect(map.get('a')).toBe(2);
  });

  it('keeps nothing with size 0', () => {
    const map = new LruMap<string, number>(0);
    map.set('a', 1);
    expect(map.get('a')).toBeUndefined();
  });
});
