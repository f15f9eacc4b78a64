/**
 * Java's number <-> text conversions, as Hive inherits them:
 * `Double.toString` / `Float.toString` (JDK 19+ shortest-digit algorithm) and
 * `Double.parseDouble` / `Float.parseFloat` / `Integer.parseInt` / `Long.parseLong`.
 */

/** The shortest decimal that rounds to a double: value = 0.DIGITS × 10^point. */
export interface DecimalDigits {
  /** Significant digits, no leading or trailing zeros ("0" for zero). */
  readonly digits: string;
  /** Position of the decimal point relative to the first digit. */
  readonly point: number;
}

/** Splits a JS numeric string ("1.25e-7", "123.5", "0.001") of a non-negative finite number. */
function splitJsNumber(s: string): DecimalDigits {
  let exp = 0;
  const e = s.indexOf('e');
  if (e >= 0) {
    exp = Number(s.slice(e + 1));
    s = s.slice(0, e);
  }
  const dot = s.indexOf('.');
  let intPart = dot >= 0 ? s.slice(0, dot) : s;
  const frac = dot >= 0 ? s.slice(dot + 1) : '';
  let all = intPart + frac;
  let point = intPart.length + exp;
  let lead = 0;
  while (lead < all.length - 1 && all.charCodeAt(lead) === 48) lead++;
  all = all.slice(lead);
  point -= lead;
  let end = all.length;
  while (end > 1 && all.charCodeAt(end - 1) === 48) end--;
  all = all.slice(0, end);
  if (all === '0') return { digits: '0', point: 1 };
  intPart = '';
  return { digits: all, point };
}

/**
 * Shortest round-trip digits of |d| (d finite, non-zero), with Java's rule that
 * when one digit would do, the closest of the one- and two-digit candidates wins
 * (matters only for subnormals, e.g. Double.MIN_VALUE prints 4.9E-324).
 */
export function shortestDigits(d: number): DecimalDigits {
  const a = Math.abs(d);
  const r = splitJsNumber(a.toExponential());
  if (r.digits.length === 1) {
    const two = splitJsNumber(a.toPrecision(2));
    if (two.digits !== r.digits && Number(a.toPrecision(2)) === a) return two;
  }
  return r;
}

/** Java's layout of digits: plain for 1e-3 <= |x| < 1e7, else d.dddE±n. */
function layout(neg: boolean, { digits, point }: DecimalDigits, plain: boolean): string {
  let out: string;
  if (plain) {
    if (point <= 0) {
      out = '0.' + '0'.repeat(-point) + digits;
    } else if (point >= digits.length) {
      out = digits + '0'.repeat(point - digits.length) + '.0';
    } else {
      out = digits.slice(0, point) + '.' + digits.slice(point);
    }
  } else {
    out = digits[0] + '.' + (digits.length > 1 ? digits.slice(1) : '0') + 'E' + (point - 1);
  }
  return neg ? '-' + out : out;
}

/** `Double.toString(d)` as in JDK 19+ (shortest digits that round-trip). */
export function formatDouble(d: number): string {
  if (d !== d) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const a = d < 0 ? -d : d;
  // Fast path: in Java's plain range JS also prints the shortest digits plainly
  // (JS switches to exponents only below 1e-7 or from 1e21).
  if (a >= 1e-3 && a < 1e7) return Number.isInteger(a) ? String(d) + '.0' : String(d);
  return layout(d < 0, shortestDigits(d), false);
}

function roundsToFloat(s: string, f: number): boolean {
  return Math.fround(Number(s)) === f;
}

/** Shortest digits of a float value (as a Math.fround number) that round-trip through float. */
export function shortestFloatDigits(f: number): DecimalDigits {
  const a = Math.abs(f);
  for (let p = 1; p <= 9; p++) {
    let near = a.toPrecision(p);
    if (roundsToFloat(near, a)) {
      // toPrecision breaks an exact tie upwards; Java takes the even candidate.
      const { digits, point } = splitJsNumber(near);
      const n = BigInt(digits.padEnd(p, '0'));
      const k = point - p;
      if (n % 2n === 1n && compareDecimalToDouble(`${n * 10n - 5n}e${k - 1}`, a) === 0) {
        const lower = `${n - 1n}e${k}`;
        if (roundsToFloat(lower, a)) near = lower;
      }
    }
    let best: string | undefined = roundsToFloat(near, a) ? near : undefined;
    if (best === undefined) {
      // The interval around a float can be lopsided (at powers of two): try the neighbours too.
      const { digits, point } = splitJsNumber(near);
      const padded = digits.padEnd(p, '0');
      const n = BigInt(padded);
      for (const m of [n - 1n, n + 1n]) {
        if (m <= 0n) continue;
        const ms = m.toString();
        const cand = `${ms[0]}.${ms.slice(1)}e${point - 1 + (ms.length - p)}`;
        if (roundsToFloat(cand, a)) {
          best = cand;
          break;
        }
      }
    }
    if (best !== undefined) {
      if (p === 1) {
        const two = a.toPrecision(2);
        if (roundsToFloat(two, a)) return splitJsNumber(two);
      }
      return splitJsNumber(best);
    }
  }
  return splitJsNumber(a.toPrecision(9));
}

/** `Float.toString(f)` as in JDK 19+; `f` is a float value held as a number (Math.fround). */
export function formatFloat(f: number): string {
  if (f !== f) return 'NaN';
  if (f === Infinity) return 'Infinity';
  if (f === -Infinity) return '-Infinity';
  if (f === 0) return Object.is(f, -0) ? '-0.0' : '0.0';
  const a = f < 0 ? -f : f;
  if (a < 1e7 && a >= 1 && Number.isInteger(a)) return (f < 0 ? '-' : '') + String(a) + '.0';
  return layout(f < 0, shortestFloatDigits(f), a >= 1e-3 && a < 1e7);
}

// ---------------------------------------------------------------------------
// Parsing (java.lang.Double/Float/Integer/Long)

/** Java's String.trim(): strips chars <= U+0020 at both ends. */
export function javaTrim(s: string): string {
  let b = 0;
  let e = s.length;
  while (b < e && s.charCodeAt(b) <= 32) b++;
  while (e > b && s.charCodeAt(e - 1) <= 32) e--;
  return b === 0 && e === s.length ? s : s.slice(b, e);
}

const DEC_FLOAT = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;
const HEX_FLOAT = /^([+-])?0[xX](?:([0-9a-fA-F]+)\.?|([0-9a-fA-F]*)\.([0-9a-fA-F]+))[pP]([+-]?\d+)[fFdD]?$/;

function parseHexFloat(m: RegExpExecArray): number {
  const intDigits = m[2] ?? m[3] ?? '';
  const fracDigits = m[2] !== undefined ? '' : (m[4] ?? '');
  const mant = BigInt('0x0' + intDigits + fracDigits);
  let exp = Number(m[5]) - 4 * fracDigits.length;
  // Number(BigInt) rounds to nearest; scaling by powers of two is then exact
  // except in the subnormal range (a rare double rounding accepted here).
  let v = Number(mant);
  while (v !== 0 && exp > 0 && Number.isFinite(v)) {
    const k = Math.min(exp, 1000);
    v *= 2 ** k;
    exp -= k;
  }
  while (v !== 0 && exp < 0) {
    const k = Math.max(exp, -1000);
    v *= 2 ** k;
    exp -= k;
  }
  return m[1] === '-' ? -v : v;
}

/** `Double.parseDouble(s)`; null where Java throws NumberFormatException. */
export function parseJavaDouble(s: string): number | null {
  const t = javaTrim(s);
  if (t.length === 0) return null;
  if (DEC_FLOAT.test(t)) {
    const last = t.charCodeAt(t.length - 1);
    // f F d D suffixes; 'NaN'/'Infinity' end in N/y so are unaffected.
    const body = last === 102 || last === 70 || last === 100 || last === 68 ? t.slice(0, -1) : t;
    return Number(body);
  }
  const h = HEX_FLOAT.exec(t);
  return h ? parseHexFloat(h) : null;
}

/** Exact sign of (decimal - value) for a decimal string body and a finite double. */
function compareDecimalToDouble(body: string, value: number): number {
  const m = /^([+-]?)(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(body);
  if (!m) return 0;
  const neg = m[1] === '-';
  const digits = BigInt((m[2] ?? '') + (m[3] ?? '') || '0') * (neg ? -1n : 1n);
  const e10 = Number(m[4] ?? '0') - (m[3] ?? '').length;
  // value = mant * 2^e2 exactly.
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, value);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (bexp === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = bexp - 1075;
  }
  mant *= sign;
  // Compare digits*10^e10 with mant*2^e2 using integers.
  let left = digits;
  let right = mant;
  if (e10 >= 0) left *= 10n ** BigInt(e10);
  else right *= 10n ** BigInt(-e10);
  if (e2 >= 0) right *= 2n ** BigInt(e2);
  else left *= 2n ** BigInt(-e2);
  return left > right ? 1 : left < right ? -1 : 0;
}

/** Rounds a decimal string to float directly (no double rounding), as Float.parseFloat does. */
function decimalToFloat(body: string): number {
  const d = Number(body);
  const f = Math.fround(d);
  if (f === d || !Number.isFinite(f)) return f;
  // Find the two floats around d; only when d sits exactly on their midpoint can
  // rounding through double have gone the wrong way.
  const other = f < d ? nextFloatUp(f) : nextFloatDown(f);
  const lo = Math.min(f, other);
  const hi = Math.max(f, other);
  if (!Number.isFinite(hi) || !Number.isFinite(lo)) return f;
  const mid = (lo + hi) / 2;
  if (d !== mid) return f;
  const c = compareDecimalToDouble(body, mid);
  if (c > 0) return hi;
  if (c < 0) return lo;
  return f;
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
function nextFloatUp(f: number): number {
  if (f === 0) return 1.401298464324817e-45;
  F32[0] = f;
  if (f > 0) U32[0]! += 1;
  else U32[0]! -= 1;
  return F32[0]!;
}
function nextFloatDown(f: number): number {
  return -nextFloatUp(-f);
}

/** `Float.parseFloat(s)` as a Math.fround number; null where Java throws. */
export function parseJavaFloat(s: string): number | null {
  const t = javaTrim(s);
  if (t.length === 0) return null;
  if (DEC_FLOAT.test(t)) {
    const last = t.charCodeAt(t.length - 1);
    const body = last === 102 || last === 70 || last === 100 || last === 68 ? t.slice(0, -1) : t;
    if (body.endsWith('NaN') || body.endsWith('Infinity')) return Math.fround(Number(body));
    return decimalToFloat(body);
  }
  const h = HEX_FLOAT.exec(t);
  return h ? Math.fround(parseHexFloat(h)) : null;
}

const ND = /\p{Nd}/u;

/** `Character.digit(c, 10)` for a code point: ASCII and other Unicode decimal digits. */
function unicodeDigit(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 48 && c <= 57) return c - 48;
  if (c < 128) return -1;
  const cp = s.codePointAt(i)!;
  if (!ND.test(String.fromCodePoint(cp))) return -1;
  // Nd characters come in aligned runs of ten (0..9); find the start of the run.
  let start = cp;
  while (ND.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/**
 * `Long.parseLong(s)` / `Integer.parseInt(s)` (radix 10) with range [min, max];
 * null where Java throws NumberFormatException. Accepts Unicode digits as Java does.
 */
export function parseJavaIntegral(s: string, min: number, max: number): number | null {
  const n = s.length;
  if (n === 0) return null;
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 45 || c0 === 43) {
    neg = c0 === 45;
    i = 1;
    if (n === 1) return null;
  }
  let ascii = true;
  for (let k = i; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) {
      ascii = false;
      break;
    }
  }
  let digits: string;
  if (ascii) digits = s.slice(i);
  else {
    digits = '';
    for (let k = i; k < n; ) {
      const d = unicodeDigit(s, k);
      if (d < 0) return null;
      digits += String.fromCharCode(48 + d);
      k += s.codePointAt(k)! > 0xffff ? 2 : 1;
    }
  }
  return integralInRange(digits, neg, min, max);
}

const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;

/**
 * Checks an unsigned ASCII digit string against [min, max] exactly and returns
 * its value, or null when out of range. Bounds beyond ±9.2e18 mean Java's long range.
 */
export function integralInRange(digits: string, neg: boolean, min: number, max: number): number | null {
  let b = 0;
  while (b < digits.length - 1 && digits.charCodeAt(b) === 48) b++;
  if (b > 0) digits = digits.slice(b);
  if (digits.length <= 15) {
    const v = neg ? -Number(digits) : Number(digits);
    return v < min || v > max ? null : v === 0 ? 0 : v;
  }
  if (digits.length > 19) return null;
  const big = neg ? -BigInt(digits) : BigInt(digits);
  const lo = min <= -9.2e18 ? LONG_MIN : BigInt(min);
  const hi = max >= 9.2e18 ? LONG_MAX : BigInt(max);
  return big < lo || big > hi ? null : Number(big);
}
