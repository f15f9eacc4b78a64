import { InputError } from '../hive/errors.js';
import type { HiveValue } from '../hive/types.js';
import type { TableScan, MapReduceStage, QueryPlan, StageInput } from '../plan/plan.js';
import { makeCast } from '../hive/cast.js';
import { T } from '../hive/types.js';
import { forEachLine, openDecompressed } from '../storage/line-reader.js';
import type { StorageRegistry } from '../storage/registry.js';
import type { FileStatus } from '../storage/storage.js';
import { createAggregator, type AggregateState, type Aggregator } from './aggregators.js';
import type { Counters } from './counters.js';
import { compareKeyTuples, encodeKey, partitionOf, rowComparator } from './keys.js';

export type Row = HiveValue[];

export interface RunnerOptions {
  readonly storage: StorageRegistry;
  readonly counters: Counters;
  /** mapreduce.job.reduces when set (> 0): the number of reducers for stages that may have several. */
  readonly reducers?: number;
  /** hive.exec.reducers.bytes.per.reducer: input bytes per reducer when sizing automatically. */
  readonly bytesPerReducer: number;
  /** hive.exec.reducers.max */
  readonly maxReducers: number;
  /** Called for each line a SerDe could not parse (file, 1-based line number). */
  readonly onMalformed?: (file: string, line: number, text: string) => void;
  readonly onWarning?: (message: string) => void;
}

/** The rows of each final task: one array per reducer (or per mapper for a map-only stage). */
export interface PlanResult {
  readonly taskOutputs: Row[][];
}

/** One input split: a whole file for now (each becomes one map task). */
interface Split {
  readonly file: FileStatus;
  /** Partition column values appended to every row read from this split. */
  readonly partitionValues: readonly HiveValue[];
}

/**
 * Executes a plan's stages in order, as Hadoop would run the jobs: map tasks
 * over splits, a hash-partitioned and sorted shuffle, reduce tasks, and a
 * single reducer for total order.
 */
export class PlanRunner {
  private readonly stageOutputs = new Map<string, Row[][]>();

  constructor(private readonly options: RunnerOptions) {}

  async run(plan: QueryPlan): Promise<PlanResult> {
    let last: Row[][] = [];
    for (const stage of plan.stages) {
      last = await this.runStage(stage);
      this.stageOutputs.set(stage.id, last);
    }
    return { taskOutputs: last };
  }

  private async runStage(stage: MapReduceStage): Promise<Row[][]> {
    const { counters } = this.options;
    const inputBytes = await this.inputSize(stage.map.input);
    const reducers = this.reducerCount(stage, inputBytes);
    const out = stage.map.output;
    const filter = stage.map.filter?.eval;

    // ---- map phase: each map task fills its own per-partition buffers.
    const mapOutputs: Row[][][] = [];
    const partialAggregates: Map<string, { keys: Row; states: AggregateState[] }>[][] = [];
    const aggregators: Aggregator[] = out.kind === 'partial-aggregate' ? out.aggregates.map(createAggregator) : [];

    const runMapTask = async (rows: (emit: (row: Row) => void) => Promise<void>) => {
      counters.add('mapTasks');
      if (out.kind === 'partial-aggregate') {
        const keys = out.keys.map((k) => k.eval);
        const hash = new Map<string, { keys: Row; states: AggregateState[] }>();
        let fed = 0;
        await rows((row) => {
          if (filter && filter(row) !== true) return;
          fed++;
          const keyValues = keys.map((k) => k(row));
          const key = encodeKey(keyValues);
          let group = hash.get(key);
          if (!group) {
            group = { keys: keyValues, states: aggregators.map((a) => a.init()) };
            hash.set(key, group);
          }
          for (let i = 0; i < aggregators.length; i++) aggregators[i]!.update(group.states[i]!, row);
        });
        counters.add('mapOutputRecords', fed);
        counters.add('combineOutputRecords', hash.size);
        const parts: Map<string, { keys: Row; states: AggregateState[] }>[] = Array.from({ length: reducers }, () => new Map());
        for (const [k, g] of hash) parts[partitionOf(k, reducers)]!.set(k, g);
        partialAggregates.push(parts);
      } else {
        const values = out.values.map((v) => v.eval);
        const buf: Row[] = [];
        await rows((row) => {
          if (filter && filter(row) !== true) return;
          buf.push(values.map((v) => v(row)));
        });
        counters.add('mapOutputRecords', buf.length);
        mapOutputs.push([buf]);
      }
    };

    const input = stage.map.input;
    if (input.kind === 'table-scan') {
      for (const split of await this.splits(input)) await runMapTask((emit) => this.readSplit(input, split, emit));
    } else {
      const rows = (this.stageOutputs.get(input.stageId) ?? []).flat();
      await runMapTask(async (emit) => {
        for (const r of rows) emit(r);
      });
    }

    // ---- map-only: each map task's rows are one output file.
    if (!stage.reduce) return mapOutputs.map((m) => m[0]!);

    // ---- reduce phase
    const reduce = stage.reduce;
    counters.add('reduceTasks', reducers);
    if (reduce.kind === 'aggregate') {
      const having = reduce.having?.eval;
      const project = reduce.project.map((p) => p.eval);
      const results: Row[][] = [];
      for (let r = 0; r < reducers; r++) {
        const merged = new Map<string, { keys: Row; states: AggregateState[] }>();
        for (const parts of partialAggregates) {
          for (const [k, g] of parts[r]!) {
            const into = merged.get(k);
            if (!into) merged.set(k, g);
            else for (let i = 0; i < aggregators.length; i++) aggregators[i]!.merge(into.states[i]!, g.states[i]!);
          }
        }
        // A global aggregate over no rows still yields one row (COUNT(*) = 0), as in Hive.
        if (reduce.keyCount === 0 && merged.size === 0 && r === 0) merged.set('', { keys: [], states: aggregators.map((a) => a.init()) });
        const groups = [...merged.values()].sort((a, b) => compareKeyTuples(a.keys, b.keys));
        counters.add('reduceInputGroups', groups.length);
        const rows: Row[] = [];
        for (const g of groups) {
          const groupRow: Row = [...g.keys, ...g.states.map((s, i) => aggregators[i]!.finish(s))];
          if (having && having(groupRow) !== true) continue;
          rows.push(project.map((p) => p(groupRow)));
        }
        results.push(rows);
      }
      return results;
    }
    // Total order: everything goes to the one reducer.
    const all = mapOutputs.flatMap((m) => m[0]!);
    counters.add('reduceInputGroups', all.length);
    if (reduce.keys.length > 0) stableSort(all, rowComparator(reduce.keys));
    const limited = reduce.limit !== undefined ? all.slice(0, reduce.limit) : all;
    return [limited.map((r) => r.slice(0, reduce.keep))];
  }

  private reducerCount(stage: MapReduceStage, inputBytes: number): number {
    if (!stage.reduce) return 0;
    if (stage.reducers !== 'auto') return stage.reducers;
    if (this.options.reducers && this.options.reducers > 0) return this.options.reducers;
    // Hive's estimate: one reducer per hive.exec.reducers.bytes.per.reducer of input, at least one.
    return Math.max(1, Math.min(this.options.maxReducers, Math.ceil(inputBytes / this.options.bytesPerReducer)));
  }

  private async inputSize(input: StageInput): Promise<number> {
    if (input.kind !== 'table-scan') return 0;
    return (await this.splits(input)).reduce((n, s) => n + s.file.size, 0);
  }

  private readonly splitCache = new Map<TableScan, Split[]>();

  private async splits(scan: TableScan): Promise<Split[]> {
    const cached = this.splitCache.get(scan);
    if (cached) return cached;
    const { table } = scan;
    const locations: { location: string; values: HiveValue[] }[] = [];
    if (table.partitionColumns.length === 0) locations.push({ location: table.location, values: [] });
    else {
      const casts = table.partitionColumns.map((c) => makeCast(T.string, c.type));
      for (const p of scan.partitions ?? []) {
        locations.push({
          location: p.location,
          values: table.partitionColumns.map((c, i) => {
            const raw = p.values.get(c.name)!;
            return raw === '__HIVE_DEFAULT_PARTITION__' ? null : casts[i]!(raw);
          }),
        });
      }
    }
    const splits: Split[] = [];
    for (const loc of locations) {
      const files = await this.options.storage.resolve(loc.location).listFiles(loc.location);
      if (files === undefined) {
        // Hive reads a missing table or partition directory as empty; say so, since it is usually a wrong path.
        this.options.onWarning?.(`table ${table.name}: location ${loc.location} does not exist, so it contributes no rows`);
        continue;
      }
      for (const f of files) splits.push({ file: f, partitionValues: loc.values });
    }
    this.splitCache.set(scan, splits);
    return splits;
  }

  private async readSplit(scan: TableScan, split: Split, emit: (row: Row) => void): Promise<void> {
    const { counters, onMalformed } = this.options;
    const { table } = scan;
    counters.add('inputFiles');
    counters.add('inputBytes', split.file.size);
    const serde = table.createSerDe(scan.neededColumns);
    const width = table.columns.length;
    const skipHead = table.skipHeaderLines;
    const skipFoot = table.skipFooterLines;
    const storage = this.options.storage.resolve(split.file.location);
    const pending: { line: string; n: number }[] = [];
    const process = (line: string, n: number) => {
      counters.add('recordsRead');
      const row: Row = new Array(width + split.partitionValues.length);
      if (!serde.deserialize(line, row)) {
        counters.add('malformedRecords');
        onMalformed?.(split.file.location, n, line);
      }
      for (let i = 0; i < split.partitionValues.length; i++) row[width + i] = split.partitionValues[i]!;
      emit(row);
    };
    let stream;
    try {
      stream = openDecompressed(storage, split.file);
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`cannot open: ${(err as Error).message}`, { file: split.file.location }, { cause: err });
    }
    await forEachLine(stream, split.file.location, (line, n) => {
      if (n <= skipHead) {
        counters.add('skippedHeaderLines');
        return;
      }
      if (skipFoot === 0) return process(line, n);
      // Hold back the last `skipFoot` lines of the file: they are the footer.
      pending.push({ line, n });
      if (pending.length > skipFoot) {
        const p = pending.shift()!;
        process(p.line, p.n);
      }
    });
    counters.add('skippedHeaderLines', pending.length);
  }
}

/** Array.prototype.sort is stable in V8; named for the intent. */
function stableSort<T>(rows: T[], cmp: (a: T, b: T) => number): void {
  rows.sort(cmp);
}
