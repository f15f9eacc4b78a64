/**
 * Hive's math functions (GenericUDFAbs, GenericUDFRound with RoundUtils'
 * HALF_UP on the double's shortest digits, GenericUDFFloor/Ceil returning
 * BIGINT, UDFPower/Sqrt/Ln/Log10/Log2/Exp, GenericUDFPosMod, GenericUDFGreatest/Least).
 */
import { compareValues } from '../hive/cast.js';
import { shortestDigits } from '../hive/java-format.js';
import { T, decimalType, typeToString, type HiveType, type HiveValue } from '../hive/types.js';
import { commonTypeForComparison } from './conditional.js';
import {
  FunctionTypeError,
  define,
  doubleParam,
  intParam,
  isIntegralType,
  isNumericGroup,
  isStringGroup,
  requireArg,
  type HiveFunction,
} from './registry.js';

const LONG_MIN = -9223372036854775808;
const LONG_MAX = 9223372036854775807;

/** Java's (long) of a double. */
function d2l(d: number): number {
  if (d !== d) return 0;
  if (d >= LONG_MAX) return LONG_MAX;
  if (d <= LONG_MIN) return LONG_MIN;
  return d === 0 ? 0 : d;
}

/**
 * BigDecimal.valueOf(d).setScale(scale, HALF_UP).doubleValue(): rounding the
 * decimal digits Java prints for d, so round(2.675, 2) is 2.68.
 */
export function roundHalfUp(d: number, scale: number): number {
  if (!Number.isFinite(d) || d === 0) return d === 0 ? 0 : d;
  const { digits, point } = shortestDigits(d);
  // Digits kept: those before the position 10^-scale.
  const keep = point + scale;
  if (keep >= digits.length) return d;
  if (keep < 0) return 0;
  let kept = keep === 0 ? 0n : BigInt(digits.slice(0, keep));
  if (digits.charCodeAt(keep) >= 53) kept += 1n;
  const v = kept === 0n ? 0 : Number(`${kept}e${point - keep}`);
  return d < 0 && v !== 0 ? -v : v;
}

/** RoundUtils.round(long, scale) for scale < 0: HALF_UP away from zero at 10^-scale. */
function roundLong(v: number, scale: number): number {
  if (scale >= 0) return v;
  if (-scale > 18) return 0;
  const p = 10 ** -scale;
  const a = Math.abs(v);
  const r = Math.floor(a / p) * p + (a % p >= p / 2 ? p : 0);
  return v < 0 ? -r : r;
}

function numericOrString(fn: string, a: readonly HiveType[], i: number): HiveType {
  const t = a[i]!;
  requireArg(isNumericGroup(t) || isStringGroup(t) || t.name === 'void', fn, i, 'a number', t);
  return t;
}

// ---------------------------------------------------------------------------

function absType(t: HiveType): HiveType {
  switch (t.name) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'void':
      return T.int;
    case 'bigint':
      return T.bigint;
    case 'decimal':
      return t;
    default:
      return T.double;
  }
}

const abs = define({
  name: 'abs',
  minArgs: 1,
  argTypes: (a) => [absType(numericOrString('abs', a, 0))],
  returnType: (a) => absType(a[0]!),
  impl: (args) => {
    const v = args[0];
    if (v === null) return null;
    const n = v as number;
    // Math.abs(Integer.MIN_VALUE) stays negative in Java.
    if (n === -2147483648 || n === LONG_MIN) return n;
    return n < 0 ? -n : n === 0 ? 0 : n;
  },
});

function roundType(t: HiveType, digits: number | undefined): HiveType {
  switch (t.name) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
    case 'double':
      return t;
    case 'decimal': {
      const p = t.length ?? 10;
      const s = t.scale ?? 0;
      const ns = Math.max(0, Math.min(digits ?? 0, s));
      return decimalType(Math.min(38, p - s + 1 + ns), ns);
    }
    case 'void':
      return T.double;
    default:
      return T.double;
  }
}

const round = define({
  name: 'round',
  minArgs: 1,
  maxArgs: 2,
  argTypes: (a) => {
    const t = numericOrString('round', a, 0);
    // FLOAT is rounded as its double value and returned as DOUBLE (see roundType).
    const out: HiveType[] = [roundType(t, undefined)];
    if (a.length > 1) out.push(intParam('round', a, 1));
    return out;
  },
  returnType: (a) => roundType(a[0]!, undefined),
  impl: (args) => {
    const v = args[0];
    if (v === null) return null;
    const scale = args.length > 1 ? args[1] : 0;
    if (scale === null) return null;
    const n = v as number;
    const s = scale as number;
    // The result type is the argument's: integers only move for a negative scale.
    if (Number.isInteger(n) && s >= 0) return n;
    if (Number.isInteger(n) && Math.abs(n) > 2 ** 52) return roundLong(n, s);
    return roundHalfUp(n, s);
  },
});

function floorCeilType(t: HiveType): HiveType {
  if (t.name === 'decimal') {
    const p = t.length ?? 10;
    const s = t.scale ?? 0;
    return decimalType(Math.min(38, p - s + (s > 0 ? 1 : 0)), 0);
  }
  return T.bigint;
}

function floorCeil(name: string, op: (x: number) => number): HiveFunction {
  return define({
    name,
    minArgs: 1,
    argTypes: (a) => {
      const t = numericOrString(name, a, 0);
      return [t.name === 'decimal' ? t : isIntegralType(t) ? T.bigint : T.double];
    },
    returnType: (a) => floorCeilType(a[0]!),
    impl: (args) => {
      const v = args[0];
      if (v === null) return null;
      return d2l(op(v as number));
    },
  });
}

function unaryDouble(name: string, op: (x: number) => number | null): HiveFunction {
  return define({
    name,
    minArgs: 1,
    argTypes: (a) => [doubleParam(name, a, 0)],
    returnType: T.double,
    impl: (args) => (args[0] === null ? null : op(args[0] as number)),
  });
}

const pow = define({
  name: 'pow',
  minArgs: 2,
  argTypes: (a) => [doubleParam('pow', a, 0), doubleParam('pow', a, 1)],
  returnType: T.double,
  impl: (args) => (args[0] === null || args[1] === null ? null : Math.pow(args[0] as number, args[1] as number)),
});

/** GenericUDFBaseNumeric's result type for two operands (used by pmod). */
function arithmeticType(a: HiveType, b: HiveType): HiveType {
  const approx = (t: HiveType): boolean => t.name === 'float' || t.name === 'double' || isStringGroup(t);
  if (approx(a) || approx(b)) return T.double;
  if (a.name === 'decimal' || b.name === 'decimal') {
    const sa = a.name === 'decimal' ? [a.length ?? 10, a.scale ?? 0] : [19, 0];
    const sb = b.name === 'decimal' ? [b.length ?? 10, b.scale ?? 0] : [19, 0];
    const scale = Math.max(sa[1]!, sb[1]!);
    const intPart = Math.max(sa[0]! - sa[1]!, sb[0]! - sb[1]!);
    return decimalType(Math.min(38, intPart + scale), scale);
  }
  const rank = (t: HiveType): number => ['void', 'tinyint', 'smallint', 'int', 'bigint'].indexOf(t.name);
  const w = rank(a) >= rank(b) ? a : b;
  return w.name === 'void' ? T.int : w;
}

const pmod = define({
  name: 'pmod',
  minArgs: 2,
  argTypes: (a) => {
    numericOrString('pmod', a, 0);
    numericOrString('pmod', a, 1);
    const t = arithmeticType(a[0]!, a[1]!);
    return [t, t];
  },
  returnType: (a) => arithmeticType(a[0]!, a[1]!),
  impl: (args) => {
    const a = args[0];
    const b = args[1];
    if (a === null || b === null || b === 0) return null;
    const x = a as number;
    const y = b as number;
    const r = ((x % y) + y) % y;
    return r === 0 ? 0 : r;
  },
});

function nway(name: string, sign: number): HiveFunction {
  const common = (a: readonly HiveType[]): HiveType => {
    let t = a[0]!;
    for (let i = 1; i < a.length; i++) {
      const c = commonTypeForComparison(t, a[i]!);
      if (!c) throw new FunctionTypeError(`${name}() cannot compare ${typeToString(t)} with ${typeToString(a[i]!)}`, i);
      t = c;
    }
    return t;
  };
  return define({
    name,
    minArgs: 2,
    maxArgs: Infinity,
    argTypes: (a) => {
      const t = common(a);
      return a.map(() => t);
    },
    returnType: common,
    impl: (args) => {
      let best: HiveValue = null;
      for (const v of args) {
        // Hive 2.0+: NULL if any argument is NULL.
        if (v === null) return null;
        if (best === null || sign * compareValues(v, best) > 0) best = v;
      }
      return best;
    },
  });
}

export const MATH_FUNCTIONS: readonly HiveFunction[] = [
  abs,
  round,
  floorCeil('floor', Math.floor),
  floorCeil('ceil', Math.ceil),
  floorCeil('ceiling', Math.ceil),
  pow,
  { ...pow, name: 'power' },
  // UDFSqrt, UDFLn, UDFLog10, UDFLog2: NULL outside the domain rather than NaN.
  unaryDouble('sqrt', (x) => (x < 0 ? null : Math.sqrt(x))),
  unaryDouble('ln', (x) => (x <= 0 ? null : Math.log(x))),
  unaryDouble('log10', (x) => (x <= 0 ? null : Math.log10(x))),
  unaryDouble('log2', (x) => (x <= 0 ? null : Math.log(x) / Math.LN2)),
  unaryDouble('exp', (x) => Math.exp(x)),
  pmod,
  nway('greatest', 1),
  nway('least', -1),
];

