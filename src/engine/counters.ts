/** Hadoop-style job counters, printed at the end of every run. */
export const COUNTER_NAMES = {
  inputFiles: 'Input files',
  inputBytes: 'Input bytes (as stored)',
  mapTasks: 'Map tasks',
  reduceTasks: 'Reduce tasks',
  recordsRead: 'Map input records',
  malformedRecords: 'Malformed records (did not match the SerDe)',
  regexBudgetExceeded: 'REGEX_BUDGET_EXCEEDED (lines over the regex step budget, read as malformed)',
  skippedHeaderLines: 'Header/footer lines skipped',
  mapOutputRecords: 'Map output records',
  combineOutputRecords: 'Combine output records',
  reduceInputGroups: 'Reduce input groups',
  spills: 'Spills (sorted runs written to disk)',
  spilledRecords: 'Spilled records',
  outputRecords: 'Output records',
} as const;

export type CounterName = keyof typeof COUNTER_NAMES;

export class Counters {
  private readonly values = new Map<CounterName, number>();

  add(name: CounterName, n = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + n);
  }

  get(name: CounterName): number {
    return this.values.get(name) ?? 0;
  }

  merge(other: Counters): void {
    for (const [k, v] of other.values) this.add(k, v);
  }

  toJSON(): Record<CounterName, number> {
    const out = {} as Record<CounterName, number>;
    for (const k of Object.keys(COUNTER_NAMES) as CounterName[]) out[k] = this.get(k);
    return out;
  }

  /** Aligned text, one counter a line, as Hadoop prints them. */
  format(wallMs: number): string {
    const rows: [string, string][] = (Object.keys(COUNTER_NAMES) as CounterName[]).map((k) => [COUNTER_NAMES[k], this.get(k).toLocaleString("en-US")]);
    rows.push(['Wall time', `${(wallMs / 1000).toFixed(3)} s`]);
    const width = Math.max(...rows.map(([k]) => k.length));
    return ['Counters:', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
  }
}
