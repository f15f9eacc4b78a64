import type { ColumnDef } from '../hive/ast.js';
import { makeFieldParser } from '../hive/cast.js';
import { SemanticError, type SourcePosition } from '../hive/errors.js';
import { isStringFamily, typeToString, type HiveValue } from '../hive/types.js';
import { compileJavaRegex, type JavaRegex } from './java-regex.js';
import { BUDGET_EXCEEDED, compileLineMatcher, type LineMatcher } from './line-matcher.js';
import { locateTutorialGroups, newGroupBounds, TUTORIAL_PATTERN, type GroupBounds } from './tutorial-shape.js';
import type { NeededColumns, SerDe } from './serde.js';
import { LINE_IS_PLAIN_ASCII } from '../storage/line-reader.js';

export const REGEX_SERDE = 'org.apache.hadoop.hive.serde2.RegexSerDe';

/**
 * Hive's RegexSerDe: `input.regex` must match the whole line (Matcher.matches),
 * group i is column i; a line that does not match is a row of NULLs.
 */
export class RegexSerDe implements SerDe {
  readonly className = REGEX_SERDE;
  readonly regex: JavaRegex;
  private readonly matcher: LineMatcher;
  private readonly shortcut: GroupBounds | undefined;
  private readonly parsers: ((text: string) => HiveValue)[];
  private readonly wanted: number[];
  lastLineOverBudget = false;

  constructor(
    readonly columns: readonly ColumnDef[],
    properties: ReadonlyMap<string, string>,
    where: SourcePosition,
    needed?: NeededColumns,
  ) {
    const pattern = properties.get('input.regex');
    if (pattern === undefined) throw new SemanticError('RegexSerDe needs the SERDEPROPERTIES "input.regex"', where);
    const caseInsensitive = (properties.get('input.regex.case.insensitive') ?? 'false').toLowerCase() === 'true';
    this.regex = compileJavaRegex(pattern, { caseInsensitive });
    if (this.regex.groupCount !== columns.length) {
      throw new SemanticError(`RegexSerDe: the regex has ${this.regex.groupCount} capturing groups but the table has ${columns.length} columns (Hive requires them to be equal)`, where);
    }
    for (const c of columns) {
      if (c.type.name === 'array<string>') throw new SemanticError(`RegexSerDe only supports primitive columns; ${c.name} is ${typeToString(c.type)}`, where);
    }
    this.parsers = columns.map((c) => (isStringFamily(c.type) && c.type.name === 'string' ? (s: string) => s : makeFieldParser(c.type, 'regex')));
    this.wanted = columns.map((_c, i) => i).filter((i) => !needed || needed[i]);
    // Same groups as this.regex.matchWhole, in linear time for patterns of the compiled class and
    // within a step budget for the others (line-matcher.ts), so that no line can hang a run.
    this.matcher = compileLineMatcher(this.regex);
    // The EMR tutorial's pattern: a proven shortcut for lines of the common shape (tutorial-shape.ts).
    this.shortcut = pattern === TUTORIAL_PATTERN && !caseInsensitive ? newGroupBounds() : undefined;
  }

  deserialize(line: string, row: HiveValue[], hints = 0): boolean {
    const bounds = this.shortcut;
    if (bounds && locateTutorialGroups(line, bounds, (hints & LINE_IS_PLAIN_ASCII) !== 0)) {
      for (let i = 0; i < this.columns.length; i++) row[i] = null;
      for (const i of this.wanted) row[i] = this.parsers[i]!(line.slice(bounds[2 * i], bounds[2 * i + 1]));
      return true;
    }
    const m = this.matcher.match(line);
    if (m === null || m === BUDGET_EXCEEDED) {
      // A line over the budget is read as Hive reads a line that does not match: a row of NULLs.
      this.lastLineOverBudget = m === BUDGET_EXCEEDED;
      for (let i = 0; i < this.columns.length; i++) row[i] = null;
      return false;
    }
    for (let i = 0; i < this.columns.length; i++) row[i] = null;
    for (const i of this.wanted) {
      const g = m[i];
      // A group that did not take part in the match is NULL.
      row[i] = g === undefined ? null : this.parsers[i]!(g);
    }
    return true;
  }
}
