/**
 * Conditional functions and the type unification behind them: Hive's
 * FunctionRegistry.getCommonClass (branches of IF/COALESCE/CASE/NVL) and
 * getCommonClassForComparison (operands of comparisons, GREATEST/LEAST).
 */
import { T, typeToString, type HiveType, type HiveTypeName, type HiveValue } from '../hive/types.js';
import { FunctionTypeError, define, requireArg, type HiveFunction } from './registry.js';

/** FunctionRegistry's numericTypes: the implicit widening order (STRING last). */
const NUMERIC_RANK: Partial<Record<HiveTypeName, number>> = {
  tinyint: 1,
  smallint: 2,
  int: 3,
  bigint: 4,
  float: 5,
  double: 6,
  decimal: 7,
  string: 8,
};

const NUMERIC_LIST: readonly HiveTypeName[] = ['tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'decimal', 'string'];

type Group = 'string' | 'numeric' | 'date' | 'boolean' | 'void' | 'other';

function group(n: HiveTypeName): Group {
  switch (n) {
    case 'string':
    case 'varchar':
    case 'char':
      return 'string';
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
    case 'float':
    case 'double':
    case 'decimal':
      return 'numeric';
    case 'date':
    case 'timestamp':
      return 'date';
    case 'boolean':
      return 'boolean';
    case 'void':
      return 'void';
    default:
      return 'other';
  }
}

function equalTypes(a: HiveType, b: HiveType): boolean {
  if (a.name !== b.name) return false;
  if (a.name === 'decimal') return (a.length ?? 10) === (b.length ?? 10) && (a.scale ?? 0) === (b.scale ?? 0);
  if (a.name === 'varchar' || a.name === 'char') return a.length === b.length;
  return true;
}

/** FunctionRegistry.implicitConvertible(PrimitiveCategory, PrimitiveCategory). */
export function implicitConvertible(from: HiveTypeName, to: HiveTypeName): boolean {
  if (from === to) return true;
  const fg = group(from);
  const tg = group(to);
  if (fg === 'string' && (to === 'double' || to === 'decimal')) return true;
  if (from === 'void') return true;
  if (fg === 'date' && tg === 'string') return true;
  if (fg === 'numeric' && tg === 'string') return true;
  if (fg === 'string' && tg === 'string') return true;
  const f = NUMERIC_RANK[from];
  const t = NUMERIC_RANK[to];
  return f !== undefined && t !== undefined && f <= t;
}

/** HiveDecimalUtils.getPrecisionForType / getScaleForType. */
function decimalShape(t: HiveType): [number, number] {
  switch (t.name) {
    case 'decimal':
      return [t.length ?? 10, t.scale ?? 0];
    case 'float':
      return [7, 7];
    case 'double':
      return [15, 15];
    case 'tinyint':
      return [3, 0];
    case 'smallint':
      return [5, 0];
    case 'int':
      return [10, 0];
    case 'bigint':
      return [19, 0];
    case 'void':
      return [1, 0];
    default:
      return [38, 38];
  }
}

/** HiveDecimalUtils.getDecimalTypeForPrimitiveCategories. */
function commonDecimal(a: HiveType, b: HiveType): HiveType {
  const [p1, s1] = decimalShape(a);
  const [p2, s2] = decimalShape(b);
  const intPart = Math.max(p1 - s1, p2 - s2);
  const decPart = Math.max(s1, s2);
  return { name: 'decimal', length: Math.min(intPart + decPart, 38), scale: Math.min(decPart, 38 - intPart) };
}

/** FunctionRegistry.getTypeInfoForPrimitiveCategory. */
function typeFor(a: HiveType, b: HiveType, name: HiveTypeName): HiveType {
  switch (name) {
    case 'decimal':
      return commonDecimal(a, b);
    case 'varchar':
    case 'char': {
      const la = a.name === name ? a.length : undefined;
      const lb = b.name === name ? b.length : undefined;
      const len = la === undefined ? lb : lb === undefined ? la : Math.max(la, lb);
      return len === undefined ? { name } : { name, length: len };
    }
    default:
      return { name };
  }
}

/**
 * The type two branches are both converted to (FunctionRegistry.getCommonClass,
 * with ReturnObjectInspectorResolver's rule that NULL takes the other type):
 * string group pairs give STRING, numeric types (STRING ranking above all of
 * them) the wider one; anything else (date vs string, int vs varchar) has none.
 */
export function commonType(a: HiveType, b: HiveType): HiveType | undefined {
  if (a.name === 'void') return b;
  if (b.name === 'void') return a;
  if (equalTypes(a, b)) return a;
  if (group(a.name) === 'string' && group(b.name) === 'string') return T.string;
  const ra = NUMERIC_RANK[a.name];
  const rb = NUMERIC_RANK[b.name];
  if (ra === undefined || rb === undefined) return undefined;
  return typeFor(a, b, ra > rb ? a.name : b.name);
}

/**
 * The type two operands are compared in (FunctionRegistry.getCommonClassForComparison):
 * strings with strings as STRING; a number with a timestamp as DOUBLE;
 * otherwise the first of tinyint..double, decimal, string both convert to
 * implicitly — so string vs int compares as DOUBLE and date vs string as STRING.
 */
export function commonTypeForComparison(a: HiveType, b: HiveType): HiveType | undefined {
  if (equalTypes(a, b)) return a;
  if (a.name === 'array<string>' || b.name === 'array<string>') return undefined;
  if (a.name === b.name) return typeFor(a, b, a.name);
  const ga = group(a.name);
  const gb = group(b.name);
  if (ga === 'string' && gb === 'string') return T.string;
  if ((ga === 'numeric' || gb === 'numeric') && (a.name === 'timestamp' || b.name === 'timestamp')) return T.double;
  for (const t of NUMERIC_LIST) {
    if (implicitConvertible(a.name, t) && implicitConvertible(b.name, t)) return typeFor(a, b, t);
  }
  return undefined;
}

/** Common type of all arguments for a function returning one of them, or a FunctionTypeError. */
export function unify(fn: string, actual: readonly HiveType[], first = 0): HiveType {
  let t: HiveType = T.void;
  for (let i = first; i < actual.length; i++) {
    const c = commonType(t, actual[i]!);
    if (!c) {
      throw new FunctionTypeError(`the arguments of ${fn}() must have a common type; ${typeToString(t)} and ${typeToString(actual[i]!)} have none`, i);
    }
    t = c;
  }
  return t;
}

/** Equality as PrimitiveObjectInspectorUtils.comparePrimitiveObjects (NaN is not equal to itself). */
function primitiveEquals(a: HiveValue, b: HiveValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

const coalesce = define({
  name: 'coalesce',
  minArgs: 1,
  maxArgs: Infinity,
  argTypes: (a) => {
    const t = unify('coalesce', a);
    return a.map(() => t);
  },
  returnType: (a) => unify('coalesce', a),
  impl: (args) => {
    for (const v of args) if (v !== null) return v;
    return null;
  },
});

const nvl = define({
  name: 'nvl',
  minArgs: 2,
  argTypes: (a) => {
    const t = unify('nvl', a);
    return [t, t];
  },
  returnType: (a) => unify('nvl', a),
  impl: (args) => (args[0] !== null ? args[0]! : args[1]!),
});

const ifFn = define({
  name: 'if',
  minArgs: 3,
  argTypes: (a) => {
    const c = a[0]!;
    requireArg(c.name === 'boolean' || c.name === 'void', 'if', 0, 'boolean', c);
    const t = unify('if', a, 1);
    return [T.boolean, t, t];
  },
  returnType: (a) => unify('if', a, 1),
  impl: (args) => (args[0] === true ? args[1]! : args[2]!),
});

const nullif = define({
  name: 'nullif',
  minArgs: 2,
  argTypes: (a) => {
    const t = unify('nullif', a);
    return [t, t];
  },
  returnType: (a) => unify('nullif', a),
  impl: (args) => {
    const a = args[0]!;
    const b = args[1]!;
    if (a === null || b === null) return a;
    return primitiveEquals(a, b) ? null : a;
  },
});

const isnull = define({
  name: 'isnull',
  minArgs: 1,
  argTypes: (a) => [a[0]!],
  returnType: T.boolean,
  impl: (args) => args[0] === null,
});

const isnotnull = define({
  name: 'isnotnull',
  minArgs: 1,
  argTypes: (a) => [a[0]!],
  returnType: T.boolean,
  impl: (args) => args[0] !== null,
});

export const CONDITIONAL_FUNCTIONS: readonly HiveFunction[] = [coalesce, nvl, ifFn, nullif, isnull, isnotnull];
