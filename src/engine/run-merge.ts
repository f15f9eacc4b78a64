import { rmSync } from 'node:fs';
import { READ_BLOCK_BYTES, RunReader, RunWriter, type RunSource } from './run-file.js';

/** Records between yields to the event loop, so that a long merge in the main thread still lets signals and progress through. */
const YIELD_EVERY = 1 << 16;

/**
 * K-way merge of sorted runs (the reduce side of an external merge sort):
 * calls `emit` with the reader positioned on each record, in key order
 * (keys compare as strings, that is as bytes); equal keys keep source
 * order. Stops early when `emit` returns false.
 */
export async function mergeRuns(sources: readonly RunSource[], emit: (record: RunReader) => boolean | void, blockBytes = READ_BLOCK_BYTES): Promise<void> {
  const readers = sources.map((s) => new RunReader(s, blockBytes));
  try {
    // A binary min-heap of reader indexes, ordered by each reader's current key.
    const heap: number[] = [];
    const less = (a: number, b: number) => {
      const x = readers[a]!.key;
      const y = readers[b]!.key;
      return x < y || (x === y && a < b);
    };
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    };
    const up = (i: number) => {
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(heap[i]!, heap[p]!)) return;
        [heap[i], heap[p]] = [heap[p]!, heap[i]!];
        i = p;
      }
    };
    for (let s = 0; s < readers.length; s++) {
      if (readers[s]!.next()) {
        heap.push(s);
        up(heap.length - 1);
      }
    }
    let sinceYield = 0;
    while (heap.length > 0) {
      const s = heap[0]!;
      if (emit(readers[s]!) === false) return;
      if (readers[s]!.next()) down(0);
      else {
        const last = heap.pop()!;
        if (heap.length > 0) {
          heap[0] = last;
          down(0);
        }
      }
      if (++sinceYield === YIELD_EVERY) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    for (const r of readers) r.close();
  }
}

/** How many runs a merge may open at once within `memoryBytes` (Hadoop's io.sort.factor, sized by memory). */
export function mergeFanIn(memoryBytes: number, blockBytes = READ_BLOCK_BYTES): number {
  return Math.max(2, Math.min(100, Math.floor(memoryBytes / blockBytes)));
}

/**
 * Bounded fan-in: while there are more runs than `fanIn`, merges consecutive
 * groups of `fanIn` runs into one file each, so that the final merge opens at
 * most `fanIn` runs. Consecutive groups keep equal keys in source order. The
 * inputs are left in place (a retried task reads them again); intermediate
 * files are removed by `removeIntermediate`.
 */
export async function reduceToFanIn(sources: readonly RunSource[], fanIn: number, newFile: () => string): Promise<{ sources: RunSource[]; removeIntermediate: () => void }> {
  const intermediate = new Set<string>();
  let current = [...sources];
  while (current.length > fanIn) {
    const next: RunSource[] = [];
    for (let i = 0; i < current.length; i += fanIn) {
      const group = current.slice(i, i + fanIn);
      if (group.length === 1) {
        next.push(group[0]!);
        continue;
      }
      const writer = new RunWriter(newFile());
      await mergeRuns(group, (r) => writer.copy(r.key, r.buf, r.payloadStart, r.payloadEnd));
      next.push(writer.close());
      intermediate.add(writer.file!);
      for (const g of group) {
        if (typeof g === 'string' && intermediate.delete(g)) rmSync(g, { force: true });
      }
    }
    current = next;
  }
  return {
    sources: current,
    removeIntermediate: () => {
      for (const f of intermediate) rmSync(f, { force: true });
    },
  };
}
