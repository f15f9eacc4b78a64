import type { ColumnDef } from '../hive/ast.js';
import type { HiveValue } from '../hive/types.js';

/**
 * A SerDe turns one line of text into the table's column values. The same
 * SerDe objects validate lines at ingest and read them in the engine, so
 * there is one definition of what a valid line is.
 */
export interface SerDe {
  /** The Hive class name, e.g. org.apache.hadoop.hive.serde2.RegexSerDe. */
  readonly className: string;
  readonly columns: readonly ColumnDef[];
  /**
   * Fills `row[0 … columns.length)` from `line`. Returns false when the line
   * is malformed as a whole (RegexSerDe: no match); the row is then all NULL,
   * as Hive reads it. A single field that fails conversion is NULL and does
   * not make the line malformed. `hints` are the line reader's
   * (LINE_IS_PLAIN_ASCII); they may only make deserializing faster, never
   * change its result.
   */
  deserialize(line: string, row: HiveValue[], hints?: number): boolean;
  /**
   * After `deserialize` returned false: whether the line was given up because matching it would
   * have taken more than the regex step budget (RegexSerDe with a pattern that can backtrack),
   * rather than because it does not match. Such a line is read as a non-matching one.
   */
  readonly lastLineOverBudget?: boolean;
}

/** Which columns a query reads; a SerDe may skip converting the others. */
export type NeededColumns = readonly boolean[] | undefined;
