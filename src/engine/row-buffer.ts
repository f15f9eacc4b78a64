import type { HiveValue } from '../hive/types.js';
import { RunReader, RunWriter } from './run-file.js';

export type Row = HiveValue[];

/** The rows one task produced: in memory when they fit the budget, else in a spill file (a run of key-less records). */
export interface TaskOutput {
  readonly count: number;
  readonly rows?: Row[];
  readonly file?: string;
}

/** Heap bytes of a row, for the memory budget: the array, and each string's header and characters. */
export function estimateRowBytes(row: readonly HiveValue[]): number {
  let n = 32 + 8 * row.length;
  for (const v of row) if (typeof v === 'string') n += 24 + 2 * v.length;
  return n;
}

/**
 * Collects a task's output rows, moving them to a spill file once they pass
 * `limitBytes`, so a task's output never has to fit in memory.
 */
export class RowBuffer {
  private rows: Row[] = [];
  private bytes = 0;
  private rowCount = 0;
  private writer: RunWriter | undefined;

  constructor(
    private readonly limitBytes: number,
    private readonly spillFile: (() => string) | undefined,
  ) {}

  /** Rows pushed so far. */
  get count(): number {
    return this.rowCount;
  }

  push(row: Row): void {
    this.rowCount++;
    if (this.writer) return this.write(row);
    this.rows.push(row);
    this.bytes += estimateRowBytes(row);
    if (this.bytes > this.limitBytes && this.spillFile) {
      this.writer = new RunWriter(this.spillFile());
      for (const r of this.rows) this.write(r);
      this.rows = [];
    }
  }

  private write(row: Row): void {
    this.writer!.begin('').row(row);
    this.writer!.end();
  }

  get spilled(): boolean {
    return this.writer !== undefined;
  }

  finish(): TaskOutput {
    if (!this.writer) return { count: this.rowCount, rows: this.rows };
    return { count: this.rowCount, file: this.writer.close() };
  }
}

/** The rows of a task output, from memory or from its spill file. */
export async function* taskRows(output: TaskOutput): AsyncGenerator<Row> {
  if (output.rows) yield* output.rows;
  else if (output.file) {
    const reader = new RunReader(output.file);
    try {
      while (reader.next()) yield reader.payload().row();
    } finally {
      reader.close();
    }
  }
}
