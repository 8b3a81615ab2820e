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

  it('never drops an entry used within the last half of the map’s operations', () => {
    const size = 100;
    const map = new LruMap<number, number>(size);
    for (let i = 0; i < size; i += 1) map.set(i, i);
    // A hot entry read all the time, among a stream of new ones three times the map's size.
    for (let i = size; i < size * 4; i += 1) {
      expect(map.get(7)).toBe(7);
      map.set(i, i);
    }
    expect(map.get(7)).toBe(7);
    expect(map.size).toBe(size);
    // The entries never read are gone, oldest first.
    expect(map.get(8)).toBeUndefined();
    expect(map.get(size * 4 - 1)).toBe(size * 4 - 1);
  });

  it('drops exactly the least recently used entry, as an exact LRU would, on small maps', () => {
    const map = new LruMap<string, number>(3);
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    map.get('a');
    map.get('b');
    map.set('d', 4);
    expect([map.get('a'), map.get('b'), map.get('c'), map.get('d')]).toEqual([1, 2, undefined, 4]);
  });
});
