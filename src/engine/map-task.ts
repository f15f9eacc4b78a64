import { InputError } from '../hive/errors.js';
import type { HiveValue } from '../hive/types.js';
import type { MapReduceStage, TableScan } from '../plan/plan.js';
import { detachString, forEachLine, forEachLineInRange, openDecompressed } from '../storage/line-reader.js';
import type { StorageRegistry } from '../storage/registry.js';
import { createAggregator, DISTINCT_IN_KEY, packGroup, type AggregateState } from './aggregators.js';
import type { CounterName } from './counters.js';
import { encodeKey, keyComparatorFor, partitionOf, rowComparator } from './keys.js';
import { estimateRowBytes, RowBuffer, taskRows, type TaskOutput } from './row-buffer.js';
import { spillFileIn, SyncRecordWriter } from './spill.js';
import type { Split } from './splits.js';

export type Row = HiveValue[];

/** A group's key values and its aggregates' partial states. */
export interface PartialGroup {
  readonly keys: Row;
  readonly states: AggregateState[];
}

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
  /** partial-aggregate: for each reduce partition, the groups as [encoded key, group] pairs (when they fit in memory). */
  readonly partitions?: [string, PartialGroup][][];
  /** partial-aggregate, spilled: for each reduce partition, run files of packed groups (packGroup) sorted by key. */
  readonly partitionRuns?: string[][];
  /** sort: the projected rows, or runs of them sorted by the ORDER BY keys. */
  readonly rows?: Row[];
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

/**
 * One map task: read its input, filter, then either aggregate per key in a
 * hash table (the combiner) and partition the groups by key hash, or project
 * rows. Runs the same in the main thread and in a worker.
 */
/** Progress within a running map task: input bytes of its split read so far, and records. */
export type MapTaskProgress = (bytes: number, records: number) => void;

/** How often a map task reports progress. */
const PROGRESS_EVERY_BYTES = 8 * 2 ** 20;

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
  let finish: () => Pick<MapTaskResult, 'partitions' | 'partitionRuns' | 'rows' | 'sortedRuns' | 'output'>;
  if (out.kind === 'partial-aggregate') {
    // DISTINCT aggregates go into the shuffle key (MapOutput.distinct): one hash key per row and distinct tag.
    const distinct = out.distinct;
    const aggregators = out.aggregates.map((a) => (a.distinct ? DISTINCT_IN_KEY : createAggregator(a)));
    const groupKeys = out.keys.map((k) => k.eval);
    const prefix = groupKeys.length;
    const tagArguments = distinct ? distinct.arguments.map((list) => list.map((a) => a.eval)) : [];
    const partitionPrefix = distinct ? prefix : undefined;
    let hash = new Map<string, PartialGroup>();
    let fed = 0;
    let estimate = 0;
    const runs: string[][] = Array.from({ length: Math.max(1, reducers) }, () => []);
    let spilled = false;
    // Writes the hash table as one sorted run per partition and starts a fresh one (Hadoop's spill).
    const spill = () => {
      for (const [p, entries] of partitionEntries(hash, reducers, partitionPrefix).entries()) {
        if (entries.length === 0) continue;
        const cmp = keyComparatorFor(entries.map((e) => e[1].keys));
        entries.sort((a, b) => cmp(a[1].keys, b[1].keys));
        const writer = new SyncRecordWriter(spillFile!('map-agg'));
        for (const [, g] of entries) writer.write(packGroup(g.keys, g.states));
        writer.close();
        runs[p]!.push(writer.file);
      }
      add('spilledRecords', hash.size);
      add('combineOutputRecords', hash.size);
      add('spills');
      hash = new Map();
      estimate = 0;
      spilled = true;
    };
    const addToGroup = (keyValues: Row, row: Row, update: boolean) => {
      const key = encodeKey(keyValues);
      let group = hash.get(key);
      if (!group) {
        group = { keys: keyValues.slice(), states: aggregators.map((a) => a.init()) };
        hash.set(key, group);
        estimate += 96 + 2 * key.length + estimateRowBytes(group.keys) + 64 * aggregators.length;
      }
      if (update) for (let i = 0; i < aggregators.length; i++) aggregators[i]!.update(group.states[i]!, row);
    };
    // Reused for every row: the key values are copied only when a new group starts.
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
      return { partitions: partitionEntries(hash, reducers, partitionPrefix) };
    };
  } else if (out.kind === 'sort') {
    const values = out.values.map((v) => v.eval);
    const keys = stage.reduce?.kind === 'order' ? stage.reduce.keys : [];
    const compare = rowComparator(keys);
    let rows: Row[] = [];
    let bytes = 0;
    let total = 0;
    const runs: string[] = [];
    const spill = () => {
      rows.sort(compare);
      const writer = new SyncRecordWriter(spillFile!('map-sort'));
      for (const r of rows) writer.write(r);
      writer.close();
      runs.push(writer.file);
      add('spilledRecords', rows.length);
      add('spills');
      rows = [];
      bytes = 0;
    };
    consume = (row) => {
      if (filter && filter(row) !== true) return;
      const projected = values.map((v) => v(row));
      rows.push(projected);
      total++;
      bytes += estimateRowBytes(projected);
      if (bytes > memory.budgetBytes && spillFile) spill();
    };
    finish = () => {
      add('mapOutputRecords', total);
      if (runs.length === 0 && (bytes <= memory.keepInMemoryBytes || !spillFile)) return { rows };
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

/** Groups by reduce partition: the hash of the whole key, or of its first `prefix` values (the group keys). */
function partitionEntries(hash: Map<string, PartialGroup>, reducers: number, prefix?: number): [string, PartialGroup][][] {
  const partitions: [string, PartialGroup][][] = Array.from({ length: Math.max(1, reducers) }, () => []);
  for (const entry of hash) {
    const key = prefix === undefined ? entry[0] : encodeKey(entry[1].keys.slice(0, prefix));
    partitions[partitionOf(key, reducers)]!.push(entry);
  }
  return partitions;
}
