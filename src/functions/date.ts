/**
 * Hive's date functions (Hive 3.1, session time zone UTC), with an emulation of
 * java.text.SimpleDateFormat (Locale en_US, lenient, UTC) for date_format,
 * from_unixtime and unix_timestamp.
 */
import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  epochDayOf,
  formatEpochDay,
  hiveDateValueOf,
  timestampFromEpoch,
  timestampToEpoch,
} from '../hive/cast.js';
import { T, type HiveType, type HiveValue } from '../hive/types.js';
import {
  FunctionRuntimeError,
  FunctionTypeError,
  alias,
  define,
  intParam,
  isStringGroup,
  requireArg,
  stringParam,
  type HiveFunction,
} from './registry.js';

// ---------------------------------------------------------------------------
// Query clock: Hive evaluates current_date/current_timestamp once per query.

let frozenNow: number | undefined;

/** Fix "now" (epoch milliseconds) for current_date/current_timestamp/unix_timestamp(); undefined follows the wall clock. */
export function setQueryTime(epochMillis: number | undefined): void {
  frozenNow = epochMillis;
}

function nowMillis(): number {
  return frozenNow ?? Date.now();
}

// ---------------------------------------------------------------------------
// java.text.SimpleDateFormat

const PATTERN_CHARS = 'GyMdkHmsSEDFwWahKzZYuXL';

type Token = { kind: 'lit'; text: string } | { kind: 'field'; ch: string; count: number };

/** A pattern Java rejects (IllegalArgumentException from the SimpleDateFormat constructor). */
export class DatePatternError extends Error {
  constructor(
    readonly pattern: string,
    detail: string,
  ) {
    super(`invalid date pattern '${pattern}': ${detail}`);
    this.name = 'DatePatternError';
  }
}

export interface JavaDateFormat {
  readonly pattern: string;
  format(epochMillis: number): string;
  /** DateFormat.parse(String) (lenient): epoch millis, or null where it throws ParseException. */
  parse(text: string): number | null;
}

/** SimpleDateFormat.compile. */
function compilePattern(pattern: string): Token[] {
  const tokens: Token[] = [];
  let inQuote = false;
  let quoted = '';
  const lit = (s: string): void => {
    const last = tokens[tokens.length - 1];
    if (last && last.kind === 'lit') tokens[tokens.length - 1] = { kind: 'lit', text: last.text + s };
    else tokens.push({ kind: 'lit', text: s });
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "'") {
      if (i + 1 < pattern.length && pattern[i + 1] === "'") {
        i++;
        if (inQuote) quoted += "'";
        else lit("'");
        continue;
      }
      if (!inQuote) {
        inQuote = true;
        quoted = '';
      } else {
        lit(quoted);
        inQuote = false;
      }
      continue;
    }
    if (inQuote) {
      quoted += c;
      continue;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      lit(c);
      continue;
    }
    if (PATTERN_CHARS.indexOf(c) < 0) throw new DatePatternError(pattern, `Illegal pattern character '${c}'`);
    let j = i + 1;
    while (j < pattern.length && pattern[j] === c) j++;
    const count = j - i;
    if (c === 'X' && count > 3) throw new DatePatternError(pattern, `invalid ISO 8601 format: length=${count}`);
    tokens.push({ kind: 'field', ch: c, count });
    i = j - 1;
  }
  if (inQuote) throw new DatePatternError(pattern, 'Unterminated quote');
  return tokens;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const SHORT_MONTHS = MONTHS.map((m) => m.slice(0, 3));
/** Index 0 is Sunday (Calendar.DAY_OF_WEEK - 1). */
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SHORT_WEEKDAYS = WEEKDAYS.map((d) => d.slice(0, 3));

function zeroPad(v: number, minDigits: number): string {
  const s = String(Math.abs(v));
  const p = s.length < minDigits ? '0'.repeat(minDigits - s.length) + s : s;
  return v < 0 ? '-' + p : p;
}

/** Broken-down UTC time with the en_US week rules (weeks start Sunday, week 1 holds Jan 1). */
interface Fields {
  year: number;
  month: number;
  day: number;
  dayOfYear: number;
  /** 0 = Sunday. */
  dow: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  epochDay: number;
}

function breakDown(ms: number): Fields {
  const epochDay = Math.floor(ms / 86400000);
  const msOfDay = ms - epochDay * 86400000;
  const [year, month, day] = civilFromDays(epochDay);
  const dayOfYear = epochDay - daysFromCivil(year, 1, 1) + 1;
  const dow = (((epochDay + 4) % 7) + 7) % 7;
  const secs = Math.floor(msOfDay / 1000);
  return {
    year,
    month,
    day,
    dayOfYear,
    dow,
    hour: Math.floor(secs / 3600),
    minute: Math.floor((secs % 3600) / 60),
    second: secs % 60,
    millis: msOfDay - secs * 1000,
    epochDay,
  };
}

/** US week of year and week-based year (firstDayOfWeek SUNDAY, minimalDaysInFirstWeek 1). */
function usWeek(f: Fields): [number, number] {
  const dowJan1 = (((daysFromCivil(f.year, 1, 1) + 4) % 7) + 7) % 7;
  const nextJan1 = daysFromCivil(f.year + 1, 1, 1);
  const dowNext = (((nextJan1 + 4) % 7) + 7) % 7;
  // The week holding next Jan 1 is week 1 of next year.
  if (f.epochDay >= nextJan1 - dowNext) return [1, f.year + 1];
  return [Math.floor((f.dayOfYear - 1 + dowJan1) / 7) + 1, f.year];
}

function formatField(ch: string, count: number, f: Fields): string {
  switch (ch) {
    case 'G':
      return f.year > 0 ? 'AD' : 'BC';
    case 'y':
    case 'Y': {
      const y0 = ch === 'Y' ? usWeek(f)[1] : f.year;
      const y = y0 > 0 ? y0 : 1 - y0;
      return count === 2 ? zeroPad(y % 100, 2) : zeroPad(y, count);
    }
    case 'M':
    case 'L':
      return count >= 4 ? MONTHS[f.month - 1]! : count === 3 ? SHORT_MONTHS[f.month - 1]! : zeroPad(f.month, count);
    case 'w':
      return zeroPad(usWeek(f)[0], count);
    case 'W': {
      const dowFirst = (((f.epochDay - f.day + 1 + 4) % 7) + 7) % 7;
      return zeroPad(Math.floor((f.day - 1 + dowFirst) / 7) + 1, count);
    }
    case 'D':
      return zeroPad(f.dayOfYear, count);
    case 'd':
      return zeroPad(f.day, count);
    case 'F':
      return zeroPad(Math.floor((f.day - 1) / 7) + 1, count);
    case 'E':
      return count >= 4 ? WEEKDAYS[f.dow]! : SHORT_WEEKDAYS[f.dow]!;
    case 'u':
      return zeroPad(f.dow === 0 ? 7 : f.dow, count);
    case 'a':
      return f.hour < 12 ? 'AM' : 'PM';
    case 'H':
      return zeroPad(f.hour, count);
    case 'k':
      return zeroPad(f.hour === 0 ? 24 : f.hour, count);
    case 'K':
      return zeroPad(f.hour % 12, count);
    case 'h':
      return zeroPad(f.hour % 12 === 0 ? 12 : f.hour % 12, count);
    case 'm':
      return zeroPad(f.minute, count);
    case 's':
      return zeroPad(f.second, count);
    case 'S':
      return zeroPad(f.millis, count);
    case 'z':
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC';
    case 'Z':
      return '+0000';
    case 'X':
      return 'Z';
    default:
      return '';
  }
}

// --- parsing

const NUMERIC_FOR_OBEY = new Set(['y', 'd', 'k', 'H', 'm', 's', 'S', 'D', 'F', 'w', 'W', 'h', 'K', 'Y', 'u']);

function shouldObeyCount(t: Token | undefined): boolean {
  if (!t || t.kind !== 'field') return false;
  if (t.ch === 'M' || t.ch === 'L') return t.count <= 2;
  return NUMERIC_FOR_OBEY.has(t.ch);
}

/** Character.getType(c) == SPACE_SEPARATOR. */
function isSpaceSeparator(c: number): boolean {
  return c === 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000;
}

const ND = /\p{Nd}/u;
function digitValue(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 48 && c <= 57) return c - 48;
  if (c < 128 || !ND.test(s[i]!)) return -1;
  let z = c;
  while (ND.test(String.fromCharCode(z - 1))) z--;
  return (c - z) % 10;
}

/** DecimalFormat.parse with parseIntegerOnly: optional '-', digits, up to `limit`. */
function parseNumber(text: string, pos: number, limit: number): [number, number] | undefined {
  let i = pos;
  let neg = false;
  if (i < limit && text.charCodeAt(i) === 45) {
    neg = true;
    i++;
  }
  const start = i;
  let v = 0;
  while (i < limit) {
    const d = digitValue(text, i);
    if (d < 0) break;
    v = v * 10 + d;
    i++;
  }
  if (i === start) return undefined;
  // number.intValue() of a long: wraps to 32 bits.
  const n = Number.isSafeInteger(v) ? v : Number(BigInt.asIntN(64, BigInt(text.slice(start, i))));
  return [(neg ? -n : n) | 0, i];
}

/** Case-insensitive longest match of names at `start`; returns [index, end]. */
function matchNames(text: string, start: number, names: readonly string[], first = 0): [number, number] | undefined {
  let best = -1;
  let bestLen = 0;
  for (let i = first; i < names.length; i++) {
    const n = names[i]!;
    if (n.length > bestLen && text.slice(start, start + n.length).toLowerCase() === n.toLowerCase()) {
      best = i;
      bestLen = n.length;
    }
  }
  return best < 0 ? undefined : [best, start + bestLen];
}

/** Zone names SimpleDateFormat recognises here (fixed offsets, minutes); others fail to parse. */
const ZONE_NAMES: readonly [string, number][] = [
  ['Coordinated Universal Time', 0],
  ['Greenwich Mean Time', 0],
  ['UTC', 0],
  ['GMT', 0],
  ['UT', 0],
  ['EST', -300],
  ['EDT', -240],
  ['CST', -360],
  ['CDT', -300],
  ['MST', -420],
  ['MDT', -360],
  ['PST', -480],
  ['PDT', -420],
  ['CET', 60],
  ['CEST', 120],
];

interface Parsed {
  stamp: number;
  year?: [number, number];
  era?: [number, number];
  month?: [number, number];
  day?: [number, number];
  dayOfYear?: [number, number];
  hourOfDay?: [number, number];
  hour?: [number, number];
  ampm?: [number, number];
  minute?: [number, number];
  second?: [number, number];
  millis?: [number, number];
  zoneMinutes?: number;
  ambiguousYear?: boolean;
}

type FieldKey = 'year' | 'era' | 'month' | 'day' | 'dayOfYear' | 'hourOfDay' | 'hour' | 'ampm' | 'minute' | 'second' | 'millis';

function set(p: Parsed, key: FieldKey, v: number): void {
  p[key] = [v, ++p.stamp];
}

/** Numeric zone "hh[[:]mm]" (subParseNumericZone); returns [minutes, end]. */
function numericZone(text: string, i: number, count: number, colon: boolean): [number, number] | undefined {
  const d = (k: number): number => (k < text.length ? text.charCodeAt(k) - 48 : -1);
  const isD = (k: number): boolean => d(k) >= 0 && d(k) <= 9;
  if (!isD(i)) return undefined;
  let hours = d(i++);
  if (isD(i)) hours = hours * 10 + d(i++);
  else if (count > 0 || !colon) return undefined;
  if (hours > 23) return undefined;
  let minutes = 0;
  if (count !== 1) {
    if (colon) {
      if (text[i] !== ':') return undefined;
      i++;
    }
    if (!isD(i) || !isD(i + 1)) return undefined;
    minutes = d(i) * 10 + d(i + 1);
    i += 2;
    if (minutes > 59) return undefined;
  }
  return [hours * 60 + minutes, i];
}

/** SimpleDateFormat.subParse; returns the new position or -1. */
function subParse(text: string, start: number, tok: Extract<Token, { kind: 'field' }>, obeyCount: boolean, p: Parsed, centuryStartYear: number): number {
  let pos = start;
  for (;;) {
    if (pos >= text.length) return -1;
    const c = text.charCodeAt(pos);
    if (c !== 32 && c !== 9) break;
    pos++;
  }
  const actualStart = pos;
  const { ch, count } = tok;
  const limit = obeyCount ? start + count : text.length;
  if (obeyCount && start + count > text.length) return -1;
  const num = (): [number, number] | undefined => parseNumber(text, pos, limit);
  switch (ch) {
    case 'G': {
      const m = matchNames(text, start, ['BC', 'AD']);
      if (!m) return -1;
      set(p, 'era', m[0]);
      return m[1];
    }
    case 'y':
    case 'Y': {
      const n = num();
      if (!n) return -1;
      let [value] = n;
      const end = n[1];
      if (count <= 2 && end - actualStart === 2 && digitValue(text, actualStart) >= 0 && digitValue(text, actualStart + 1) >= 0) {
        const amb = centuryStartYear % 100;
        p.ambiguousYear = value === amb;
        value += Math.floor(centuryStartYear / 100) * 100 + (value < amb ? 100 : 0);
      }
      set(p, 'year', value);
      return end;
    }
    case 'M':
    case 'L': {
      if (count <= 2) {
        const n = num();
        if (!n) return -1;
        set(p, 'month', n[0] - 1);
        return n[1];
      }
      const m = matchNames(text, start, [...MONTHS, ...SHORT_MONTHS]);
      if (!m) return -1;
      set(p, 'month', m[0] % 12);
      return m[1];
    }
    case 'k': {
      const n = num();
      if (!n) return -1;
      set(p, 'hourOfDay', n[0] === 24 ? 0 : n[0]);
      return n[1];
    }
    case 'h': {
      const n = num();
      if (!n) return -1;
      set(p, 'hour', n[0] === 12 ? 0 : n[0]);
      return n[1];
    }
    case 'E': {
      const m = matchNames(text, start, WEEKDAYS) ?? matchNames(text, start, SHORT_WEEKDAYS);
      // The day of week never wins over the day of month here (GregorianCalendar field resolution).
      return m ? m[1] : -1;
    }
    case 'a': {
      const m = matchNames(text, start, ['AM', 'PM']);
      if (!m) return -1;
      set(p, 'ampm', m[0]);
      return m[1];
    }
    case 'z':
    case 'Z': {
      if (pos >= text.length) return -1;
      const c = text[pos];
      if (c === '+' || c === '-') {
        const z = numericZone(text, pos + 1, 0, false);
        if (!z) return -1;
        p.zoneMinutes = c === '-' ? -z[0] : z[0];
        return z[1];
      }
      if (text.slice(start, start + 3).toUpperCase() === 'GMT') {
        let i = start + 3;
        const s = text[i];
        if (s !== '+' && s !== '-') {
          p.zoneMinutes = 0;
          return i;
        }
        i++;
        const z = numericZone(text, i, 0, true);
        if (!z) return -1;
        p.zoneMinutes = s === '-' ? -z[0] : z[0];
        return z[1];
      }
      let best: [number, number] | undefined;
      for (const [name, off] of ZONE_NAMES) {
        if (text.slice(pos, pos + name.length).toUpperCase() === name.toUpperCase() && (!best || name.length > best[1] - pos)) best = [off, pos + name.length];
      }
      if (!best) return -1;
      p.zoneMinutes = best[0];
      return best[1];
    }
    case 'X': {
      if (pos >= text.length) return -1;
      const c = text[pos];
      if (c === 'Z') {
        p.zoneMinutes = 0;
        return pos + 1;
      }
      if (c !== '+' && c !== '-') return -1;
      const z = numericZone(text, pos + 1, count, count === 3);
      if (!z) return -1;
      p.zoneMinutes = c === '-' ? -z[0] : z[0];
      return z[1];
    }
    default: {
      const n = num();
      if (!n) return -1;
      const v = n[0];
      switch (ch) {
        case 'd':
          set(p, 'day', v);
          break;
        case 'H':
          set(p, 'hourOfDay', v);
          break;
        case 'K':
          set(p, 'hour', v);
          break;
        case 'm':
          set(p, 'minute', v);
          break;
        case 's':
          set(p, 'second', v);
          break;
        case 'S':
          set(p, 'millis', v);
          break;
        case 'D':
          set(p, 'dayOfYear', v);
          break;
        default:
          // F, w, W, u: parsed but not used to resolve the date (approximation).
          break;
      }
      return n[1];
    }
  }
}

/** Lenient GregorianCalendar (proleptic) time from the parsed fields, UTC unless a zone was parsed. */
function resolve(p: Parsed): number {
  let year = p.year ? p.year[0] : 1970;
  if (p.era && p.era[0] === 0) year = 1 - year;
  const month = p.month ? p.month[0] : 0;
  let epochDay: number;
  const doyStamp = p.dayOfYear ? p.dayOfYear[1] : -1;
  const domStamp = Math.max(p.day ? p.day[1] : -1, p.month ? p.month[1] : -1);
  if (p.dayOfYear && doyStamp > domStamp) {
    epochDay = daysFromCivil(year, 1, 1) + p.dayOfYear[0] - 1;
  } else {
    const y2 = year + Math.floor(month / 12);
    const m2 = month - Math.floor(month / 12) * 12;
    epochDay = daysFromCivil(y2, m2 + 1, 1) + (p.day ? p.day[0] : 1) - 1;
  }
  let hourOfDay: number;
  const hodStamp = p.hourOfDay ? p.hourOfDay[1] : -1;
  const hStamp = p.hour && p.ampm ? Math.max(p.hour[1], p.ampm[1]) : -1;
  let best = Math.max(hodStamp, hStamp);
  if (best < 0) best = Math.max(p.hour ? p.hour[1] : -1, p.ampm ? p.ampm[1] : -1);
  if (best >= 0 && best === hodStamp) hourOfDay = p.hourOfDay![0];
  else hourOfDay = (p.hour ? p.hour[0] : 0) + (best >= 0 && p.ampm ? 12 * p.ampm[0] : 0);
  const ms =
    epochDay * 86400000 +
    ((hourOfDay * 60 + (p.minute ? p.minute[0] : 0)) * 60 + (p.second ? p.second[0] : 0)) * 1000 +
    (p.millis ? p.millis[0] : 0);
  return ms - (p.zoneMinutes ?? 0) * 60000;
}

function parseWith(tokens: readonly Token[], text: string): number | null {
  let pos = 0;
  const p: Parsed = { stamp: 0 };
  const nowYear = civilFromDays(Math.floor(nowMillis() / 86400000))[0];
  // SimpleDateFormat's default century starts 80 years before now.
  const centuryStartYear = nowYear - 80;
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t]!;
    if (tok.kind === 'lit') {
      for (let k = 0; k < tok.text.length; k++) {
        if (pos >= text.length) return null;
        const a = text.charCodeAt(pos);
        const b = tok.text.charCodeAt(k);
        if (a !== b && !(isSpaceSeparator(a) && isSpaceSeparator(b))) return null;
        pos++;
      }
      continue;
    }
    pos = subParse(text, pos, tok, shouldObeyCount(tokens[t + 1]), p, centuryStartYear);
    if (pos < 0) return null;
  }
  // DateFormat.parse(String) fails when nothing was consumed; trailing text is ignored.
  if (pos === 0) return null;
  let ms = resolve(p);
  if (p.ambiguousYear && p.year) {
    const [ny, nm, nd] = civilFromDays(Math.floor(nowMillis() / 86400000));
    const centuryStart = daysFromCivil(ny - 80, nm, Math.min(nd, daysInMonth(ny - 80, nm))) * 86400000;
    if (ms < centuryStart) {
      p.year = [p.year[0] + 100, p.year[1]];
      ms = resolve(p);
    }
  }
  return Number.isFinite(ms) ? ms : null;
}

const formatCache = new Map<string, JavaDateFormat>();

/** `new SimpleDateFormat(pattern)` in UTC; throws DatePatternError where Java throws. */
export function javaDateFormat(pattern: string): JavaDateFormat {
  let f = formatCache.get(pattern);
  if (f) return f;
  const tokens = compilePattern(pattern);
  f = {
    pattern,
    format(ms: number): string {
      const fields = breakDown(ms);
      let out = '';
      for (const t of tokens) out += t.kind === 'lit' ? t.text : formatField(t.ch, t.count, fields);
      return out;
    },
    parse(text: string): number | null {
      return parseWith(tokens, text);
    },
  };
  if (formatCache.size > 1000) formatCache.clear();
  formatCache.set(pattern, f);
  return f;
}

function tryFormat(pattern: string): JavaDateFormat | undefined {
  try {
    return javaDateFormat(pattern);
  } catch (e) {
    if (e instanceof DatePatternError) return undefined;
    throw e;
  }
}

function checkPattern(fn: string, index: number): (values: readonly (HiveValue | undefined)[]) => void {
  return (values) => {
    const v = values[index];
    if (typeof v !== 'string') return;
    try {
      javaDateFormat(v);
    } catch (e) {
      if (e instanceof DatePatternError) throw new FunctionTypeError(`${fn}(): ${e.message}`, index);
      throw e;
    }
  };
}

function formatOrFail(fn: string, pattern: string): JavaDateFormat {
  try {
    return javaDateFormat(pattern);
  } catch (e) {
    if (e instanceof DatePatternError) throw new FunctionRuntimeError(fn, e.message);
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Argument rules: each function states the type its dateish argument is
// converted to, so that the analyzer's cast applies Hive's converter:
//  - T.date: the DateConverter (PrimitiveObjectInspectorUtils.getDate);
//  - T.timestamp: the TimestampConverter (getTimestampFromString);
//  - T.string: the function parses the text itself with Date.valueOf
//    (DateParser), which also cuts a canonical timestamp at its space.

const DATEISH = 'a string, date or timestamp';

function isDateish(t: HiveType): boolean {
  return isStringGroup(t) || t.name === 'date' || t.name === 'timestamp' || t.name === 'void';
}

function dateishTo(fn: string, a: readonly HiveType[], i: number, to: HiveType): HiveType {
  const t = a[i]!;
  requireArg(isDateish(t), fn, i, DATEISH, t);
  return to;
}

/** Day number of Hive's Date.valueOf(text), or null. */
function dayOfText(v: HiveValue): number | null {
  if (v === null) return null;
  const d = hiveDateValueOf(v as string);
  return d === undefined ? null : d;
}

function epochMillisOf(ts: string): number {
  const { seconds, nanos } = timestampToEpoch(ts);
  return seconds * 1000 + Math.floor(nanos / 1e6);
}

function unary(name: string, to: HiveType, returnType: HiveType, op: (v: HiveValue) => HiveValue): HiveFunction {
  return define({
    name,
    minArgs: 1,
    argTypes: (a) => [dateishTo(name, a, 0, to)],
    returnType,
    impl: (args) => (args[0] === null ? null : op(args[0]!)),
  });
}

// ---------------------------------------------------------------------------
// Functions

const toDate = unary('to_date', T.string, T.date, (v) => {
  const d = dayOfText(v);
  return d === null ? null : formatEpochDay(d);
});

function datePart(name: string, part: (y: number, m: number, d: number) => number): HiveFunction {
  return unary(name, T.date, T.int, (v) => {
    const [y, m, d] = civilFromDays(epochDayOf(v as string));
    return part(y, m, d);
  });
}

function timePart(name: string, part: (secOfDay: number) => number): HiveFunction {
  return unary(name, T.timestamp, T.int, (v) => {
    const { seconds } = timestampToEpoch(v as string);
    return part(seconds - Math.floor(seconds / 86400) * 86400);
  });
}

/** ISO-style week number: weeks start Monday, week 1 has at least 4 days (UDFWeekOfYear). */
export function isoWeekOfYear(day: number): number {
  const dow = (((day + 3) % 7) + 7) % 7; // 0 = Monday
  const thursday = day - dow + 3;
  const [ty] = civilFromDays(thursday);
  return Math.floor((thursday - daysFromCivil(ty, 1, 1)) / 7) + 1;
}

// UDFWeekOfYear(Text) uses Date.valueOf.
const weekOfYear = unary('weekofyear', T.string, T.int, (v) => {
  const day = dayOfText(v);
  return day === null ? null : isoWeekOfYear(day);
});

const dayFn = datePart('day', (_y, _m, d) => d);

const dateFormat = define({
  name: 'date_format',
  minArgs: 2,
  argTypes: (a) => [dateishTo('date_format', a, 0, T.timestamp), stringParam('date_format', a, 1)],
  returnType: T.string,
  impl: (args) => {
    const v = args[0];
    const p = args[1];
    if (v === null || p === null) return null;
    // GenericUDFDateFormat: a pattern SimpleDateFormat rejects makes every row NULL.
    const f = tryFormat(p as string);
    return f ? f.format(epochMillisOf(v as string)) : null;
  },
});

const unixTimestamp = define({
  name: 'unix_timestamp',
  minArgs: 0,
  maxArgs: 2,
  argTypes: (a) => {
    const textInput = a.length > 0 && (isStringGroup(a[0]!) || a[0]!.name === 'void');
    return a.map((t, i) => {
      if (i === 0) return dateishTo('unix_timestamp', a, 0, textInput ? T.string : T.timestamp);
      requireArg(isStringGroup(t) || t.name === 'void', 'unix_timestamp', 1, 'a string pattern', t);
      // A date or timestamp ignores the pattern (it is never evaluated in Hive).
      return textInput ? T.string : T.void;
    });
  },
  returnType: T.bigint,
  checkConstants: checkPattern('unix_timestamp', 1),
  impl: (args) => {
    if (args.length === 0) return Math.floor(nowMillis() / 1000);
    const v = args[0];
    if (v === null) return null;
    // Text is parsed with the pattern; a date/timestamp (converted to canonical
    // timestamp text, pattern dropped) parses exactly with the default one.
    const pattern = args.length > 1 && args[1] !== null ? (args[1] as string) : 'yyyy-MM-dd HH:mm:ss';
    const ms = formatOrFail('unix_timestamp', pattern).parse(v as string);
    // Date.getTime() / 1000 in Java truncates toward zero.
    return ms === null ? null : Math.trunc(ms / 1000);
  },
});

const fromUnixtime = define({
  name: 'from_unixtime',
  minArgs: 1,
  maxArgs: 2,
  argTypes: (a) =>
    a.map((t, i) => {
      if (i === 0) {
        requireArg(t.name === 'int' || t.name === 'bigint' || t.name === 'void', 'from_unixtime', 0, 'INT or BIGINT', t);
        return T.bigint;
      }
      requireArg(isStringGroup(t) || t.name === 'void', 'from_unixtime', 1, 'a string pattern', t);
      return T.string;
    }),
  returnType: T.string,
  checkConstants: checkPattern('from_unixtime', 1),
  impl: (args) => {
    const v = args[0];
    if (v === null) return null;
    let pattern = 'yyyy-MM-dd HH:mm:ss';
    if (args.length > 1) {
      if (args[1] === null) return null;
      pattern = args[1] as string;
    }
    return formatOrFail('from_unixtime', pattern).format((v as number) * 1000);
  },
});

const datediff = define({
  name: 'datediff',
  minArgs: 2,
  argTypes: (a) => [dateishTo('datediff', a, 0, T.string), dateishTo('datediff', a, 1, T.string)],
  returnType: T.int,
  impl: (args) => {
    const a = dayOfText(args[0]!);
    const b = dayOfText(args[1]!);
    return a === null || b === null ? null : a - b;
  },
});

function dateAdd(name: string, sign: number): HiveFunction {
  return define({
    name,
    minArgs: 2,
    argTypes: (a) => [dateishTo(name, a, 0, T.string), intParam(name, a, 1)],
    returnType: T.date,
    impl: (args) => {
      const n = args[1];
      const d = dayOfText(args[0]!);
      return d === null || n === null ? null : formatEpochDay(d + sign * (n as number));
    },
  });
}

/** Calendar.add(MONTH, n), keeping the last day of a month at the last day (GenericUDFAddMonths). */
function addMonths(day: number, n: number): number {
  const [y, m, d] = civilFromDays(day);
  const last = d === daysInMonth(y, m);
  const tm = y * 12 + (m - 1) + n;
  const ny = Math.floor(tm / 12);
  const nm = tm - ny * 12 + 1;
  const dim = daysInMonth(ny, nm);
  return daysFromCivil(ny, nm, last ? dim : Math.min(d, dim));
}

const addMonthsFn = define({
  name: 'add_months',
  minArgs: 2,
  maxArgs: 3,
  argTypes: (a) =>
    a.map((t, i) => {
      if (i === 0) return dateishTo('add_months', a, 0, T.timestamp);
      if (i === 1) return intParam('add_months', a, 1);
      requireArg(isStringGroup(t) || t.name === 'void', 'add_months', 2, 'a string pattern', t);
      return T.string;
    }),
  returnType: T.string,
  checkConstants: checkPattern('add_months', 2),
  impl: (args) => {
    const v = args[0];
    const n = args[1];
    if (v === null || n === null) return null;
    const { seconds, nanos } = timestampToEpoch(v as string);
    const day = Math.floor(seconds / 86400);
    const result = addMonths(day, n as number);
    if (args.length > 2) {
      if (args[2] === null) return null;
      // The time of day is kept (the formatter may print it).
      const msOfDay = (seconds - day * 86400) * 1000 + Math.floor(nanos / 1e6);
      return formatOrFail('add_months', args[2] as string).format(result * 86400000 + msOfDay);
    }
    return formatEpochDay(result);
  },
});

const lastDay = unary('last_day', T.date, T.string, (v) => {
  const [y, m] = civilFromDays(epochDayOf(v as string));
  return formatEpochDay(daysFromCivil(y, m, daysInMonth(y, m)));
});

const currentDate = define({
  name: 'current_date',
  minArgs: 0,
  argTypes: () => [],
  returnType: T.date,
  impl: () => formatEpochDay(Math.floor(nowMillis() / 86400000)),
});

const currentTimestamp = define({
  name: 'current_timestamp',
  minArgs: 0,
  argTypes: () => [],
  returnType: T.timestamp,
  impl: () => {
    const ms = nowMillis();
    const s = Math.floor(ms / 1000);
    return timestampFromEpoch(s, (ms - s * 1000) * 1e6);
  },
});

export const DATE_FUNCTIONS: readonly HiveFunction[] = [
  toDate,
  datePart('year', (y) => y),
  datePart('month', (_y, m) => m),
  dayFn,
  alias('dayofmonth', dayFn),
  timePart('hour', (s) => Math.floor(s / 3600)),
  timePart('minute', (s) => Math.floor((s % 3600) / 60)),
  timePart('second', (s) => s % 60),
  weekOfYear,
  dateFormat,
  unixTimestamp,
  fromUnixtime,
  datediff,
  dateAdd('date_add', 1),
  dateAdd('date_sub', -1),
  addMonthsFn,
  lastDay,
  currentDate,
  currentTimestamp,
];
