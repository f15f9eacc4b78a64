import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { makeCast } from '../hive/cast.js';
import { TaskFailedError } from '../hive/errors.js';
import { T, type HiveValue } from '../hive/types.js';
import type { MapReduceStage, QueryPlan, StageInput, TableScan } from '../plan/plan.js';
import type { StorageRegistry } from '../storage/registry.js';
import type { Counters, CounterName } from './counters.js';
import { youngGenerationMb } from './heap-limits.js';
import { runMapTask, type MalformedSample, type MapTaskResult, type TaskInput, type TaskMemory } from './map-task.js';
import { RowBuffer, type TaskOutput } from './row-buffer.js';
import type { RunSource } from './run-file.js';
import { mergeFanIn, mergeRuns, reduceToFanIn } from './run-merge.js';
import type { SpillDirectory } from './spill.js';
import { computeSplits, DEFAULT_SPLIT_SIZE, type Split } from './splits.js';
import { WorkerPool, WorkerTaskError, type TaskProgress } from './worker-pool.js';
import type { JobDescriptor, WorkerMessage } from './worker.js';
import { runReduceTask, type ReduceTaskInput } from './reduce-task.js';

export type { Row } from './map-task.js';

export interface RunnerOptions {
  readonly storage: StorageRegistry;
  readonly counters: Counters;
  /** mapreduce.job.reduces when set (> 0): the number of reducers for stages that may have several. */
  readonly reducers?: number;
  /** hive.exec.reducers.bytes.per.reducer: input bytes per reducer when sizing automatically. */
  readonly bytesPerReducer: number;
  /** hive.exec.reducers.max */
  readonly maxReducers: number;
  /** Worker threads for map tasks; 1 runs every task in this thread. Default: one per core. */
  readonly workers?: number;
  /** Bytes per split of an uncompressed file. */
  readonly splitSize?: number;
  /** Attempts per task before the job fails (Hadoop's mapreduce.map.maxattempts). */
  readonly maxAttempts?: number;
  /** The memory budget for task buffers (hash tables, sort buffers, outputs); beyond it they spill. */
  readonly memoryBytes?: number;
  /** Where spill files go; without it everything stays in memory. */
  readonly spill?: SpillDirectory;
  /** The script being run, so worker threads can re-plan it. Without it every task runs in this thread. */
  readonly job?: JobDescriptor;
  readonly maxMalformedSamples?: number;
  readonly onMalformed?: (sample: MalformedSample) => void;
  readonly onWarning?: (message: string) => void;
  /** Progress of a phase: units are bytes for map, partitions for reduce. */
  readonly onProgress?: (progress: PhaseProgress) => void;
  /** Test hook: sees each task handed to a worker thread. */
  readonly onWorkerTask?: (worker: Worker, message: WorkerMessage) => void;
  /** A pool shared across queries (the session's, started early); without one the runner starts its own. */
  readonly pool?: WorkerPool<unknown>;
}

export interface PhaseProgress {
  readonly stageId: string;
  readonly phase: 'map' | 'reduce';
  readonly done: number;
  readonly total: number;
  /** Input records read so far in this phase (map only). */
  readonly records: number;
}

/** The output of each final task: one per reducer (or per mapper for a map-only stage). */
export interface PlanResult {
  readonly taskOutputs: TaskOutput[];
}

export const DEFAULT_MEMORY_BYTES = 512 * 1024 * 1024;

/**
 * Executes a plan's stages in order, as Hadoop would run the jobs: map tasks
 * over splits (on worker threads), a hash-partitioned and sorted shuffle,
 * reduce tasks, and a single reducer for total order.
 */
export class PlanRunner {
  private readonly stageOutputs = new Map<string, TaskOutput[]>();
  private readonly splitCache = new Map<TableScan, Split[]>();
  private pool: WorkerPool<unknown> | undefined;

  constructor(private readonly options: RunnerOptions) {}

  async run(plan: QueryPlan): Promise<PlanResult> {
    try {
      let last: TaskOutput[] = [];
      for (const stage of plan.stages) {
        last = await this.runStage(stage);
        this.stageOutputs.set(stage.id, last);
      }
      return { taskOutputs: last };
    } finally {
      // A pool the runner started is its own to close; a shared one belongs to its owner.
      if (this.pool && this.pool !== this.options.pool) await this.pool.close();
      this.pool = undefined;
    }
  }

  private get workerCount(): number {
    return Math.max(1, this.options.workers ?? availableParallelism());
  }

  private async runStage(stage: MapReduceStage): Promise<TaskOutput[]> {
    const { counters } = this.options;
    const input = stage.map.input;
    const splits = input.kind === 'table-scan' ? await this.splits(input) : [];
    const inputBytes = splits.reduce((n, s) => n + (s.end - s.start), 0);
    const reducers = this.reducerCount(stage, inputBytes);

    // ---- map phase
    const tasks: TaskInput[] =
      input.kind === 'table-scan' ? splits.map((split) => ({ kind: 'split', split })) : [{ kind: 'stage-output', outputs: this.stageOutputs.get(input.stageId) ?? [] }];
    const totalBytes = tasks.reduce((n, t) => n + (t.kind === 'split' ? t.split.end - t.split.start : 0), 0);
    let doneBytes = 0;
    let records = 0;
    // Running tasks' own progress, replaced by their totals when they finish (a retried task starts again).
    const running = new Map<TaskInput, TaskProgress>();
    const report = () => {
      let bytes = doneBytes;
      let recs = records;
      for (const p of running.values()) {
        bytes += p.bytes;
        recs += p.records;
      }
      this.options.onProgress?.({ stageId: stage.id, phase: 'map', done: bytes, total: totalBytes, records: recs });
    };
    report();
    const results = await this.runMapTasks(
      stage,
      tasks,
      reducers,
      (task, result) => {
        running.delete(task);
        doneBytes += task.kind === 'split' ? task.split.end - task.split.start : 0;
        records += result.counters.recordsRead ?? 0;
        report();
      },
      (task, progress) => {
        running.set(task, progress);
        report();
      },
    );
    for (const r of results) {
      for (const [k, v] of Object.entries(r.counters)) counters.add(k as CounterName, v);
      for (const m of r.malformed) this.options.onMalformed?.(m);
    }

    // ---- map-only: each map task's rows are one output file.
    if (!stage.reduce) return results.map((r) => r.output ?? { count: 0, rows: [] });

    // ---- reduce phase: one reduce task per partition, each merging its sorted inputs.
    const reduce = stage.reduce;
    counters.add('reduceTasks', reducers);
    const outputLimit = this.memoryBytes / 8 / Math.max(1, reducers);
    const spillFile = this.options.spill ? () => this.options.spill!.file('reduce-out') : undefined;
    if (reduce.kind === 'aggregate') {
      let done = 0;
      const parallel = this.options.job !== undefined && this.workerCount > 1 && reducers > 1;
      // A quarter of the budget for the merges' read blocks, shared by the reduce tasks that run at once.
      const mergeBytes = this.memoryBytes / 4 / (parallel ? Math.min(this.workerCount, reducers) : 1);
      const reduceTasks: ReduceTaskInput[] = Array.from({ length: reducers }, (_, r) => ({
        partition: r,
        // Each map task's run in memory or its run files, in task order (equal keys merge in that order).
        runs: results.flatMap((res): RunSource[] => (res.partitions ? (res.partitions[r]!.byteLength > 0 ? [res.partitions[r]!] : []) : (res.partitionRuns?.[r] ?? []))),
        mergeBytes,
      }));
      const taskResults = await this.runTasks(
        reduceTasks,
        parallel,
        (task): WorkerMessage => ({ kind: 'reduce', job: this.options.job!, stageId: stage.id, input: task, outputLimitBytes: outputLimit, spillDir: this.options.spill?.path }),
        (task) => runReduceTask(stage, task, outputLimit, this.options.spill?.path),
        (task) => ({ what: `reduce task for partition ${task.partition}` }),
        () => this.options.onProgress?.({ stageId: stage.id, phase: 'reduce', done: ++done, total: reducers, records: 0 }),
      );
      for (const t of taskResults) for (const [k, v] of Object.entries(t.counters)) counters.add(k as CounterName, v);
      return taskResults.map((t) => t.output);
    }
    // Total order on the one reducer: merge the map tasks' runs (rows keyed by their ORDER BY key), stop at LIMIT.
    const runs = results.flatMap((res): RunSource[] => (res.sorted ? [res.sorted] : (res.sortedRuns ?? [])));
    const spill = this.options.spill;
    const { sources, removeIntermediate } = spill
      ? await reduceToFanIn(runs, mergeFanIn(this.memoryBytes / 4), () => spill.file('order-merge'))
      : { sources: runs, removeIntermediate: () => {} };
    const sink = new RowBuffer(this.memoryBytes / 8, spillFile);
    let seen = 0;
    try {
      await mergeRuns(sources, (record) => {
        seen++;
        if (reduce.limit !== undefined && sink.count >= reduce.limit) return false;
        const row = record.payload().row();
        sink.push(row.length > reduce.keep ? row.slice(0, reduce.keep) : row);
        return true;
      });
    } finally {
      removeIntermediate();
    }
    counters.add('reduceInputGroups', seen);
    this.options.onProgress?.({ stageId: stage.id, phase: 'reduce', done: 1, total: 1, records: 0 });
    return [sink.finish()];
  }

  private get memoryBytes(): number {
    return this.options.memoryBytes ?? DEFAULT_MEMORY_BYTES;
  }

  /** Runs map tasks, on worker threads when there are several tasks and a job to re-plan, with retries. */
  private async runMapTasks(
    stage: MapReduceStage,
    tasks: TaskInput[],
    reducers: number,
    onTaskDone: (task: TaskInput, result: MapTaskResult) => void,
    onTaskProgress: (task: TaskInput, progress: TaskProgress) => void,
  ): Promise<MapTaskResult[]> {
    const { storage, job } = this.options;
    const maxSamples = this.options.maxMalformedSamples ?? 10;
    const parallel = job !== undefined && this.workerCount > 1 && tasks.length > 1 && tasks.every((t) => t.kind === 'split');
    // The budget's split: a quarter for the hash tables and sort buffers of the map tasks running at once
    // (counted in heap bytes: keys, entries, states), an eighth for the in-memory runs finished map tasks
    // hand to the reducers (compact Buffers), and on the reduce side a quarter for merge blocks and an
    // eighth for output buffers. The rest is headroom for V8: parsing lines leaves garbage behind that
    // the collector frees in its own time.
    const concurrent = parallel ? Math.min(this.workerCount, tasks.length) : 1;
    const memory: TaskMemory = {
      budgetBytes: this.memoryBytes / 4 / concurrent,
      keepInMemoryBytes: this.memoryBytes / 8 / Math.max(1, tasks.length),
      spillDir: this.options.spill?.path,
    };
    return this.runTasks(
      tasks,
      parallel,
      (task): WorkerMessage => ({ kind: 'map', job: job!, stageId: stage.id, input: task, reducers, maxSamples, memory }),
      (task) => runMapTask(stage, task, reducers, storage, maxSamples, memory, (bytes, records) => onTaskProgress(task, { bytes, records })),
      (task) => (task.kind === 'split' ? { what: `map task reading ${task.split.file.location} (bytes ${task.split.start}-${task.split.end})`, file: task.split.file.location, offset: task.split.start } : { what: 'map task' }),
      onTaskDone,
      onTaskProgress,
    );
  }

  /**
   * Runs tasks with Hadoop's attempt semantics: on worker threads when `parallel` (a task whose worker
   * fails or dies is retried up to --max-attempts), otherwise here, one at a time, so that only one
   * task's buffers are alive.
   */
  private async runTasks<I, R>(
    tasks: readonly I[],
    parallel: boolean,
    message: (task: I) => WorkerMessage,
    local: (task: I) => Promise<R>,
    describe: (task: I) => { what: string; file?: string; offset?: number },
    onDone: (task: I, result: R) => void,
    onProgress?: (task: I, progress: TaskProgress) => void,
  ): Promise<R[]> {
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? 2);
    if (parallel && !this.pool) {
      this.pool = this.options.pool ?? createWorkerPool(this.workerCount, this.memoryBytes, this.options.onWorkerTask);
    }
    const runOne = async (task: I): Promise<R> => {
      let last: unknown;
      for (let n = 1; n <= maxAttempts; n++) {
        try {
          const progress = onProgress && ((p: TaskProgress) => onProgress(task, p));
          const result = parallel ? ((await this.pool!.run(message(task), progress)) as R) : await local(task);
          onDone(task, result);
          return result;
        } catch (err) {
          last = err;
          // Errors in this thread are the script's or the input's, not a flaky task: do not retry them.
          if (!(err instanceof WorkerTaskError)) break;
        }
      }
      throw taskFailure(describe(task), last, maxAttempts);
    };
    if (parallel) return Promise.all(tasks.map(runOne));
    const results: R[] = [];
    for (const task of tasks) results.push(await runOne(task));
    return results;
  }

  private reducerCount(stage: MapReduceStage, inputBytes: number): number {
    if (!stage.reduce) return 0;
    if (stage.reducers !== 'auto') return stage.reducers;
    if (this.options.reducers && this.options.reducers > 0) return this.options.reducers;
    // Hive's estimate: one reducer per hive.exec.reducers.bytes.per.reducer of input, at least one.
    return Math.max(1, Math.min(this.options.maxReducers, Math.ceil(inputBytes / this.options.bytesPerReducer)));
  }

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
    const files: { file: { location: string; size: number }; partitionValues: HiveValue[] }[] = [];
    for (const loc of locations) {
      const listed = await this.options.storage.resolve(loc.location).listFiles(loc.location);
      if (listed === undefined) {
        // Hive reads a missing table or partition directory as empty; say so, since it is usually a wrong path.
        this.options.onWarning?.(`table ${table.name}: location ${loc.location} does not exist, so it contributes no rows`);
        continue;
      }
      for (const f of listed) files.push({ file: f, partitionValues: loc.values });
    }
    const splits = computeSplits(files, { splitSize: this.options.splitSize ?? DEFAULT_SPLIT_SIZE, skipsHeaderOrFooter: table.skipHeaderLines > 0 || table.skipFooterLines > 0 });
    this.splitCache.set(scan, splits);
    return splits;
  }
}

export type { StageInput };

function taskFailure(task: { what: string; file?: string; offset?: number }, err: unknown, attempts: number): Error {
  if (!(err instanceof WorkerTaskError)) {
    // Thrown in this thread: already a typed error that names its input.
    return err instanceof Error ? err : new Error(String(err));
  }
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const location = task.file !== undefined ? { file: task.file, offset: task.offset ?? 0 } : undefined;
  return new TaskFailedError(`${task.what} failed${tries}: ${err.message}`, err.remoteExitCode ?? 1, location, { cause: err });
}

/**
 * A pool of map/reduce workers; each worker's old generation is its share of the budget, doubled for V8,
 * plus room for code, and its young generation follows the budget (heap-limits.ts).
 */
export function createWorkerPool(workers: number, memoryBytes: number, onWorkerTask?: RunnerOptions['onWorkerTask']): WorkerPool<unknown> {
  const maxOldGenerationSizeMb = Math.ceil(memoryBytes / 2 / workers / 2 ** 20) + 48;
  return new WorkerPool<unknown>(workers, { onTaskStart: (w, m) => onWorkerTask?.(w, m as WorkerMessage) }, { maxOldGenerationSizeMb, maxYoungGenerationSizeMb: youngGenerationMb(memoryBytes) });
}
