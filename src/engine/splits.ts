import type { HiveValue } from '../hive/types.js';
import type { FileStatus } from '../storage/storage.js';

/** One input split: a byte range of a file, the unit of work of a map task (Hadoop's FileSplit). */
export interface Split {
  readonly file: FileStatus;
  /** First byte of the range. */
  readonly start: number;
  /** End of the range (exclusive); a line that starts at or before `end` is read whole by this split. */
  readonly end: number;
  /** Partition column values appended to every row read from this split. */
  readonly partitionValues: readonly HiveValue[];
}

/** Hadoop's default split size range: 32–128 MB; we use 64 MB unless told otherwise. */
export const DEFAULT_SPLIT_SIZE = 64 * 1024 * 1024;

/**
 * Cuts files into splits as TextInputFormat does: compressed files and files
 * whose header or footer lines are skipped are not splittable (Hive reads them
 * whole), the rest are cut every `splitSize` bytes; line boundaries are
 * resolved when the split is read.
 */
export function computeSplits(
  files: readonly { file: FileStatus; partitionValues: readonly HiveValue[] }[],
  options: { splitSize: number; skipsHeaderOrFooter: boolean },
): Split[] {
  const splits: Split[] = [];
  const size = Math.max(1, options.splitSize);
  for (const { file, partitionValues } of files) {
    const splittable = !options.skipsHeaderOrFooter && !/\.(gz|bz2|zst|snappy|lz4|deflate)$/i.test(file.location);
    if (!splittable || file.size <= size) {
      splits.push({ file, start: 0, end: file.size, partitionValues });
      continue;
    }
    // Hadoop's SPLIT_SLOP: the last split may be up to 10% larger instead of leaving a tiny one.
    let start = 0;
    while (file.size - start > size * 1.1) {
      splits.push({ file, start, end: start + size, partitionValues });
      start += size;
    }
    splits.push({ file, start, end: file.size, partitionValues });
  }
  return splits;
}
