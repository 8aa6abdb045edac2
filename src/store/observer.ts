/**
 * What a store tells whoever keeps its state elsewhere (an on-disk journal):
 * each row written or removed, when those writes are final, and when the
 * whole state was replaced at once (a reset or an import, told as one event,
 * not row by row).
 */
export interface StoreObserver {
  /** A row of `table` in `scope` ("waldur", "maple/<company>") was written, or removed (`record` undefined). */
  row(scope: string, table: string, key: string, record: object | undefined): void;
  /** An outermost transaction ended (committed or rolled back), or a write outside one happened. */
  settled(): void;
  /** The whole state was replaced; the rows of the new one were not told. */
  replaced(): void;
}

/** A Map that tells `onChange` of every set and delete, and forgets its oldest entries past `limit`. */
export class ObservedMap<K, V> extends Map<K, V> {
  onChange: ((key: K, value: V | undefined) => void) | null = null;
  /** Called with each key forgotten because the map was full. */
  onEvict: ((key: K) => void) | null = null;
  limit = Number.POSITIVE_INFINITY;

  override set(key: K, value: V): this {
    super.set(key, value);
    this.onChange?.(key, value);
    while (this.size > this.limit) {
      const oldest = this.keys().next().value as K;
      super.delete(oldest);
      this.onChange?.(oldest, undefined);
      this.onEvict?.(oldest);
    }
    return this;
  }

  override delete(key: K): boolean {
    const had = super.delete(key);
    if (had) this.onChange?.(key, undefined);
    return had;
  }
}
