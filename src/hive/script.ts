import { UndefinedVariableError, HiveParseError } from './errors.js';
import { SourceText } from './source-text.js';

/** One statement of a script, as written (before variable substitution). */
export interface RawStatement {
  readonly text: string;
  /** Offset of `text` in the script. */
  readonly offset: number;
}

/**
 * Splits a script into statements the way the hive CLI does: on `;` outside
 * quotes, with `--` comments running to the end of the line. Empty statements
 * (only whitespace and comments) are dropped.
 */
export function splitStatements(script: string): RawStatement[] {
  const out: RawStatement[] = [];
  let start = 0;
  let quote: string | null = null;
  let i = 0;
  const push = (end: number) => {
    const text = script.slice(start, end);
    if (stripComments(text).trim() !== '') out.push({ text, offset: start });
  };
  while (i < script.length) {
    const c = script[i]!;
    if (quote) {
      if (c === '\\') i += 2;
      else {
        if (c === quote) quote = null;
        i++;
      }
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      quote = c;
      i++;
    } else if (c === '-' && script[i + 1] === '-') {
      const nl = script.indexOf('\n', i);
      i = nl < 0 ? script.length : nl;
    } else if (c === ';') {
      push(i);
      start = i + 1;
      i++;
    } else i++;
  }
  push(script.length);
  return out;
}

/** Removes `--` comments outside quotes (used only to decide whether a statement is empty). */
function stripComments(text: string): string {
  return text.replace(/--[^\n]*/g, '');
}

/**
 * Hive's variable namespaces. `-d`/`--define` and `--hivevar` fill `hivevar`;
 * `--hiveconf` and `SET k=v` fill `hiveconf`; `${env:X}` reads the environment.
 */
export class HiveVariables {
  readonly hivevar = new Map<string, string>();
  readonly hiveconf = new Map<string, string>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  lookup(name: string): string | undefined {
    if (name.startsWith('hivevar:')) return this.hivevar.get(name.slice(8));
    if (name.startsWith('hiveconf:')) return this.hiveconf.get(name.slice(9));
    if (name.startsWith('env:')) return this.env[name.slice(4)];
    if (name.startsWith('system:')) return name === 'system:user.name' ? (this.env.USER ?? undefined) : undefined;
    return this.hivevar.get(name) ?? this.hiveconf.get(name);
  }

  /** `SET k=v` as the CLI handles it: `hivevar:` keys are variables, anything else is configuration. */
  set(key: string, value: string): void {
    if (key.startsWith('hivevar:')) this.hivevar.set(key.slice(8), value);
    else this.hiveconf.set(key.startsWith('hiveconf:') ? key.slice(9) : key, value);
  }

  /** A configuration flag, with Hive's spelling of booleans. */
  flag(key: string, defaultValue: boolean): boolean {
    const v = this.hiveconf.get(key);
    return v === undefined ? defaultValue : v.trim().toLowerCase() === 'true';
  }
}

const MAX_SUBSTITUTION_DEPTH = 40; // Hive's own limit

/**
 * Substitutes `${NAME}` (and `${hivevar:…}`, `${hiveconf:…}`, `${env:…}`) in
 * one statement, keeping a map back to the original positions. Values are
 * substituted again, as Hive does, up to its depth limit.
 */
export function substituteVariables(
  statement: RawStatement,
  script: string,
  vars: HiveVariables,
  file: string | undefined,
): SourceText {
  if (!vars.flag('hive.variable.substitute', true)) {
    return new SourceText(statement.text, file, statement.text, undefined, statement.offset, script);
  }
  const segments: { at: number; origin: number; fixed: boolean }[] = [];
  let out = '';
  const re = /\$\{([^}$\s]+)\}/g;
  let last = 0;
  const text = statement.text;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const name = m[1]!;
    if (m.index > last) {
      segments.push({ at: out.length, origin: last, fixed: false });
      out += text.slice(last, m.index);
    }
    const value = expand(name, vars, 0, () => localPosition(script, statement.offset + m!.index, file));
    segments.push({ at: out.length, origin: m.index, fixed: true });
    out += value;
    last = m.index + m[0].length;
  }
  segments.push({ at: out.length, origin: last, fixed: false });
  out += text.slice(last);
  return new SourceText(out, file, text, segments, statement.offset, script);
}

function expand(name: string, vars: HiveVariables, depth: number, where: () => { file?: string; line: number; column: number }): string {
  const value = vars.lookup(name);
  if (value === undefined) throw new UndefinedVariableError(name, where());
  if (depth >= MAX_SUBSTITUTION_DEPTH) {
    throw new HiveParseError(`variable substitution depth exceeds ${MAX_SUBSTITUTION_DEPTH} for \${${name}}`, where());
  }
  return value.replace(/\$\{([^}$\s]+)\}/g, (_m, inner: string) => expand(inner, vars, depth + 1, where));
}

function localPosition(script: string, offset: number, file: string | undefined) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (script.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { file, line, column: offset - lineStart + 1 };
}
