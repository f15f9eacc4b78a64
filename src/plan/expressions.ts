import type { Expr } from '../hive/ast.js';
import { CastError, compareValues, makeCast } from '../hive/cast.js';
import { SemanticError, UnsupportedError, type SourcePosition } from '../hive/errors.js';
import { isIntegral, isNumeric, isStringFamily, T, typeToString, widerNumeric, type HiveType, type HiveValue } from '../hive/types.js';
import { commonType, commonTypeForComparison } from '../functions/conditional.js';
import { FunctionTypeError, lookupFunction } from '../functions/registry.js';
import { compileJavaRegex } from '../serde/java-regex.js';
import type { AggregateFunction, AggregateSpec, CompiledExpr } from './compiled.js';

export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set<AggregateFunction>(['count', 'sum', 'avg', 'min', 'max']);
const UNSUPPORTED_AGGREGATES = new Set(['collect_set', 'collect_list', 'percentile', 'percentile_approx', 'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop', 'var_samp', 'histogram_numeric', 'corr', 'covar_pop', 'covar_samp', 'ntile', 'row_number', 'rank', 'dense_rank', 'lag', 'lead', 'first_value', 'last_value', 'explode', 'posexplode', 'inline', 'json_tuple', 'parse_url_tuple', 'stack']);

/** A column the expression can see. */
export interface ScopeColumn {
  readonly name: string;
  readonly qualifier?: string;
  readonly type: HiveType;
  readonly index: number;
}

export interface CompileContext {
  readonly columns: readonly ScopeColumn[];
  readonly position: (offset: number) => SourcePosition;
  /**
   * After GROUP BY: a whole sub-expression (a group key or an aggregate call)
   * that maps to a slot of the group row. Return undefined to compile normally.
   */
  readonly substitute?: (expr: Expr) => { index: number; type: HiveType } | undefined;
  /** Where aggregates are not allowed, the name of the clause (for the message). */
  readonly noAggregatesIn?: string;
  /** After GROUP BY, a bare column is an error unless substituted. */
  readonly groupedColumnError?: (name: string, at: number) => never;
}

/** A structural key for an expression: equal for equal expressions whatever their positions. */
export function exprKey(e: Expr): string {
  return JSON.stringify(e, (k, v: unknown) => (k === 'at' ? undefined : v));
}

/** HiveQL text for an expression (EXPLAIN and messages). */
export function exprText(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return e.value === null ? 'null' : typeof e.value === 'string' ? `'${e.value.replace(/'/g, "\\'")}'` : String(e.value);
    case 'column':
      return e.qualifier ? `${e.qualifier}.${e.name}` : e.name;
    case 'unary':
      return e.op === 'NOT' ? `(not ${exprText(e.operand)})` : `(${e.op}${exprText(e.operand)})`;
    case 'binary':
      return `(${exprText(e.left)} ${e.op.toLowerCase()} ${exprText(e.right)})`;
    case 'call':
      return `${e.name}(${e.star ? '*' : (e.distinct ? 'DISTINCT ' : '') + e.args.map(exprText).join(', ')})`;
    case 'case':
      return `CASE${e.operand ? ' ' + exprText(e.operand) : ''} ${e.whens.map((w) => `WHEN ${exprText(w.when)} THEN ${exprText(w.then)}`).join(' ')}${e.otherwise ? ' ELSE ' + exprText(e.otherwise) : ''} END`;
    case 'cast':
      return `CAST(${exprText(e.operand)} AS ${typeToString(e.type)})`;
    case 'between':
      return `(${exprText(e.operand)}${e.negated ? ' NOT' : ''} BETWEEN ${exprText(e.low)} AND ${exprText(e.high)})`;
    case 'in':
      return `(${exprText(e.operand)}${e.negated ? ' NOT' : ''} IN (${e.list.map(exprText).join(', ')}))`;
    case 'like':
      return `(${exprText(e.operand)}${e.negated ? ' NOT' : ''} ${e.op.toLowerCase()} ${exprText(e.pattern)})`;
    case 'isnull':
      return `(${exprText(e.operand)} IS${e.negated ? ' NOT' : ''} NULL)`;
    case 'index':
      return `${exprText(e.operand)}[${exprText(e.index)}]`;
  }
}

/** Collects the aggregate calls of an expression (not descending into them). */
export function collectAggregates(e: Expr, out: Expr[]): void {
  if (e.kind === 'call' && AGGREGATE_FUNCTIONS.has(e.name)) {
    out.push(e);
    return;
  }
  forEachChild(e, (c) => collectAggregates(c, out));
}

export function forEachChild(e: Expr, fn: (child: Expr) => void): void {
  switch (e.kind) {
    case 'literal':
    case 'column':
      return;
    case 'unary':
      return fn(e.operand);
    case 'binary':
      fn(e.left);
      return fn(e.right);
    case 'call':
      return e.args.forEach(fn);
    case 'case':
      if (e.operand) fn(e.operand);
      for (const w of e.whens) {
        fn(w.when);
        fn(w.then);
      }
      if (e.otherwise) fn(e.otherwise);
      return;
    case 'cast':
    case 'isnull':
      return fn(e.operand);
    case 'between':
      fn(e.operand);
      fn(e.low);
      return fn(e.high);
    case 'in':
      fn(e.operand);
      return e.list.forEach(fn);
    case 'like':
      fn(e.operand);
      return fn(e.pattern);
    case 'index':
      fn(e.operand);
      return fn(e.index);
  }
}

const ARITH_WRAP: Partial<Record<string, (n: number) => number>> = {
  tinyint: (n) => (n << 24) >> 24,
  smallint: (n) => (n << 16) >> 16,
  int: (n) => n | 0,
};

/** Compiles an expression against a scope into a typed closure, with Hive's coercions. */
export function compileExpr(e: Expr, ctx: CompileContext): CompiledExpr {
  try {
    return compileNode(e, ctx);
  } catch (err) {
    // A conversion Hive refuses at analysis time, reported where the expression is.
    if (err instanceof CastError) throw new SemanticError(`${exprText(e)}: ${err.message}`, ctx.position(e.at), { cause: err });
    throw err;
  }
}

function compileNode(e: Expr, ctx: CompileContext): CompiledExpr {
  const sub = ctx.substitute?.(e);
  if (sub) {
    const i = sub.index;
    return { type: sub.type, eval: (row) => row[i] ?? null, text: exprText(e), reads: [i] };
  }
  const fail = (msg: string, at = e.at): never => {
    throw new SemanticError(msg, ctx.position(at));
  };
  const c = (x: Expr) => compileExpr(x, ctx);
  const text = exprText(e);
  const readsOf = (...xs: CompiledExpr[]) => [...new Set(xs.flatMap((x) => x.reads))];
  switch (e.kind) {
    case 'literal': {
      const v = e.value;
      return { type: e.type, eval: () => v, text, reads: [], literal: { value: v } };
    }
    case 'column': {
      if (ctx.groupedColumnError) ctx.groupedColumnError(e.name, e.at);
      const matches = ctx.columns.filter((col) => col.name === e.name && (e.qualifier === undefined || col.qualifier === e.qualifier));
      if (matches.length === 0) {
        if (e.qualifier && !ctx.columns.some((col) => col.qualifier === e.qualifier)) fail(`Invalid table alias '${e.qualifier}'`);
        fail(`Invalid column reference '${e.qualifier ? e.qualifier + '.' : ''}${e.name}'`);
      }
      if (matches.length > 1) fail(`Ambiguous column reference '${e.name}'`);
      const i = matches[0]!.index;
      return { type: matches[0]!.type, eval: (row) => row[i] ?? null, text, reads: [i] };
    }
    case 'unary': {
      const x = c(e.operand);
      if (e.op === 'NOT') {
        const b = asBoolean(x, ctx, e.operand.at);
        return { type: T.boolean, eval: (row) => { const v = b(row); return v === null ? null : !v; }, text, reads: x.reads };
      }
      if (e.op === '+') return x;
      const num = toNumeric(x);
      if (e.op === '~') {
        if (!isIntegral(num.type)) fail(`~ needs an integer argument, not ${typeToString(x.type)}`);
        return { type: num.type, eval: (row) => { const v = num.eval(row); return v === null ? null : ~(v as number); }, text, reads: x.reads };
      }
      const wrap = ARITH_WRAP[num.type.name];
      return { type: num.type, eval: (row) => { const v = num.eval(row); return v === null ? null : wrap ? wrap(-(v as number)) : -(v as number); }, text, reads: x.reads };
    }
    case 'binary':
      return compileBinary(e.op, c(e.left), c(e.right), text, ctx, e.at);
    case 'isnull': {
      const x = c(e.operand);
      const neg = e.negated;
      return { type: T.boolean, eval: (row) => (x.eval(row) === null) !== neg, text, reads: x.reads };
    }
    case 'between': {
      const x = c(e.operand);
      const lo = c(e.low);
      const hi = c(e.high);
      const ge = comparator(x, lo, '>=', ctx, e.at);
      const le = comparator(x, hi, '<=', ctx, e.at);
      const neg = e.negated;
      return {
        type: T.boolean,
        eval: (row) => {
          const a = ge(row);
          const b = le(row);
          const r = a === false || b === false ? false : a === null || b === null ? null : true;
          return r === null ? null : r !== neg;
        },
        text,
        reads: readsOf(x, lo, hi),
      };
    }
    case 'in': {
      const x = c(e.operand);
      const items = e.list.map(c);
      let t: HiveType = x.type;
      for (const it of items) {
        t = commonTypeForComparison(t, it.type) ?? fail(`IN: cannot compare ${typeToString(x.type)} with ${typeToString(it.type)}`, e.at);
      }
      const cx = castTo(x, t);
      const citems = items.map((it) => castTo(it, t));
      const neg = e.negated;
      return {
        type: T.boolean,
        eval: (row) => {
          const v = cx.eval(row);
          if (v === null) return null;
          let sawNull = false;
          for (const it of citems) {
            const w = it.eval(row);
            if (w === null) sawNull = true;
            else if (compareValues(v, w) === 0) return !neg;
          }
          return sawNull ? null : neg;
        },
        text,
        reads: readsOf(x, ...items),
      };
    }
    case 'like': {
      const x = castTo(c(e.operand), T.string);
      const p = castTo(c(e.pattern), T.string);
      const neg = e.negated;
      const toRegex = e.op === 'LIKE' ? likeToRegex : (s: string) => compileJavaRegex(s);
      const constant = e.pattern.kind === 'literal' && typeof e.pattern.value === 'string' ? e.pattern.value : undefined;
      const fixed = constant !== undefined ? toRegex(constant) : undefined;
      return {
        type: T.boolean,
        eval: (row) => {
          const v = x.eval(row);
          if (v === null) return null;
          let re = fixed;
          if (!re) {
            const pv = p.eval(row);
            if (pv === null) return null;
            re = toRegex(pv as string);
          }
          const m = 'find' in re ? re.find(v as string) !== null : re.test(v as string);
          return m !== neg;
        },
        text,
        reads: readsOf(x, p),
      };
    }
    case 'cast': {
      const x = c(e.operand);
      return { ...castTo(x, e.type), text };
    }
    case 'case':
      return compileCase(e, ctx, text);
    case 'index': {
      const arr = c(e.operand);
      const idx = c(e.index);
      if (arr.type.name !== 'array<string>') fail(`[] needs an array, not ${typeToString(arr.type)}`);
      if (!isIntegral(idx.type)) fail(`array index must be an integer, not ${typeToString(idx.type)}`, e.index.at);
      return {
        type: T.string,
        eval: (row) => {
          const a = arr.eval(row) as unknown as readonly string[] | null;
          const i = idx.eval(row) as number | null;
          if (a === null || i === null || i < 0 || i >= a.length) return null;
          return a[i]!;
        },
        text,
        reads: readsOf(arr, idx),
      };
    }
    case 'call':
      return compileCall(e, ctx, text);
  }
}

function compileCall(e: Extract<Expr, { kind: 'call' }>, ctx: CompileContext, text: string): CompiledExpr {
  const fail = (msg: string): never => {
    throw new SemanticError(msg, ctx.position(e.at));
  };
  if (AGGREGATE_FUNCTIONS.has(e.name)) {
    fail(ctx.noAggregatesIn ? `aggregate function ${e.name}() is not allowed in ${ctx.noAggregatesIn}` : `aggregate function ${e.name}() cannot be nested in another aggregate`);
  }
  if (UNSUPPORTED_AGGREGATES.has(e.name)) throw new UnsupportedError(`the function ${e.name}()`, ctx.position(e.at));
  if (e.name === '__is_boolean') {
    const x = asBoolean(compileExpr(e.args[0]!, ctx), ctx, e.at);
    const want = (e.args[1] as { value: boolean }).value;
    return { type: T.boolean, eval: (row) => x(row) === want, text, reads: [] };
  }
  if (e.distinct) fail(`DISTINCT is only allowed in aggregate functions, not in ${e.name}()`);
  const fn = lookupFunction(e.name);
  if (!fn) throw new UnsupportedError(`the function ${e.name}() (user-defined or not built in)`, ctx.position(e.at));
  const args = e.args.map((a) => compileExpr(a, ctx));
  if (args.length < fn.minArgs || args.length > fn.maxArgs) {
    const range = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : fn.maxArgs === Infinity ? `at least ${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
    fail(`${e.name}() takes ${range} argument${fn.maxArgs === 1 ? '' : 's'}, not ${args.length}`);
  }
  const actual = args.map((a) => a.type);
  let wanted: readonly HiveType[];
  let type: HiveType;
  try {
    wanted = fn.argTypes(actual);
    type = fn.returnType(actual);
  } catch (err) {
    if (err instanceof FunctionTypeError) {
      const at = e.args[err.argumentIndex]?.at ?? e.at;
      throw new SemanticError(`${e.name}(): ${err.message}`, ctx.position(at), { cause: err });
    }
    throw err;
  }
  const converted = args.map((a, i) => castTo(a, wanted[i] ?? a.type));
  if (fn.checkConstants) {
    // A constant argument (a date pattern, say) that can never work fails now, not per row.
    const constants = e.args.map((a, i) => (a.kind === 'literal' ? converted[i]!.eval([]) : undefined));
    try {
      fn.checkConstants(constants);
    } catch (err) {
      if (err instanceof FunctionTypeError) throw new SemanticError(`${e.name}(): ${err.message}`, ctx.position(e.args[err.argumentIndex]?.at ?? e.at), { cause: err });
      throw err;
    }
  }
  const impl = fn.impl;
  const n = converted.length;
  const reads = [...new Set(args.flatMap((a) => a.reads))];
  if (n === 1) {
    const a0 = converted[0]!.eval;
    return { type, eval: (row) => impl([a0(row)]), text, reads };
  }
  if (n === 2) {
    const a0 = converted[0]!.eval;
    const a1 = converted[1]!.eval;
    return { type, eval: (row) => impl([a0(row), a1(row)]), text, reads };
  }
  const evals = converted.map((a) => a.eval);
  return { type, eval: (row) => impl(evals.map((f) => f(row))), text, reads };
}

function compileCase(e: Extract<Expr, { kind: 'case' }>, ctx: CompileContext, text: string): CompiledExpr {
  const thens = e.whens.map((w) => compileExpr(w.then, ctx));
  const otherwise = e.otherwise ? compileExpr(e.otherwise, ctx) : undefined;
  let type: HiveType = T.void;
  for (const r of [...thens, ...(otherwise ? [otherwise] : [])]) {
    const ct = commonType(type, r.type);
    if (!ct) throw new SemanticError(`CASE branches have incompatible types ${typeToString(type)} and ${typeToString(r.type)}`, ctx.position(e.at));
    type = ct;
  }
  if (type.name === 'void') type = T.string;
  const results = thens.map((t) => castTo(t, type).eval);
  const other = otherwise ? castTo(otherwise, type).eval : () => null;
  const reads = new Set<number>([...thens, ...(otherwise ? [otherwise] : [])].flatMap((x) => x.reads));
  let conds: ((row: readonly HiveValue[]) => HiveValue)[];
  if (e.operand) {
    const op = compileExpr(e.operand, ctx);
    op.reads.forEach((r) => reads.add(r));
    conds = e.whens.map((w) => {
      const wv = compileExpr(w.when, ctx);
      wv.reads.forEach((r) => reads.add(r));
      return comparator(op, wv, '=', ctx, w.when.at);
    });
  } else {
    conds = e.whens.map((w) => {
      const wv = compileExpr(w.when, ctx);
      wv.reads.forEach((r) => reads.add(r));
      return asBoolean(wv, ctx, w.when.at);
    });
  }
  return {
    type,
    eval: (row) => {
      for (let i = 0; i < conds.length; i++) if (conds[i]!(row) === true) return results[i]!(row);
      return other(row);
    },
    text,
    reads: [...reads],
  };
}

function compileBinary(op: string, l: CompiledExpr, r: CompiledExpr, text: string, ctx: CompileContext, at: number): CompiledExpr {
  const reads = [...new Set([...l.reads, ...r.reads])];
  switch (op) {
    case 'AND':
    case 'OR': {
      const a = asBoolean(l, ctx, at);
      const b = asBoolean(r, ctx, at);
      const isAnd = op === 'AND';
      return {
        type: T.boolean,
        eval: isAnd
          ? (row) => {
              const x = a(row);
              if (x === false) return false;
              const y = b(row);
              if (y === false) return false;
              return x === null || y === null ? null : true;
            }
          : (row) => {
              const x = a(row);
              if (x === true) return true;
              const y = b(row);
              if (y === true) return true;
              return x === null || y === null ? null : false;
            },
        text,
        reads,
      };
    }
    case '=':
    case '==':
    case '<>':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '<=>':
      return { type: T.boolean, eval: comparator(l, r, op, ctx, at), text, reads };
    case '||': {
      const a = castTo(l, T.string).eval;
      const b = castTo(r, T.string).eval;
      return { type: T.string, eval: (row) => { const x = a(row); const y = b(row); return x === null || y === null ? null : (x as string) + (y as string); }, text, reads };
    }
    case '+':
    case '-':
    case '*':
    case '%':
    case '/':
    case 'DIV':
    case '&':
    case '|':
    case '^':
      return arithmetic(op, l, r, text, ctx, at, reads);
  }
  throw new SemanticError(`unknown operator ${op}`, ctx.position(at));
}

function arithmetic(op: string, l: CompiledExpr, r: CompiledExpr, text: string, ctx: CompileContext, at: number, reads: number[]): CompiledExpr {
  for (const x of [l, r]) {
    if (!isNumeric(x.type) && !isStringFamily(x.type) && x.type.name !== 'void') {
      throw new SemanticError(`arithmetic ${op} is not defined for ${typeToString(x.type)} (${x.text})`, ctx.position(at));
    }
  }
  const ln = toNumeric(l);
  const rn = toNumeric(r);
  if (op === '/') {
    // Hive: / on integers (and floats) gives DOUBLE; on decimals a decimal, which we carry as a number.
    const t = ln.type.name === 'decimal' && rn.type.name === 'decimal' ? ln.type : T.double;
    const a = castTo(ln, T.double).eval;
    const b = castTo(rn, T.double).eval;
    return { type: t, eval: (row) => { const x = a(row); const y = b(row); return x === null || y === null || y === 0 ? null : (x as number) / (y as number); }, text, reads };
  }
  if (op === 'DIV') {
    const a = castTo(ln, T.bigint).eval;
    const b = castTo(rn, T.bigint).eval;
    return { type: T.bigint, eval: (row) => { const x = a(row); const y = b(row); return x === null || y === null || y === 0 ? null : Math.trunc((x as number) / (y as number)); }, text, reads };
  }
  let type = widerNumeric(ln.type, rn.type);
  if (type.name === 'void') type = T.int;
  if (op === '&' || op === '|' || op === '^') {
    if (!isIntegral(type)) throw new SemanticError(`${op} needs integer arguments`, ctx.position(at));
  }
  const a = castTo(ln, type).eval;
  const b = castTo(rn, type).eval;
  const wrap = ARITH_WRAP[type.name] ?? (type.name === 'float' ? Math.fround : (n: number) => n);
  let f: (x: number, y: number) => number | null;
  switch (op) {
    case '+':
      f = (x, y) => wrap(x + y);
      break;
    case '-':
      f = (x, y) => wrap(x - y);
      break;
    case '*':
      f = isIntegral(type) && type.name !== 'bigint' ? (x, y) => wrap(Math.imul(x, y)) : (x, y) => wrap(x * y);
      break;
    case '%':
      // Java's remainder (sign of the dividend); Hive returns NULL for x % 0.
      f = (x, y) => (y === 0 ? null : wrap(x % y));
      break;
    case '&':
      f = (x, y) => x & y;
      break;
    case '|':
      f = (x, y) => x | y;
      break;
    default:
      f = (x, y) => x ^ y;
  }
  return { type, eval: (row) => { const x = a(row); const y = b(row); return x === null || y === null ? null : f(x as number, y as number); }, text, reads };
}

/** Strings in arithmetic are DOUBLE in Hive. */
function toNumeric(x: CompiledExpr): CompiledExpr {
  if (isStringFamily(x.type)) return castTo(x, T.double);
  if (x.type.name === 'boolean') return castTo(x, T.int);
  return x;
}

/** A comparison with Hive's implicit conversions; returns a three-valued predicate. */
export function comparator(l: CompiledExpr, r: CompiledExpr, op: string, ctx: CompileContext, at: number): (row: readonly HiveValue[]) => boolean | null {
  // Where Hive finds no common type for two primitives it compares them as DOUBLE (FunctionRegistry).
  const primitive = (x: HiveType) => x.name !== 'array<string>';
  const t = commonTypeForComparison(l.type, r.type) ?? (primitive(l.type) && primitive(r.type) ? T.double : undefined);
  if (!t) throw new SemanticError(`cannot compare ${typeToString(l.type)} (${l.text}) with ${typeToString(r.type)} (${r.text})`, ctx.position(at));
  const a = castTo(l, t).eval;
  const b = castTo(r, t).eval;
  // DATE and TIMESTAMP values are canonical ASCII text, where the engine's native string order is the same
  // as compareValues' code-point order, and much cheaper on the hot path (the tutorial's BETWEEN). So is a
  // comparison of a string with an ASCII literal: the first differing unit has an ASCII side, and JS's
  // code-unit order agrees with code-point order there (dateobject BETWEEN '2014-07-05' AND … compares as STRING).
  const asciiLiteral = (x: CompiledExpr) => x.literal !== undefined && typeof x.literal.value === 'string' && /^[\x00-\x7f]*$/.test(x.literal.value);
  const compare = t.name === 'date' || t.name === 'timestamp' || (t.name === 'string' && (asciiLiteral(l) || asciiLiteral(r))) ? compareAscii : compareValues;
  const test: (c: number) => boolean =
    op === '=' || op === '==' || op === '<=>' ? (c) => c === 0 : op === '<>' || op === '!=' ? (c) => c !== 0 : op === '<' ? (c) => c < 0 : op === '<=' ? (c) => c <= 0 : op === '>' ? (c) => c > 0 : (c) => c >= 0;
  if (op === '<=>') {
    return (row) => {
      const x = a(row);
      const y = b(row);
      if (x === null || y === null) return x === y;
      return compare(x, y) === 0;
    };
  }
  return (row) => {
    const x = a(row);
    if (x === null) return null;
    const y = b(row);
    if (y === null) return null;
    return test(compare(x, y));
  };
}

function compareAscii(x: HiveValue, y: HiveValue): number {
  return x === y ? 0 : (x as string) < (y as string) ? -1 : 1;
}

/** Coerces to BOOLEAN where Hive allows it (WHERE on a string or number casts). */
export function asBoolean(x: CompiledExpr, _ctx: CompileContext, _at: number): (row: readonly HiveValue[]) => boolean | null {
  if (x.type.name === 'boolean' || x.type.name === 'void') return x.eval as (row: readonly HiveValue[]) => boolean | null;
  const cast = makeCast(x.type, T.boolean);
  const f = x.eval;
  return (row) => {
    const v = f(row);
    return v === null ? null : (cast(v) as boolean | null);
  };
}

/** Wraps an expression in a conversion to `t` (no-op when the type already matches). */
export function castTo(x: CompiledExpr, t: HiveType): CompiledExpr {
  if (sameType(x.type, t)) return x;
  if (x.type.name === 'void') return { ...x, type: t, eval: () => null };
  const cast = makeCast(x.type, t);
  const f = x.eval;
  return { type: t, eval: (row) => { const v = f(row); return v === null ? null : cast(v); }, text: x.text, reads: x.reads };
}

function sameType(a: HiveType, b: HiveType): boolean {
  return a.name === b.name && a.length === b.length && a.scale === b.scale;
}

/** SQL LIKE: `%` any run, `_` one character, `\` escapes; matches the whole string. */
export function likeToRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) {
      re += escapeRegex(pattern[++i]!);
    } else if (ch === '%') re += '[\\s\\S]*';
    else if (ch === '_') re += '[\\s\\S]';
    else re += escapeRegex(ch);
  }
  return new RegExp(`^${re}$`, 'u');
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

/** The type an aggregate returns, and a check of its argument (GenericUDAFSum, GenericUDAFAverage, …). */
export function aggregateSpec(e: Extract<Expr, { kind: 'call' }>, args: CompiledExpr[], position: (offset: number) => SourcePosition): AggregateSpec {
  const fn = e.name as AggregateFunction;
  const fail = (msg: string): never => {
    throw new SemanticError(msg, position(e.at));
  };
  if (e.star && fn !== 'count') fail(`${fn}(*) is not valid: only COUNT(*) is`);
  if (fn !== 'count' && args.length !== 1) fail(`${fn}() takes exactly one argument`);
  if (fn === 'count' && !e.star && args.length === 0) fail('COUNT() needs an argument or *');
  let type: HiveType;
  switch (fn) {
    case 'count':
      type = T.bigint;
      break;
    case 'sum': {
      const t = args[0]!.type;
      if (isIntegral(t)) type = T.bigint;
      else if (t.name === 'decimal') type = { name: 'decimal', length: Math.min(38, (t.length ?? 10) + 10), scale: t.scale ?? 0 };
      else if (isNumeric(t) || isStringFamily(t) || t.name === 'void') type = T.double;
      else type = fail(`SUM is not defined for ${typeToString(t)}`);
      break;
    }
    case 'avg': {
      const t = args[0]!.type;
      if (t.name === 'decimal') type = { name: 'decimal', length: Math.min(38, (t.length ?? 10) + 4), scale: Math.min(38, (t.scale ?? 0) + 4) };
      else if (isNumeric(t) || isStringFamily(t) || t.name === 'void') type = T.double;
      else type = fail(`AVG is not defined for ${typeToString(t)}`);
      break;
    }
    default:
      type = args[0]!.type;
      if (type.name === 'array<string>') fail(`${fn.toUpperCase()} is not defined for arrays`);
  }
  const numericArgs = fn === 'sum' || fn === 'avg' ? args.map((a) => (isStringFamily(a.type) ? castTo(a, T.double) : a)) : args;
  return { fn, distinct: e.distinct, args: numericArgs, type, text: exprText(e) };
}
