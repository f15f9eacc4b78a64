import { InputError } from '../hive/errors.js';
import type { HiveValue } from '../hive/types.js';
import type { MapReduceStage, TableScan } from '../plan/plan.js';
import { detachString, forEachLine, forEachLineInRange, openDecompressed } from '../storage/line-reader.js';
import type { StorageRegistry } from '../storage/registry.js';
import { createAggregator, DISTINCT_IN_KEY, writeStates, type AggregateState } from './aggregators.js';
import type { CounterName } from './counters.js';
import { partitionOf } from './keys.js';
import { estimateRowBytes, RowBuffer, taskRows, type TaskOutput } from './row-buffer.js';
import { RunWriter } from './run-file.js';
import { encodeKeyTuple, encodeOrderKey, keyPrefixLength } from './sortable-key.js';
import { spillFileIn } from './spill.js';
import type { Split } from './splits.js';

export type Row = HiveValue[];

/** Where a malformed line is: its file, and its line number when known (whole-file reads) or its byte offset. */
export interface MalformedSample {
  readonly file: string;
  readonly line?: number;
  readonly offset?: number;
  readonly text: string;
  /** Set when the line was given up at the regex step budget rather than found not to match. */
  readonly reason?: 'regex-budget';
}

/** What one map task hands to the shuffle; plain data, so it can cross a worker boundary. */
export interface MapTaskResult {
  /**
   * partial-aggregate: for each reduce partition, a run in memory of its groups (sortable key, partial
   * states; see run-file.ts): one block per partition crosses the worker boundary, not an object per group.
   */
  readonly partitions?: Uint8Array[];
  /** partial-aggregate, spilled: for each reduce partition, run files of its groups. */
  readonly partitionRuns?: string[][];
  /** sort: the projected rows keyed by their ORDER BY key, as a run in memory or as run files. */
  readonly sorted?: Uint8Array;
  readonly sortedRuns?: string[];
  /** rows (map-only): the task's output. */
  readonly output?: TaskOutput;
  readonly counters: Partial<Record<CounterName, number>>;
  readonly malformed: MalformedSample[];
}

export type TaskInput = { readonly kind: 'split'; readonly split: Split } | { readonly kind: 'stage-output'; readonly outputs: readonly TaskOutput[] };

/** A map task's share of the memory budget, and where it may spill. */
export interface TaskMemory {
  readonly budgetBytes: number;
  /** A finished task keeps its output in memory only below this size (the reduce side's share). */
  readonly keepInMemoryBytes: number;
  /** Directory for spill files; without one, everything stays in memory. */
  readonly spillDir?: string;
}

/** Progress within a running map task: input bytes of its split read so far, and records. */
export type MapTaskProgress = (bytes: number, records: number) => void;

/** How often a map task reports progress. */
const PROGRESS_EVERY_BYTES = 8 * 2 ** 20;

/**
 * One map task: read its input, filter, then either aggregate per sortable
 * key (sortable-key.ts) in a hash table (the combiner) and partition the
 * groups by the hash of the key, or project rows. Past its memory share a
 * task writes key-sorted runs (run-file.ts); what is left at the end becomes
 * one in-memory run per partition, or more runs when it is large. Runs the
 * same in the main thread and in a worker.
 */
export async function runMapTask(
  stage: MapReduceStage,
  input: TaskInput,
  reducers: number,
  storage: StorageRegistry,
  maxSamples: number,
  memory: TaskMemory,
  onProgress?: MapTaskProgress,
): Promise<MapTaskResult> {
  const spillFile = memory.spillDir ? (label: string) => spillFileIn(memory.spillDir!, label) : undefined;
  const counters: Partial<Record<CounterName, number>> = { mapTasks: 1 };
  const add = (name: CounterName, n = 1) => {
    counters[name] = (counters[name] ?? 0) + n;
  };
  const malformed: MalformedSample[] = [];
  const out = stage.map.output;
  const filter = stage.map.filter?.eval;
  let consume: (row: Row) => void;
  let finish: () => Pick<MapTaskResult, 'partitions' | 'partitionRuns' | 'sorted' | 'sortedRuns' | 'output'>;
  if (out.kind === 'partial-aggregate') {
    // DISTINCT aggregates go into the shuffle key (MapOutput.distinct): one hash key per row and distinct tag.
    const distinct = out.distinct;
    const aggregators = out.aggregates.map((a) => (a.distinct ? DISTINCT_IN_KEY : createAggregator(a)));
    const groupKeys = out.keys.map((k) => k.eval);
    const prefix = groupKeys.length;
    const tagArguments = distinct ? distinct.arguments.map((list) => list.map((a) => a.eval)) : [];
    // The hash table maps a group's sortable key to its partial states; the key values are decoded on the reduce side.
    let hash = new Map<string, AggregateState[]>();
    let fed = 0;
    let estimate = 0;
    const groupBytes = GROUP_ENTRY_BYTES + STATE_BYTES * aggregators.length;
    const runs: string[][] = Array.from({ length: Math.max(1, reducers) }, () => []);
    let spilled = false;
    // With DISTINCT, rows are partitioned by the group keys only, so that a group's distinct values meet in one reducer.
    const partitionOfKey = (key: string) => partitionOf(distinct ? key.slice(0, keyPrefixLength(key, prefix)) : key, reducers);
    const keysByPartition = (): string[][] => {
      const partitions: string[][] = Array.from({ length: Math.max(1, reducers) }, () => []);
      for (const key of hash.keys()) partitions[partitionOfKey(key)]!.push(key);
      return partitions;
    };
    /** Writes groups in key order: sortable keys sort as strings. */
    const writeGroups = (keys: string[], writer: RunWriter) => {
      keys.sort();
      for (const key of keys) {
        writeStates(writer.begin(key), hash.get(key)!);
        writer.end();
      }
    };
    // Writes the hash table as one sorted run per partition and starts a fresh one (Hadoop's spill).
    const spill = () => {
      for (const [p, keys] of keysByPartition().entries()) {
        if (keys.length === 0) continue;
        const writer = new RunWriter(spillFile!('map-agg'));
        writeGroups(keys, writer);
        runs[p]!.push(writer.close());
      }
      add('spilledRecords', hash.size);
      add('combineOutputRecords', hash.size);
      add('spills');
      hash = new Map();
      estimate = 0;
      spilled = true;
    };
    const addToGroup = (keyValues: Row, row: Row, update: boolean) => {
      const key = encodeKeyTuple(keyValues);
      let states = hash.get(key);
      if (!states) {
        states = aggregators.map((a) => a.init());
        hash.set(key, states);
        estimate += groupBytes + key.length;
      }
      if (update) for (let i = 0; i < aggregators.length; i++) aggregators[i]!.update(states[i]!, row);
    };
    // Reused for every row: only the encoded key is kept.
    const keyValues: Row[] = distinct ? tagArguments.map((args) => new Array(prefix + 1 + args.length)) : [new Array(prefix)];
    consume = (row) => {
      if (filter && filter(row) !== true) return;
      fed++;
      if (!distinct) {
        const kv = keyValues[0]!;
        for (let i = 0; i < prefix; i++) kv[i] = groupKeys[i]!(row);
        addToGroup(kv, row, true);
      } else {
        for (let t = 0; t < tagArguments.length; t++) {
          const kv = keyValues[t]!;
          const args = tagArguments[t]!;
          for (let i = 0; i < prefix; i++) kv[i] = groupKeys[i]!(row);
          kv[prefix] = t;
          let hasNull = false;
          for (let j = 0; j < args.length; j++) if ((kv[prefix + 1 + j] = args[j]!(row)) === null) hasNull = true;
          // Tag 0 carries the other aggregates' states for every row; other tags only matter for non-NULL values.
          if (t === 0 || !hasNull) addToGroup(kv, row, t === 0);
        }
      }
      if (estimate > memory.budgetBytes && spillFile) spill();
    };
    finish = () => {
      add('mapOutputRecords', fed);
      // A large final table goes to disk too, so that the reducers' inputs never have to fit in memory together.
      if (spilled || (estimate > memory.keepInMemoryBytes && spillFile)) {
        if (hash.size > 0) spill();
        return { partitionRuns: runs };
      }
      add('combineOutputRecords', hash.size);
      return {
        partitions: keysByPartition().map((keys) => {
          const writer = new RunWriter();
          writeGroups(keys, writer);
          return writer.bytes();
        }),
      };
    };
  } else if (out.kind === 'sort') {
    const values = out.values.map((v) => v.eval);
    const keys = stage.reduce?.kind === 'order' ? stage.reduce.keys : [];
    // Rows with their ORDER BY key; a stable sort on the key keeps ties in input order.
    let rows: SortedRow[] = [];
    let bytes = 0;
    let total = 0;
    const runs: string[] = [];
    const writeRows = (writer: RunWriter) => {
      rows.sort(byOrderKey);
      for (const r of rows) {
        writer.begin(r.key).row(r.row);
        writer.end();
      }
    };
    const spill = () => {
      const writer = new RunWriter(spillFile!('map-sort'));
      writeRows(writer);
      runs.push(writer.close());
      add('spilledRecords', rows.length);
      add('spills');
      rows = [];
      bytes = 0;
    };
    consume = (row) => {
      if (filter && filter(row) !== true) return;
      const projected = values.map((v) => v(row));
      const key = encodeOrderKey(projected, keys);
      rows.push({ key, row: projected });
      total++;
      bytes += SORTED_ROW_BYTES + key.length + estimateRowBytes(projected);
      if (bytes > memory.budgetBytes && spillFile) spill();
    };
    finish = () => {
      add('mapOutputRecords', total);
      if (runs.length === 0 && (bytes <= memory.keepInMemoryBytes || !spillFile)) {
        const writer = new RunWriter();
        writeRows(writer);
        return { sorted: writer.bytes() };
      }
      if (rows.length > 0) spill();
      return { sortedRuns: runs };
    };
  } else {
    const values = out.values.map((v) => v.eval);
    const buffer = new RowBuffer(Math.min(memory.budgetBytes, memory.keepInMemoryBytes), spillFile ? () => spillFile('map-out') : undefined);
    consume = (row) => {
      if (filter && filter(row) !== true) return;
      buffer.push(values.map((v) => v(row)));
    };
    finish = () => {
      const output = buffer.finish();
      add('mapOutputRecords', output.count);
      if (output.file) {
        add('spills');
        add('spilledRecords', output.count);
      }
      return { output };
    };
  }
  if (input.kind === 'stage-output') {
    for (const o of input.outputs) for await (const r of taskRows(o)) consume(r);
  }
  else {
    const scan = stage.map.input;
    if (scan.kind !== 'table-scan') throw new Error(`${stage.id}: a split given to a stage that reads another stage's output`);
    await readSplit(scan, input.split, storage, consume, add, onProgress, (m) => {
      if (malformed.length < maxSamples) malformed.push(m);
    });
  }
  return { ...finish(), counters, malformed };
}

async function readSplit(
  scan: TableScan,
  split: Split,
  registry: StorageRegistry,
  emit: (row: Row) => void,
  add: (name: CounterName, n?: number) => void,
  onProgress: MapTaskProgress | undefined,
  onMalformed: (m: MalformedSample) => void,
): Promise<void> {
  const { table } = scan;
  add('inputBytes', split.end - split.start);
  if (split.start === 0) add('inputFiles');
  const serde = table.createSerDe(scan.neededColumns);
  const width = table.columns.length;
  const parts = split.partitionValues;
  const storage = registry.resolve(split.file.location);
  let records = 0;
  let bad = 0;
  let overBudgetLines = 0;
  // One row array for the whole split: consumers read it and copy what they keep.
  const row: Row = new Array(width + parts.length);
  for (let i = 0; i < parts.length; i++) row[width + i] = parts[i]!;
  const needed = scan.neededColumns.flatMap((n, i) => (n && i < width ? [i] : []));
  const process = (line: string, lineNumber: number, offset: number, hints: number) => {
    records++;
    if (!serde.deserialize(line, row, hints)) {
      bad++;
      const overBudget = serde.lastLineOverBudget === true;
      if (overBudget) overBudgetLines++;
      const text = detachString(line.length > 200 ? `${line.slice(0, 200)}…` : line);
      onMalformed({ file: split.file.location, ...(lineNumber > 0 ? { line: lineNumber } : { offset }), text, ...(overBudget ? { reason: 'regex-budget' } : {}) });
    }
    // Lines are slices of a whole decoded chunk (line-reader.ts): string fields must not pin it.
    for (const i of needed) {
      const v = row[i];
      if (typeof v === 'string') row[i] = detachString(v);
      else if (Array.isArray(v)) row[i] = (v as readonly string[]).map(detachString);
    }
    emit(row);
  };
  const wholeFile = split.start === 0 && split.end === split.file.size;
  if (wholeFile) {
    const skipHead = table.skipHeaderLines;
    const skipFoot = table.skipFooterLines;
    const pending: { line: string; n: number }[] = [];
    let skipped = 0;
    let stream;
    let storedBytes = 0;
    let reportAt = PROGRESS_EVERY_BYTES;
    try {
      stream = openDecompressed(storage, split.file, onProgress && ((n) => (storedBytes = n)));
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`cannot open: ${(err as Error).message}`, { file: split.file.location }, { cause: err });
    }
    await forEachLine(stream, split.file.location, (line, n, hints) => {
      if (storedBytes >= reportAt && onProgress) {
        reportAt = storedBytes + PROGRESS_EVERY_BYTES;
        onProgress(Math.min(storedBytes, split.end), records);
      }
      if (n <= skipHead) {
        skipped++;
        return;
      }
      if (skipFoot === 0) return process(line, n, -1, hints);
      // Hold back the last `skipFoot` lines of the file: they are the footer.
      pending.push({ line, n });
      if (pending.length > skipFoot) {
        const p = pending.shift()!;
        process(p.line, p.n, -1, 0);
      }
    });
    skipped += pending.length;
    add('skippedHeaderLines', skipped);
  } else {
    // A range reports the offset of the line it reached.
    let reportAt = split.start + PROGRESS_EVERY_BYTES;
    await forEachLineInRange(storage, split.file, split, (line, offset, hints) => {
      process(line, 0, offset, hints);
      if (offset >= reportAt && onProgress) {
        reportAt = offset + PROGRESS_EVERY_BYTES;
        onProgress(Math.min(offset, split.end) - split.start, records);
      }
    });
  }
  add('recordsRead', records);
  add('malformedRecords', bad);
  if (overBudgetLines > 0) add('regexBudgetExceeded', overBudgetLines);
}

/** A projected row waiting for the ORDER BY sort, with its sortable key. */
interface SortedRow {
  readonly key: string;
  readonly row: Row;
}

function byOrderKey(a: SortedRow, b: SortedRow): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Heap bytes of a hash-table group besides its key's characters: the map entry, the key string's header, the states array. */
const GROUP_ENTRY_BYTES = 120;
/** Heap bytes of one partial state ({n, sum, value} and a boxed double). */
const STATE_BYTES = 72;
/** Heap bytes of a SortedRow besides its key's characters and its row. */
const SORTED_ROW_BYTES = 56;
