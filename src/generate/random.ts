/**
 * A small seeded PRNG for the log generator.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator) seeded through
 * splitmix32: only 32-bit integer operations, so the sequence is the same on
 * every platform and node version, and its period (at least 2^32, about 2^127
 * on average) is far beyond the few billion draws a 10-million-line run needs,
 * unlike mulberry32's single 2^32 cycle.
 *
 * Everything built on it avoids Math.pow/exp/log/sin: those are not required
 * to be correctly rounded, and a last-bit difference in a weight table could
 * change which entry a draw picks on another engine. Sums, products and
 * quotients are exact IEEE operations, so the output is byte-identical.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * @param seed any safe integer; seeds that differ only above 2^53 are not distinguishable.
   * @param stream selects an independent sequence for the same seed, so that
   *   separate concerns (pools, odd lines, file names) do not shift each other.
   */
  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    if (!Number.isSafeInteger(stream) || stream < 0) throw new RangeError(`stream must be a non-negative integer, got ${stream}`);
    // Fold the high bits in so seeds 1 and 2^32 + 1 differ.
    const low = seed >>> 0;
    const high = Math.floor(seed / 4294967296) >>> 0;
    let state = (low ^ Math.imul(high, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca77)) | 0;
    const splitmix = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = 1;
    // The first outputs of sfc32 are weakly mixed: discard a few, as its author recommends.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

/**
 * Picks entries in proportion to their weights, in O(log n) per draw
 * (a binary search over the cumulative weights, built once).
 */
export class WeightedPicker<T> {
  readonly items: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    if (entries.length === 0) throw new RangeError('WeightedPicker needs at least one entry');
    this.items = entries.map((e) => e[0]);
    this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach(([, weight], i) => {
      if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError(`weight must be finite and >= 0, got ${weight}`);
      sum += weight;
      this.cumulative[i] = sum;
    });
    if (sum <= 0) throw new RangeError('WeightedPicker needs a positive total weight');
    this.total = sum;
  }

  /** Index of the entry a uniform draw u in [0, 1) falls on. */
  indexAt(u: number): number {
    const target = u * this.total;
    const cum = this.cumulative;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  pickIndex(rng: Random): number {
    return this.indexAt(rng.next());
  }

  pick(rng: Random): T {
    return this.items[this.indexAt(rng.next())]!;
  }
}

/**
 * A Zipf-like picker over items in rank order: weight 1 / (rank + offset).
 * The exponent is fixed at 1 (no Math.pow, see above); `offset` flattens the
 * head so the most popular item does not dominate small samples.
 */
export function zipfPicker<T>(items: readonly T[], offset = 1): WeightedPicker<T> {
  return new WeightedPicker(items.map((item, rank) => [item, 1 / (rank + offset)] as const));
}
