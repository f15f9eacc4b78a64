import type { HiveValue } from '../hive/types.js';
import type { MapReduceStage } from '../plan/plan.js';
import { createAggregator, DISTINCT_IN_KEY, overDistinctValues, readStates, type AggregateState } from './aggregators.js';
import type { CounterName } from './counters.js';
import type { Row } from './map-task.js';
import { RowBuffer, type TaskOutput } from './row-buffer.js';
import type { RunSource } from './run-file.js';
import { mergeFanIn, mergeRuns, reduceToFanIn } from './run-merge.js';
import { decodeKeyTuple, keyPrefixLength } from './sortable-key.js';
import { spillFileIn } from './spill.js';

/** One reduce partition's input: runs of (sortable key, partial states) records from the map tasks, in task order. */
export interface ReduceTaskInput {
  readonly partition: number;
  /** In-memory runs and run files, each sorted by key. */
  readonly runs: readonly RunSource[];
  /** Memory for the merge's read blocks: it bounds how many runs are open at once (mergeFanIn). */
  readonly mergeBytes: number;
}

export interface ReduceTaskResult {
  readonly output: TaskOutput;
  readonly counters: Partial<Record<CounterName, number>>;
}

/**
 * One aggregate reduce task: merge the partial states of equal keys, finish
 * the aggregates, apply HAVING and the SELECT list, and emit groups in key
 * order (Hive's reducer output order). Runs the same in the main thread and
 * in a worker.
 */
export async function runReduceTask(stage: MapReduceStage, input: ReduceTaskInput, outputLimitBytes: number, spillDir: string | undefined): Promise<ReduceTaskResult> {
  const reduce = stage.reduce;
  const out = stage.map.output;
  if (reduce?.kind !== 'aggregate' || out.kind !== 'partial-aggregate') throw new Error(`${stage.id}: not an aggregation stage`);
  // With DISTINCT aggregates, each shuffle key is a group's keys, a tag and one distinct argument tuple (MapOutput.distinct).
  const distinct = out.distinct;
  const prefix = reduce.keyCount;
  const aggregators = out.aggregates.map((a) => (a.distinct ? DISTINCT_IN_KEY : createAggregator(a)));
  const overDistinct = out.aggregates.map((a) => (a.distinct ? overDistinctValues(a) : undefined));
  const tagOf = distinct?.tagOf ?? [];
  const having = reduce.having?.eval;
  const project = reduce.project.map((p) => p.eval);
  const sink = new RowBuffer(outputLimitBytes, spillDir ? () => spillFileIn(spillDir, 'reduce-out') : undefined);
  let groups = 0;
  const emitGroup = (keys: readonly HiveValue[], values: readonly HiveValue[]) => {
    groups++;
    const groupRow: Row = [...keys, ...values];
    if (having && having(groupRow) !== true) return;
    sink.push(project.map((p) => p(groupRow)));
  };
  // Folds shuffle keys that share their group keys into one group; called in key order, once per distinct shuffle key.
  let open: { groupKey: string; keys: HiveValue[]; states: AggregateState[]; distinctStates: (AggregateState | undefined)[] } | undefined;
  const closeGroup = () => {
    if (!open) return;
    const o = open;
    emitGroup(o.keys, o.states.map((st, i) => (overDistinct[i] ? overDistinct[i]!.finish(o.distinctStates[i]!) : aggregators[i]!.finish(st))));
    open = undefined;
  };
  const onKey = (key: string, states: AggregateState[]) => {
    if (!distinct) return emitGroup(decodeKeyTuple(key), states.map((st, i) => aggregators[i]!.finish(st)));
    const groupLength = keyPrefixLength(key, prefix);
    if (!open || open.groupKey.length !== groupLength || !key.startsWith(open.groupKey)) {
      closeGroup();
      const groupKey = key.slice(0, groupLength);
      open = { groupKey, keys: decodeKeyTuple(groupKey), states: aggregators.map((a) => a.init()), distinctStates: overDistinct.map((a) => a?.init()) };
    }
    const [tag, ...values] = decodeKeyTuple(key.slice(groupLength));
    if (tag === 0) for (let i = 0; i < aggregators.length; i++) aggregators[i]!.merge(open.states[i]!, states[i]!);
    if (values.some((v) => v === null)) return;
    for (let i = 0; i < overDistinct.length; i++) if (tagOf[i] === tag) overDistinct[i]!.update(open.distinctStates[i]!, values);
  };
  const emptyGroup = () => emitGroup([], aggregators.map((a, i) => (overDistinct[i] ?? a).finish((overDistinct[i] ?? a).init())));
  // A global aggregate over no rows still yields one row (COUNT(*) = 0), as in Hive.
  const emptyGlobal = reduce.keyCount === 0 && input.partition === 0;
  // More runs than the merge's memory can hold open are first merged in passes (Hadoop's io.sort.factor).
  const { sources, removeIntermediate } = spillDir
    ? await reduceToFanIn(input.runs, mergeFanIn(input.mergeBytes), () => spillFileIn(spillDir, 'reduce-merge'))
    : { sources: [...input.runs], removeIntermediate: () => {} };
  try {
    // Every run is sorted by key, so equal keys arrive one after another: fold their states, then finish the group.
    let pendingKey: string | undefined;
    let pendingStates: AggregateState[] = [];
    await mergeRuns(sources, (record) => {
      if (record.key === pendingKey) {
        const from = readStates(record.payload());
        for (let i = 0; i < aggregators.length; i++) aggregators[i]!.merge(pendingStates[i]!, from[i]!);
        return;
      }
      if (pendingKey !== undefined) onKey(pendingKey, pendingStates);
      pendingKey = record.key;
      pendingStates = readStates(record.payload());
    });
    if (pendingKey !== undefined) onKey(pendingKey, pendingStates);
    else if (emptyGlobal) emptyGroup();
    closeGroup();
  } finally {
    removeIntermediate();
  }
  return { output: sink.finish(), counters: { reduceInputGroups: groups } };
}
