import type { MapReduceStage } from '../plan/plan.js';
import { createAggregator, unpackGroup, type PackedGroup } from './aggregators.js';
import type { CounterName } from './counters.js';
import { compareKeyTuples } from './keys.js';
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
  const aggregators = out.aggregates.map(createAggregator);
  const having = reduce.having?.eval;
  const project = reduce.project.map((p) => p.eval);
  const sink = new RowBuffer(outputLimitBytes, spillDir ? () => spillFileIn(spillDir, 'reduce-out') : undefined);
  let groups = 0;
  const finishGroup = (g: PartialGroup) => {
    groups++;
    const groupRow: Row = [...g.keys, ...g.states.map((st, i) => aggregators[i]!.finish(st))];
    if (having && having(groupRow) !== true) return;
    sink.push(project.map((p) => p(groupRow)));
  };
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
    if (emptyGlobal && merged.size === 0) merged.set('', { keys: [], states: aggregators.map((a) => a.init()) });
    for (const g of [...merged.values()].sort((a, b) => compareKeyTuples(a.keys, b.keys))) finishGroup(g);
  } else {
    // External merge: every source is sorted by key, so equal keys arrive one after another.
    const distinct = out.aggregates.map((a) => a.distinct);
    const byKey = (a: PartialGroup, b: PartialGroup) => compareKeyTuples(a.keys, b.keys);
    const sources = [
      ...input.partials.map((entries) => fromArray(entries.map(([, g]) => g).sort(byKey))),
      ...input.runs.map((f) => mapBatches(readRecordBatches<PackedGroup>(f), (rec) => unpackGroup(rec, distinct))),
    ];
    const pending: { group?: PartialGroup } = {};
    await mergeSorted(sources, byKey, (g) => {
      const current = pending.group;
      if (current && compareKeyTuples(current.keys, g.keys) === 0) {
        for (let i = 0; i < aggregators.length; i++) aggregators[i]!.merge(current.states[i]!, g.states[i]!);
        return;
      }
      if (current) finishGroup(current);
      pending.group = g;
    });
    if (pending.group) finishGroup(pending.group);
    else if (emptyGlobal) finishGroup({ keys: [], states: aggregators.map((a) => a.init()) });
  }
  return { output: sink.finish(), counters: { reduceInputGroups: groups } };
}
