import { compareForSort } from '../hive/cast.js';
import type { HiveValue } from '../hive/types.js';
import type { SortKey } from '../plan/plan.js';

/** A string that is equal for equal key tuples (NULL distinct from every value), for hash maps. */
export function encodeKey(values: readonly HiveValue[]): string {
  if (values.length === 1) return encodeOne(values[0]!);
  let s = '';
  for (const v of values) s += encodeOne(v) + '\u0000';
  return s;
}

function encodeOne(v: HiveValue): string {
  if (v === null) return '\u0001N';
  if (typeof v === 'string') return v.length === 0 ? '\u0001E' : v.includes('\u0000') || v.charCodeAt(0) === 1 ? `\u0001S${JSON.stringify(v)}` : v;
  if (typeof v === 'number') return Object.is(v, -0) ? '\u00010' : `\u0001n${v}`;
  if (typeof v === 'boolean') return v ? '\u0001T' : '\u0001F';
  return `\u0001A${JSON.stringify(v)}`;
}

/** Java's String.hashCode over the key text: a stable hash for choosing a reduce partition. */
export function partitionOf(key: string, partitions: number): number {
  if (partitions <= 1) return 0;
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
  return (h & 0x7fffffff) % partitions;
}

/** The shuffle's order on group keys: each column ascending, NULL first (BinarySortableSerDe). */
export function compareKeyTuples(a: readonly HiveValue[], b: readonly HiveValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareForSort(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

/** compareKeyTuples on the first `n` values only (the group keys before the distinct values). */
export function compareKeyPrefix(a: readonly HiveValue[], b: readonly HiveValue[], n: number): number {
  for (let i = 0; i < n; i++) {
    const c = compareForSort(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

/** ORDER BY's comparator over rows. */
export function rowComparator(keys: readonly SortKey[]): (a: readonly HiveValue[], b: readonly HiveValue[]) => number {
  return (a, b) => {
    for (const k of keys) {
      const x = a[k.index]!;
      const y = b[k.index]!;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === k.nullsFirst ? -1 : 1;
      }
      const c = compareForSort(x, y);
      if (c !== 0) return k.descending ? -c : c;
    }
    return 0;
  };
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * A key-tuple comparator for a batch about to be sorted: when no string in
 * it has a surrogate pair, UTF-16 order (the engine's native string
 * comparison) equals code-point order, and the fast comparator is exact.
 */
export function keyComparatorFor(tuples: Iterable<readonly HiveValue[]>): (a: readonly HiveValue[], b: readonly HiveValue[]) => number {
  for (const t of tuples) for (const v of t) if (typeof v === 'string' && SURROGATE.test(v)) return compareKeyTuples;
  return compareSimpleKeyTuples;
}

function compareSimpleKeyTuples(a: readonly HiveValue[], b: readonly HiveValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : 1;
    const c = compareForSort(x, y);
    if (c !== 0) return c;
  }
  return 0;
}
