/**
 * Which chart a job's results get, from the `-- Chart:` line of its header
 * (grammar in jobs/README.md):
 *
 *   -- Chart:   bar LABEL[+LABEL...] VALUE [VALUE...]
 *   -- Chart:   line X VALUE [VALUE...]
 *   -- Chart:   none
 *
 * Parsing checks the words; resolving checks them against the query's output
 * columns (names exist, values are numeric, a line's x is a date, timestamp
 * or number). No Node APIs: the web page can resolve specs in the browser.
 */
import { formatPosition, LoghiveError, type SourcePosition } from '../hive/errors.js';
import { isDateType, isNumericType, isStringType, type ResultColumn } from './result-table.js';

export type ChartKind = 'bar' | 'line' | 'none';

export const CHART_KINDS: readonly ChartKind[] = ['bar', 'line', 'none'];

/** A chart as written in a job header: column names, not yet checked against a query. Plain JSON (GET /jobs shows it). */
export type ChartSpec =
  | { readonly kind: 'none' }
  /** Horizontal bars, one per row in output order; several label columns are joined (`200 / Hit`); several values are grouped bars on one axis. */
  | { readonly kind: 'bar'; readonly label: readonly string[]; readonly values: readonly string[] }
  /** One line per value column over x, points in x order. */
  | { readonly kind: 'line'; readonly x: string; readonly values: readonly string[] };

/** A spec checked against a query's columns: indexes into its rows. */
export type ResolvedChart =
  | { readonly kind: 'none'; readonly spec: ChartSpec }
  | { readonly kind: 'bar'; readonly spec: ChartSpec; readonly label: readonly number[]; readonly values: readonly number[] }
  | { readonly kind: 'line'; readonly spec: ChartSpec; readonly x: number; readonly values: readonly number[] };

/** A `-- Chart:` line that is malformed or does not fit the query; says which file and line. */
export class ChartSpecError extends LoghiveError {
  readonly exitCode = 1;
  constructor(
    readonly detail: string,
    readonly position?: SourcePosition,
  ) {
    super(`${position ? formatPosition(position) + ': ' : ''}-- Chart: ${detail}`);
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses the text after `-- Chart:`; `at` is where that text starts (for messages). */
export function parseChartSpec(text: string, at?: SourcePosition): ChartSpec {
  const words: { word: string; column: number }[] = [];
  for (const m of text.matchAll(/\S+/g)) words.push({ word: m[0], column: m.index });
  const fail = (detail: string, word?: { column: number }): never => {
    throw new ChartSpecError(detail, at && { ...at, column: at.column + (word?.column ?? 0) });
  };
  const [kindWord, labelWord, ...valueWords] = words;
  if (!kindWord) return fail('expected a chart kind (bar, line or none)');
  const kind = kindWord.word.toLowerCase();
  if (!(CHART_KINDS as readonly string[]).includes(kind)) return fail(`unknown chart kind '${kindWord.word}' (expected bar, line or none)`, kindWord);
  if (kind === 'none') {
    if (labelWord) fail(`'none' takes no columns, found '${labelWord.word}'`, labelWord);
    return { kind: 'none' };
  }
  if (!labelWord) return fail(`${kind} needs ${kind === 'bar' ? 'a label column' : 'an x column'} and at least one value column, e.g. ${kind === 'bar' ? 'bar os count' : 'line dateobject requests'}`, kindWord);
  if (valueWords.length === 0) return fail(`${kind} needs at least one value column after '${labelWord.word}'`, labelWord);
  const labels = labelWord.word.split('+');
  for (const l of labels) if (!NAME.test(l)) fail(`'${labelWord.word}' is not a column name${kind === 'bar' ? ' (or names joined by +)' : ''}`, labelWord);
  if (kind === 'line' && labels.length > 1) fail(`a line chart has one x column, not '${labelWord.word}'`, labelWord);
  const values: string[] = [];
  for (const v of valueWords) {
    if (!NAME.test(v.word)) fail(`'${v.word}' is not a column name`, v);
    if (values.some((seen) => seen.toLowerCase() === v.word.toLowerCase())) fail(`value column '${v.word}' is listed twice`, v);
    values.push(v.word);
  }
  return kind === 'bar' ? { kind: 'bar', label: labels, values } : { kind: 'line', x: labels[0]!, values };
}

/** A header's chart and where it is. */
export interface ChartHeader {
  readonly spec: ChartSpec;
  /** Where the spec's text starts, for messages about it. */
  readonly position: SourcePosition;
}

/** The `-- Chart:` line of a script's leading `--` block, parsed; undefined when there is none. Two such lines are an error. */
export function findChartHeader(script: string, file?: string): ChartHeader | undefined {
  let found: ChartHeader | undefined;
  const lines = script.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('--')) break;
    const m = /^--\s?Chart:(\s*)(.*)$/.exec(line);
    if (!m) continue;
    const position: SourcePosition = { file, line: i + 1, column: line.length - m[2]!.length + 1 };
    if (found) throw new ChartSpecError(`a script has one chart line; another is on line ${found.position.line}`, position);
    found = { spec: parseChartSpec(m[2]!, position), position };
  }
  return found;
}

/** Checks a spec against the query's output columns (names compared case-insensitively, as Hive does). */
export function resolveChart(spec: ChartSpec, columns: readonly ResultColumn[], at?: SourcePosition): ResolvedChart {
  if (spec.kind === 'none') return { kind: 'none', spec };
  const names = columns.map((c) => c.name);
  const index = (name: string, role: string): number => {
    const i = names.findIndex((n) => n.toLowerCase() === name.toLowerCase());
    if (i < 0) throw new ChartSpecError(`${role} column '${name}' is not an output column of the query (${names.join(', ') || 'none'})`, at);
    return i;
  };
  const values = spec.values.map((v) => {
    const i = index(v, 'value');
    if (!isNumericType(columns[i]!.type)) throw new ChartSpecError(`value column '${v}' is ${columns[i]!.type}; values must be numeric`, at);
    return i;
  });
  if (spec.kind === 'bar') return { kind: 'bar', spec, label: spec.label.map((l) => index(l, 'label')), values };
  const x = index(spec.x, 'x');
  const xType = columns[x]!.type;
  if (!isDateType(xType) && !isNumericType(xType)) throw new ChartSpecError(`x column '${spec.x}' is ${xType}; a line chart needs a date, timestamp or numeric x`, at);
  return { kind: 'line', spec, x, values };
}

/**
 * The chart for a script without a `-- Chart:` line: a line over the first
 * DATE/TIMESTAMP column; else bars labelled by the first string column (or
 * the first column); the value is the first other numeric column. `none`
 * when there is no such value.
 */
export function defaultChartSpec(columns: readonly ResultColumn[]): ChartSpec {
  const firstNumericExcept = (skip: number) => columns.findIndex((c, i) => i !== skip && isNumericType(c.type));
  const date = columns.findIndex((c) => isDateType(c.type));
  if (date >= 0) {
    const v = firstNumericExcept(date);
    return v < 0 ? { kind: 'none' } : { kind: 'line', x: columns[date]!.name, values: [columns[v]!.name] };
  }
  const stringColumn = columns.findIndex((c) => isStringType(c.type));
  const label = stringColumn >= 0 ? stringColumn : 0;
  const v = columns.length > 1 ? firstNumericExcept(label) : -1;
  return v < 0 ? { kind: 'none' } : { kind: 'bar', label: [columns[label]!.name], values: [columns[v]!.name] };
}

/** The header's chart if there is one, else the default; resolved against the columns. */
export function chartForColumns(columns: readonly ResultColumn[], header?: ChartHeader | ChartSpec): ResolvedChart {
  if (!header) return resolveChart(defaultChartSpec(columns), columns);
  return 'spec' in header ? resolveChart(header.spec, columns, header.position) : resolveChart(header, columns);
}
