// A bounded, approximately least-recently-used map: every cache in edgepass is one of these, so none can grow
// without limit. Two generations (the "hashlru" scheme): entries go into the young map; when it holds half the
// capacity it becomes the old map and the previous old map is dropped whole. A hit in the young map is one Map
// lookup (no re-insertion on every request, as an exact LRU needs); a hit in the old map moves the entry up.
// An entry used at least once per half-capacity insertions is never evicted, and size never exceeds maxEntries.

export class Lru<K, V> {
  readonly #half: number;
  #young = new Map<K, V>();
  #old = new Map<K, V>();

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError('maxEntries must be a positive integer');
    // young stays below half (it turns old on reaching it) and old holds at most half: at most maxEntries in all.
    this.#half = Math.ceil(maxEntries / 2);
  }

  get(key: K): V | undefined {
    const young = this.#young.get(key);
    if (young !== undefined) return young;
    const old = this.#old.get(key);
    if (old === undefined) return undefined;
    this.#old.delete(key);
    this.#store(key, old);
    return old;
  }

  set(key: K, value: V): void {
    if (this.#young.has(key)) {
      this.#young.set(key, value);
      return;
    }
    this.#old.delete(key);
    this.#store(key, value);
  }

  delete(key: K): void {
    this.#young.delete(key);
    this.#old.delete(key);
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }

  #store(key: K, value: V): void {
    this.#young.set(key, value);
    if (this.#young.size >= this.#half) {
      this.#old = this.#young;
      this.#young = new Map();
    }
  }
}
