import type { HiveType, HiveValue } from '../hive/types.js';

/** An analysed expression: its static type and a closure that evaluates it over a row. */
export interface CompiledExpr {
  readonly type: HiveType;
  readonly eval: (row: readonly HiveValue[]) => HiveValue;
  /** The expression as HiveQL text, for EXPLAIN and messages. */
  readonly text: string;
  /** Indexes of the input row that the expression reads. */
  readonly reads: readonly number[];
  /** Set for a literal: its value, known at plan time. */
  readonly literal?: { readonly value: HiveValue };
}

export type AggregateFunction = 'count' | 'sum' | 'avg' | 'min' | 'max';

/** One aggregate call, e.g. COUNT(DISTINCT x). Its arguments are evaluated on the map side. */
export interface AggregateSpec {
  readonly fn: AggregateFunction;
  readonly distinct: boolean;
  /** `COUNT(*)` has no arguments. */
  readonly args: readonly CompiledExpr[];
  readonly type: HiveType;
  readonly text: string;
}

/** A named, typed column of a relation (a table, a subquery, a query's result). */
export interface OutputColumn {
  readonly name: string;
  readonly type: HiveType;
}
