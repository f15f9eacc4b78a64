import { compareForSort } from '../hive/cast.js';
import type { HiveValue } from '../hive/types.js';
import type { SortKey } from '../plan/plan.js';

/** Java's String.hashCode over a sortable key (sortable-key.ts; one char per byte): a stable hash for choosing a reduce partition. */
export function partitionOf(key: string, partitions: number): number {
  if (partitions <= 1) return 0;
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
  return (h & 0x7fffffff) % partitions;
}

/**
 * The shuffle's order on group keys: each column ascending, NULL first (BinarySortableSerDe). The engine
 * compares sortable keys (sortable-key.ts) instead; this is the order they encode.
 */
export function compareKeyTuples(a: readonly HiveValue[], b: readonly HiveValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareForSort(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

/** ORDER BY's comparator over rows; the engine sorts by encodeOrderKey, which encodes this order. */
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
