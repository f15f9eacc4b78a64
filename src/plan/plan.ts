import type { AggregateSpec, CompiledExpr, OutputColumn } from './compiled.js';
import type { Partition, TableDefinition } from './catalog.js';

/**
 * A query's physical plan: plain data that EXPLAIN prints and the runtime
 * executes. Stages are Hadoop map-reduce jobs, as Hive would compile them.
 */
export interface QueryPlan {
  readonly stages: readonly MapReduceStage[];
  /** The visible result columns of the last stage. */
  readonly columns: readonly OutputColumn[];
}

export interface TableScan {
  readonly kind: 'table-scan';
  readonly table: TableDefinition;
  /** Which of the table's data columns the query reads (the SerDe skips the others). */
  readonly neededColumns: readonly boolean[];
  /** For a partitioned table, the partitions left after pruning; undefined for an unpartitioned table. */
  readonly partitions?: readonly Partition[];
  readonly totalPartitions: number;
  /** The WHERE conjuncts used for pruning, as text. */
  readonly pruningPredicate?: string;
}

export interface StageOutputInput {
  readonly kind: 'stage-output';
  readonly stageId: string;
  readonly columns: readonly OutputColumn[];
}

export type StageInput = TableScan | StageOutputInput;

export interface SortKey {
  /** Index in the row being sorted. */
  readonly index: number;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
  readonly text: string;
}

/** What a map task does with each input row after the filter. */
export type MapOutput =
  /** Hash aggregation in the map task (Hive's map-side group-by, our combiner). */
  | {
      readonly kind: 'partial-aggregate';
      readonly keys: readonly CompiledExpr[];
      readonly aggregates: readonly AggregateSpec[];
      /**
       * DISTINCT aggregates travel in the shuffle key, as in Hive's plans: for each distinct argument list
       * t, a row sends the key (group keys, t, arguments); rows are partitioned by the group keys only, and
       * reducers see each group's distinct values in order, so no set of distinct values is held in memory.
       * Tag 0's keys also carry the other aggregates' partial states. `tagOf[i]` is aggregate i's tag, or -1.
       */
      readonly distinct?: { readonly arguments: readonly (readonly CompiledExpr[])[]; readonly tagOf: readonly number[] };
    }
  /** Rows sent to one reducer for a total order (ORDER BY / LIMIT). */
  | { readonly kind: 'sort'; readonly values: readonly CompiledExpr[] }
  /** A map-only job: projected rows are the output. */
  | { readonly kind: 'rows'; readonly values: readonly CompiledExpr[] };

export interface MapWork {
  readonly input: StageInput;
  readonly filter?: CompiledExpr;
  readonly output: MapOutput;
}

export type ReduceWork =
  /** Final aggregation of the partial states; rows are [keys…, aggregates…] before `project`. */
  | { readonly kind: 'aggregate'; readonly keyCount: number; readonly aggregates: readonly AggregateSpec[]; readonly having?: CompiledExpr; readonly project: readonly CompiledExpr[] }
  /** Total order on a single reducer, then LIMIT, then keep the first `keep` columns. */
  | { readonly kind: 'order'; readonly keys: readonly SortKey[]; readonly limit?: number; readonly keep: number };

export interface MapReduceStage {
  readonly id: string;
  readonly map: MapWork;
  readonly reduce?: ReduceWork;
  /** 'auto' lets the runtime size it from the input as Hive does; an ordering stage always has 1. */
  readonly reducers: number | 'auto';
  /** Columns of the rows this stage produces (visible ones first, then hidden sort columns). */
  readonly columns: readonly OutputColumn[];
}
