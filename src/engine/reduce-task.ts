import type { HiveValue } from '../hive/types.js';
import type { MapReduceStage } from '../plan/plan.js';
import { createAggregator, DISTINCT_IN_KEY, overDistinctValues, unpackGroup, type AggregateState, type PackedGroup } from './aggregators.js';
import type { CounterName } from './counters.js';
import { compareKeyPrefix, compareKeyTuples } from './keys.js';
import type { PartialGroup, Row } from './map-task.js';
import { fromArray, mapBatches, mergeSorted } from './merge.js';
import { RowBuffer, type TaskOutput } from './row-buffer.js';
import { readRecordBatches, spillFileIn } from './spill.js';

/** One reduce partition's input: the map tasks' in-memory partial groups and their spilled runs. */
export interface ReduceTaskInput {
  readonly partition: number;
  /** Per map task, the groups it kept in memory for this partition ([encoded key, group]). */
  readonly partials: readonly (readonly [string, PartialGroup][])[];
  /** Run files of packed groups, each sorted by key. */
  readonly runs: readonly string[];
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
  let open: { keys: HiveValue[]; states: AggregateState[]; distinctStates: (AggregateState | undefined)[] } | undefined;
  const closeGroup = () => {
    if (!open) return;
    const o = open;
    emitGroup(o.keys, o.states.map((st, i) => (overDistinct[i] ? overDistinct[i]!.finish(o.distinctStates[i]!) : aggregators[i]!.finish(st))));
    open = undefined;
  };
  const onKey = (g: PartialGroup) => {
    if (!distinct) return emitGroup(g.keys, g.states.map((st, i) => aggregators[i]!.finish(st)));
    if (!open || compareKeyPrefix(open.keys, g.keys, prefix) !== 0) {
      closeGroup();
      open = { keys: g.keys.slice(0, prefix), states: aggregators.map((a) => a.init()), distinctStates: overDistinct.map((a) => a?.init()) };
    }
    const tag = g.keys[prefix] as number;
    if (tag === 0) for (let i = 0; i < aggregators.length; i++) aggregators[i]!.merge(open.states[i]!, g.states[i]!);
    const values = g.keys.slice(prefix + 1);
    if (values.some((v) => v === null)) return;
    for (let i = 0; i < overDistinct.length; i++) if (tagOf[i] === tag) overDistinct[i]!.update(open.distinctStates[i]!, values);
  };
  const emptyGroup = () => emitGroup([], aggregators.map((a, i) => (overDistinct[i] ?? a).finish((overDistinct[i] ?? a).init())));
  // A global aggregate over no rows still yields one row (COUNT(*) = 0), as in Hive.
  const emptyGlobal = reduce.keyCount === 0 && input.partition === 0;
  if (input.runs.length === 0) {
    // Everything fits in memory: merge in a hash table, then sort by key.
    const merged = new Map<string, PartialGroup>();
    for (const entries of input.partials) {
      for (const [k, g] of entries) {
        const into = merged.get(k);
        if (!into) merged.set(k, g);
        else for (let i = 0; i < aggregators.length; i++) aggregators[i]!.merge(into.states[i]!, g.states[i]!);
      }
    }
    if (emptyGlobal && merged.size === 0) emptyGroup();
    for (const g of [...merged.values()].sort((a, b) => compareKeyTuples(a.keys, b.keys))) onKey(g);
    closeGroup();
  } else {
    // External merge: every source is sorted by key, so equal keys arrive one after another.
    const byKey = (a: PartialGroup, b: PartialGroup) => compareKeyTuples(a.keys, b.keys);
    const sources = [
      ...input.partials.map((entries) => fromArray(entries.map(([, g]) => g).sort(byKey))),
      ...input.runs.map((f) => mapBatches(readRecordBatches<PackedGroup>(f), unpackGroup)),
    ];
    const pending: { group?: PartialGroup } = {};
    let any = false;
    await mergeSorted(sources, byKey, (g) => {
      any = true;
      const current = pending.group;
      if (current && compareKeyTuples(current.keys, g.keys) === 0) {
        for (let i = 0; i < aggregators.length; i++) aggregators[i]!.merge(current.states[i]!, g.states[i]!);
        return;
      }
      if (current) onKey(current);
      pending.group = g;
    });
    if (pending.group) onKey(pending.group);
    closeGroup();
    if (!any && emptyGlobal) emptyGroup();
  }
  return { output: sink.finish(), counters: { reduceInputGroups: groups } };
}
