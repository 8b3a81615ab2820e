/**
 * A Map holding at most `maxEntries` values; adding beyond the limit drops the least recently
 * used. (Map iteration order is insertion order, so re-inserting a used entry moves it to the end
 * and the oldest entry stays first.)
 *
 * Recency is kept to half the map: reading an entry re-inserts it only when more than half the
 * map's worth of uses and insertions have happened since it last moved. An entry read within the
 * last `maxEntries / 2` of them is in the newer half already and cannot be the next dropped, so
 * the answer is that of an exact LRU for every such entry, and a hit on a hot entry (a verified
 * token, a cached issuance) costs one lookup instead of a delete and an insert.
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, { value: V; tick: number }>();
  private tick = 0;
  private readonly freshFor: number;

  constructor(readonly maxEntries: number) {
    this.freshFor = Math.floor(maxEntries / 2);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.tick - entry.tick >= this.freshFor) {
      this.entries.delete(key);
      entry.tick = ++this.tick;
      this.entries.set(key, entry);
    }
    return entry.value;
  }

  set(key: K, value: V): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, tick: ++this.tick });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
