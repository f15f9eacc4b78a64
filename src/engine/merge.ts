/** A sorted input of the merge: items arrive in batches, so the merge awaits once per batch. */
export type SortedSource<T> = AsyncIterator<T[]>;

/**
 * K-way merge of sorted sources (the reduce side of an external merge sort):
 * calls `emit` for all items in `compare` order; ties keep source order.
 * Returns early when `emit` returns false.
 */
export async function mergeSorted<T>(sources: readonly SortedSource<T>[], compare: (a: T, b: T) => number, emit: (item: T) => boolean | void): Promise<void> {
  const buffers: T[][] = [];
  const positions: number[] = [];
  // A binary min-heap of source indexes, ordered by each source's current item.
  const heap: number[] = [];
  const current = (s: number) => buffers[s]![positions[s]!]!;
  const less = (a: number, b: number) => {
    const c = compare(current(a), current(b));
    return c < 0 || (c === 0 && a < b);
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
  /** Loads the next non-empty batch of source `s`; false when it is exhausted. */
  const refill = async (s: number): Promise<boolean> => {
    for (;;) {
      const next = await sources[s]!.next();
      if (next.done) return false;
      if (next.value.length > 0) {
        buffers[s] = next.value;
        positions[s] = 0;
        return true;
      }
    }
  };
  for (let s = 0; s < sources.length; s++) {
    buffers.push([]);
    positions.push(0);
    if (await refill(s)) {
      heap.push(s);
      up(heap.length - 1);
    }
  }
  while (heap.length > 0) {
    const s = heap[0]!;
    if (emit(current(s)) === false) return;
    positions[s]!++;
    if (positions[s]! < buffers[s]!.length || (await refill(s))) down(0);
    else {
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        down(0);
      }
    }
  }
}

/** An in-memory sorted array as one batch. */
export async function* fromArray<T>(items: T[]): AsyncGenerator<T[]> {
  yield items;
}

/** Converts each item of each batch. */
export async function* mapBatches<A, B>(batches: AsyncIterable<A[]>, f: (a: A) => B): AsyncGenerator<B[]> {
  for await (const batch of batches) yield batch.map(f);
}
