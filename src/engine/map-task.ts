import { InputError } from '../hive/errors.js';
import type { HiveValue } from '../hive/types.js';
import type { MapReduceStage, TableScan } from '../plan/plan.js';
import { forEachLine, forEachLineInRange, openDecompressed } from '../storage/line-reader.js';
import type { StorageRegistry } from '../storage/registry.js';
import { createAggregator, type AggregateState } from './aggregators.js';
import type { CounterName } from './counters.js';
import { encodeKey, partitionOf } from './keys.js';
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
}

/** What one map task hands to the shuffle; plain data, so it can cross a worker boundary. */
export interface MapTaskResult {
  /** partial-aggregate: for each reduce partition, the groups as [encoded key, group] pairs. */
  readonly partitions?: [string, PartialGroup][][];
  /** sort / rows: the projected rows. */
  readonly rows?: Row[];
  readonly counters: Partial<Record<CounterName, number>>;
  readonly malformed: MalformedSample[];
}

export type TaskInput = { readonly kind: 'split'; readonly split: Split } | { readonly kind: 'rows'; readonly rows: readonly Row[] };

/**
 * One map task: read its input, filter, then either aggregate per key in a
 * hash table (the combiner) and partition the groups by key hash, or project
 * rows. Runs the same in the main thread and in a worker.
 */
export async function runMapTask(stage: MapReduceStage, input: TaskInput, reducers: number, storage: StorageRegistry, maxSamples: number): Promise<MapTaskResult> {
  const counters: Partial<Record<CounterName, number>> = { mapTasks: 1 };
  const add = (name: CounterName, n = 1) => {
    counters[name] = (counters[name] ?? 0) + n;
  };
  const malformed: MalformedSample[] = [];
  const out = stage.map.output;
  const filter = stage.map.filter?.eval;
  let consume: (row: Row) => void;
  let finish: () => Pick<MapTaskResult, 'partitions' | 'rows'>;
  if (out.kind === 'partial-aggregate') {
    const aggregators = out.aggregates.map(createAggregator);
    const keys = out.keys.map((k) => k.eval);
    const hash = new Map<string, PartialGroup>();
    let fed = 0;
    // Reused for every row: the key values are copied only when a new group starts.
    const keyValues: Row = new Array(keys.length);
    consume = (row) => {
      if (filter && filter(row) !== true) return;
      fed++;
      for (let i = 0; i < keys.length; i++) keyValues[i] = keys[i]!(row);
      const key = encodeKey(keyValues);
      let group = hash.get(key);
      if (!group) {
        group = { keys: keyValues.slice(), states: aggregators.map((a) => a.init()) };
        hash.set(key, group);
      }
      for (let i = 0; i < aggregators.length; i++) aggregators[i]!.update(group.states[i]!, row);
    };
    finish = () => {
      add('mapOutputRecords', fed);
      add('combineOutputRecords', hash.size);
      const partitions: [string, PartialGroup][][] = Array.from({ length: Math.max(1, reducers) }, () => []);
      for (const entry of hash) partitions[partitionOf(entry[0], reducers)]!.push(entry);
      return { partitions };
    };
  } else {
    const values = out.values.map((v) => v.eval);
    const rows: Row[] = [];
    consume = (row) => {
      if (filter && filter(row) !== true) return;
      rows.push(values.map((v) => v(row)));
    };
    finish = () => {
      add('mapOutputRecords', rows.length);
      return { rows };
    };
  }
  if (input.kind === 'rows') for (const r of input.rows) consume(r);
  else {
    const scan = stage.map.input;
    if (scan.kind !== 'table-scan') throw new Error(`${stage.id}: a split given to a stage that reads another stage's output`);
    await readSplit(scan, input.split, storage, consume, add, (m) => {
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
  // One row array for the whole split: consumers read it and copy what they keep.
  const row: Row = new Array(width + parts.length);
  for (let i = 0; i < parts.length; i++) row[width + i] = parts[i]!;
  const process = (line: string, where: { line?: number; offset?: number }) => {
    records++;
    if (!serde.deserialize(line, row)) {
      bad++;
      onMalformed({ file: split.file.location, ...where, text: line.length > 200 ? `${line.slice(0, 200)}…` : line });
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
    try {
      stream = openDecompressed(storage, split.file);
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`cannot open: ${(err as Error).message}`, { file: split.file.location }, { cause: err });
    }
    await forEachLine(stream, split.file.location, (line, n) => {
      if (n <= skipHead) {
        skipped++;
        return;
      }
      if (skipFoot === 0) return process(line, { line: n });
      // Hold back the last `skipFoot` lines of the file: they are the footer.
      pending.push({ line, n });
      if (pending.length > skipFoot) {
        const p = pending.shift()!;
        process(p.line, { line: p.n });
      }
    });
    skipped += pending.length;
    add('skippedHeaderLines', skipped);
  } else {
    await forEachLineInRange(storage, split.file, split, (line, offset) => process(line, { offset }));
  }
  add('recordsRead', records);
  add('malformedRecords', bad);
}
