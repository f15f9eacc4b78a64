/**
 * Hive's built-in (non-aggregate) functions. Each family lives in its own file
 * and is registered here; the table is built on first lookup so that the
 * family modules may import the helpers below without an evaluation-order cycle.
 */
import { LoghiveError } from '../hive/errors.js';
import { isIntegral, isNumeric, T, typeToString, type HiveType, type HiveValue } from '../hive/types.js';
import { CONDITIONAL_FUNCTIONS } from './conditional.js';
import { DATE_FUNCTIONS } from './date.js';
import { MATH_FUNCTIONS } from './math.js';
import { STRING_FUNCTIONS } from './string.js';

export interface HiveFunction {
  /** Lower-case name. */
  readonly name: string;
  readonly minArgs: number;
  /** Infinity for variadic functions. */
  readonly maxArgs: number;
  /**
   * Types the arguments are converted to before `impl` sees them (the analyzer
   * inserts casts with makeCast); throws FunctionTypeError if an argument type
   * is not acceptable.
   */
  argTypes(actual: readonly HiveType[]): readonly HiveType[];
  returnType(actual: readonly HiveType[]): HiveType;
  /** Called with the already-converted argument values; NULL handling is the function's own. */
  impl(args: readonly HiveValue[]): HiveValue;
  /**
   * Optional check of arguments that are constants at analysis time (undefined
   * where an argument is not constant), e.g. a date pattern that Java rejects.
   * Throws FunctionTypeError.
   */
  checkConstants?(values: readonly (HiveValue | undefined)[]): void;
}

/** An argument of a type the function does not take (Hive's UDFArgumentTypeException). */
export class FunctionTypeError extends Error {
  constructor(
    message: string,
    readonly argumentIndex: number,
  ) {
    super(message);
    this.name = 'FunctionTypeError';
  }
}

/** A function failing on a value at run time, where Hive's task fails (e.g. regexp_extract group out of range). */
export class FunctionRuntimeError extends LoghiveError {
  readonly exitCode = 1;
  constructor(
    readonly functionName: string,
    detail: string,
  ) {
    super(`${functionName}(): ${detail}`);
  }
}

// ---------------------------------------------------------------------------
// Type groups (PrimitiveObjectInspectorUtils.PrimitiveGrouping)

export function isStringGroup(t: HiveType): boolean {
  return t.name === 'string' || t.name === 'varchar' || t.name === 'char';
}

// The families' own names for the type groups defined in types.ts.
export const isIntegralType = isIntegral;
export const isNumericGroup = isNumeric;

export function isDateGroup(t: HiveType): boolean {
  return t.name === 'date' || t.name === 'timestamp';
}

export function isPrimitive(t: HiveType): boolean {
  return t.name !== 'array<string>';
}

/** Throws unless `ok`; the message names the type the argument had. */
export function requireArg(ok: boolean, fn: string, index: number, wanted: string, actual: HiveType): void {
  if (!ok) throw new FunctionTypeError(`argument ${index + 1} of ${fn}() must be ${wanted}, not ${typeToString(actual)}`, index);
}

/** Argument converted to STRING; any primitive is accepted (Hive's text converters). */
export function stringParam(fn: string, actual: readonly HiveType[], i: number): HiveType {
  const t = actual[i]!;
  requireArg(isPrimitive(t), fn, i, 'a primitive type', t);
  return T.string;
}

/** Argument converted to INT; only TINYINT/SMALLINT/INT (and NULL) are taken. */
export function intParam(fn: string, actual: readonly HiveType[], i: number): HiveType {
  const t = actual[i]!;
  requireArg(t.name === 'tinyint' || t.name === 'smallint' || t.name === 'int' || t.name === 'void', fn, i, 'TINYINT, SMALLINT or INT', t);
  return T.int;
}

/** Argument converted to BIGINT; any integral type (and NULL). */
export function longParam(fn: string, actual: readonly HiveType[], i: number): HiveType {
  const t = actual[i]!;
  requireArg(isIntegralType(t) || t.name === 'void', fn, i, 'an integral type', t);
  return T.bigint;
}

/** Argument converted to DOUBLE: numbers, strings (implicitly) and NULL. */
export function doubleParam(fn: string, actual: readonly HiveType[], i: number): HiveType {
  const t = actual[i]!;
  requireArg(isNumericGroup(t) || isStringGroup(t) || t.name === 'void', fn, i, 'a number', t);
  return T.double;
}

/** Builds a function entry with fixed parameter rules. */
export function define(spec: {
  name: string;
  minArgs: number;
  maxArgs?: number;
  argTypes: (actual: readonly HiveType[]) => readonly HiveType[];
  returnType: HiveType | ((actual: readonly HiveType[]) => HiveType);
  impl: (args: readonly HiveValue[]) => HiveValue;
  checkConstants?: (values: readonly (HiveValue | undefined)[]) => void;
}): HiveFunction {
  const rt = spec.returnType;
  const f: HiveFunction = {
    name: spec.name,
    minArgs: spec.minArgs,
    maxArgs: spec.maxArgs ?? spec.minArgs,
    argTypes: spec.argTypes,
    returnType: typeof rt === 'function' ? rt : () => rt,
    impl: spec.impl,
  };
  return spec.checkConstants ? { ...f, checkConstants: spec.checkConstants } : f;
}

/** The same function under another name (lcase for lower, ...). */
export function alias(name: string, f: HiveFunction): HiveFunction {
  return { ...f, name };
}

// ---------------------------------------------------------------------------

let table: Map<string, HiveFunction> | undefined;

function build(): Map<string, HiveFunction> {
  const m = new Map<string, HiveFunction>();
  for (const family of [STRING_FUNCTIONS, DATE_FUNCTIONS, MATH_FUNCTIONS, CONDITIONAL_FUNCTIONS]) {
    for (const f of family) {
      if (m.has(f.name)) throw new Error(`function ${f.name} registered twice`);
      m.set(f.name, f);
    }
  }
  return m;
}

/** The built-in function with this name (case-insensitive), if the engine has it. */
export function lookupFunction(name: string): HiveFunction | undefined {
  table ??= build();
  return table.get(name.toLowerCase());
}

/** Names of all registered functions, sorted. */
export function functionNames(): readonly string[] {
  table ??= build();
  return [...table.keys()].sort();
}
