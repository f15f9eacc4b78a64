/**
 * Hive 3.1's conversions between its primitive types, the text it writes for
 * each type, how its SerDes read field text, and how it orders values.
 *
 * Sources followed (apache/hive, branch-3 era): UDFToInteger/UDFToLong/UDFToByte/
 * UDFToShort/UDFToFloat/UDFToDouble/UDFToBoolean/UDFToString, GenericUDFToDate/
 * GenericUDFTimestamp, PrimitiveObjectInspectorUtils (getDate, getTimestampFromString,
 * getString, parseBoolean), LazyInteger/LazyLong/LazyDouble/LazyBoolean/LazyDate/
 * LazyTimestamp/LazyHiveDecimal, RegexSerDe.deserialize, common.type.Date/Timestamp
 * (LENIENT java.time formatters), FastHiveDecimalImpl, TimestampUtils.
 */
import {
  formatDouble,
  formatFloat,
  integralInRange,
  javaTrim,
  parseJavaDouble,
  parseJavaFloat,
  parseJavaIntegral,
  shortestDigits,
  shortestFloatDigits,
} from './java-format.js';
import type { HiveType, HiveTypeName, HiveValue } from './types.js';

/** CAST between two types that Hive refuses at analysis time (or always fails at run time). */
export class CastError extends Error {
  constructor(
    readonly from: HiveType,
    readonly to: HiveType,
  ) {
    super(`cannot convert ${describe(from)} to ${describe(to)}`);
    this.name = 'CastError';
  }
}

function describe(t: HiveType): string {
  if (t.name === 'decimal') return `decimal(${t.length ?? 10},${t.scale ?? 0})`;
  if ((t.name === 'varchar' || t.name === 'char') && t.length !== undefined) return `${t.name}(${t.length})`;
  return t.name;
}

// ---------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, as java.time)

/** Days since 1970-01-01 of a civil date (any month/day within their ranges). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month, day] of a day number since 1970-01-01. */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1]!;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Java's `yyyy` (year-of-era, SignStyle.EXCEEDS_PAD) as Hive 3 prints dates. */
function formatYear(y: number): string {
  const yoe = y <= 0 ? 1 - y : y;
  if (yoe > 9999) return '+' + yoe;
  return yoe < 10 ? '000' + yoe : yoe < 100 ? '00' + yoe : yoe < 1000 ? '0' + yoe : String(yoe);
}

/** Canonical DATE text of a day number. */
export function formatEpochDay(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return formatYear(y) + '-' + pad2(m) + '-' + pad2(d);
}

/** Canonical TIMESTAMP text: fraction printed only when non-zero, trailing zeros trimmed (Hive 3 Timestamp.toString). */
export function formatTimestampParts(epochDay: number, nanoOfDay: number): string {
  const secOfDay = Math.floor(nanoOfDay / 1e9);
  const nanos = nanoOfDay - secOfDay * 1e9;
  const h = Math.floor(secOfDay / 3600);
  const mi = Math.floor((secOfDay % 3600) / 60);
  const s = secOfDay % 60;
  let out = formatEpochDay(epochDay) + ' ' + pad2(h) + ':' + pad2(mi) + ':' + pad2(s);
  if (nanos !== 0) out += '.' + String(nanos).padStart(9, '0').replace(/0+$/, '');
  return out;
}

/** A timestamp from seconds since the epoch (UTC) and nanoseconds 0..999999999. */
export function timestampFromEpoch(seconds: number, nanos: number): string {
  const day = Math.floor(seconds / 86400);
  return formatTimestampParts(day, (seconds - day * 86400) * 1e9 + nanos);
}

const CANON_DATE = /^([+-]?\d+)-(\d\d)-(\d\d)/;

/** Day number of a canonical DATE (or the date part of a TIMESTAMP). */
export function epochDayOf(v: string): number {
  if (v.length >= 10 && v.charCodeAt(4) === 45 && v.charCodeAt(7) === 45) {
    const y = num4(v, 0);
    const m = (v.charCodeAt(5) - 48) * 10 + v.charCodeAt(6) - 48;
    const d = (v.charCodeAt(8) - 48) * 10 + v.charCodeAt(9) - 48;
    if (y >= 0) return daysFromCivil(y, m, d);
  }
  const g = CANON_DATE.exec(v);
  if (!g) return NaN;
  return daysFromCivil(Number(g[1]), Number(g[2]), Number(g[3]));
}

function num4(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  const c = s.charCodeAt(i + 2) - 48;
  const d = s.charCodeAt(i + 3) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9 || d < 0 || d > 9) return -1;
  return a * 1000 + b * 100 + c * 10 + d;
}

/** Seconds since the epoch (floor) and nanos of a canonical TIMESTAMP. */
export function timestampToEpoch(ts: string): { seconds: number; nanos: number } {
  const sp = ts.indexOf(' ', 8);
  const day = epochDayOf(ts);
  if (sp < 0) return { seconds: day * 86400, nanos: 0 };
  const h = (ts.charCodeAt(sp + 1) - 48) * 10 + ts.charCodeAt(sp + 2) - 48;
  const mi = (ts.charCodeAt(sp + 4) - 48) * 10 + ts.charCodeAt(sp + 5) - 48;
  const s = (ts.charCodeAt(sp + 7) - 48) * 10 + ts.charCodeAt(sp + 8) - 48;
  let nanos = 0;
  if (ts.length > sp + 10) nanos = Number(ts.slice(sp + 10).padEnd(9, '0'));
  return { seconds: day * 86400 + h * 3600 + mi * 60 + s, nanos };
}

/** TIMESTAMP of the midnight starting a DATE. */
export function dateToTimestamp(d: string): string {
  return d + ' 00:00:00';
}

/** DATE part of a TIMESTAMP. */
export function timestampToDate(ts: string): string {
  const sp = ts.indexOf(' ', 8);
  return sp < 0 ? ts : ts.slice(0, sp);
}

// ---------------------------------------------------------------------------
// Hive 3.1 org.apache.hadoop.hive.common.type.Date/Timestamp.valueOf

interface Cursor {
  i: number;
}

/** appendValue(field, min, max, SignStyle.NORMAL) in a strict parse: optional '-' then digits. */
function readNumber(s: string, c: Cursor, minWidth: number, maxWidth: number, signed: boolean): number | undefined {
  let i = c.i;
  let neg = false;
  if (signed && s.charCodeAt(i) === 45) {
    neg = true;
    i++;
  }
  const start = i;
  while (i < s.length && i - start < maxWidth) {
    const ch = s.charCodeAt(i);
    if (ch < 48 || ch > 57) break;
    i++;
  }
  if (i - start < minWidth) return undefined;
  const v = Number(s.slice(start, i));
  // NORMAL rejects a negative zero in strict parsing.
  if (neg && v === 0) return undefined;
  c.i = i;
  return neg ? -v : v;
}

const MAX_YEAR = 999999999;

/** LENIENT ISO resolution of year/month/day: month and day overflow into the next units. */
function lenientEpochDay(y: number, m: number, d: number): number | undefined {
  if (y < -MAX_YEAR || y > MAX_YEAR) return undefined;
  const tm = y * 12 + (m - 1);
  const y2 = Math.floor(tm / 12);
  const m2 = tm - y2 * 12 + 1;
  const day = daysFromCivil(y2, m2, 1) + d - 1;
  const [yy] = civilFromDays(day);
  if (yy < -MAX_YEAR || yy > MAX_YEAR) return undefined;
  return day;
}

/** Parses `y-M-d` (Date/Timestamp PARSE_FORMATTER date part) at the cursor. */
function readLenientDate(s: string, c: Cursor): number | undefined {
  const y = readNumber(s, c, 1, 10, true);
  if (y === undefined || s.charCodeAt(c.i) !== 45) return undefined;
  c.i++;
  const m = readNumber(s, c, 1, 2, false);
  if (m === undefined || s.charCodeAt(c.i) !== 45) return undefined;
  c.i++;
  const d = readNumber(s, c, 1, 2, false);
  if (d === undefined) return undefined;
  return lenientEpochDay(y, m, d);
}

/**
 * Hive 3.1 `Date.valueOf(s)`: trim, cut at the first ' ' (else the first 'T'),
 * then `y-M-d` resolved leniently (2019-02-30 is 2019-03-02). Returns the day number.
 */
export function hiveDateValueOf(s: string): number | undefined {
  s = javaTrim(s);
  let idx = s.indexOf(' ');
  if (idx < 0) idx = s.indexOf('T');
  if (idx >= 0) s = s.slice(0, idx);
  const c: Cursor = { i: 0 };
  const day = readLenientDate(s, c);
  return day !== undefined && c.i === s.length ? day : undefined;
}

/** Canonical DATE text for Hive's Date.valueOf, or null where it throws. */
export function parseHiveDate(s: string): string | null {
  // Fast path: already canonical and valid.
  if (s.length === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    const y = num4(s, 0);
    const m = (s.charCodeAt(5) - 48) * 10 + s.charCodeAt(6) - 48;
    const d = (s.charCodeAt(8) - 48) * 10 + s.charCodeAt(9) - 48;
    if (y > 0 && m >= 1 && m <= 12 && d >= 1 && d <= 28 && s.charCodeAt(5) <= 57 && s.charCodeAt(8) <= 57) return s;
  }
  const day = hiveDateValueOf(s);
  return day === undefined ? null : formatEpochDay(day);
}

const NANOS_PER_DAY = 86400e9;

/** ISO_LOCAL_DATE_TIME with the STRICT resolver (LocalDateTime.parse fallback). */
const ISO_LOCAL = /^(?:(\d{4})|(-\d{4,10}|\+\d{5,10}))-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{0,9}))?)?$/;

function isoLocalDateTime(s: string): [number, number] | undefined {
  const g = ISO_LOCAL.exec(s);
  if (!g) return undefined;
  const y = Number(g[1] ?? g[2]);
  const m = Number(g[3]);
  const d = Number(g[4]);
  const h = Number(g[5]);
  const mi = Number(g[6]);
  const sec = g[7] === undefined ? 0 : Number(g[7]);
  if (y < -MAX_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  if (h > 23 || mi > 59 || sec > 59) return undefined;
  const nanos = g[8] ? Number(g[8].padEnd(9, '0')) : 0;
  return [daysFromCivil(y, m, d), ((h * 60 + mi) * 60 + sec) * 1e9 + nanos];
}

/**
 * Hive 3.1 `Timestamp.valueOf(s)`: trim; `y-M-d[ H:m:s[.f{1,9}]]` resolved
 * leniently (hour 24 rolls to the next day), else ISO `yyyy-MM-ddTHH:mm[:ss[.f]]`.
 * Returns [epochDay, nanoOfDay].
 */
export function hiveTimestampValueOf(s: string): [number, number] | undefined {
  s = javaTrim(s);
  const c: Cursor = { i: 0 };
  let day = readLenientDate(s, c);
  if (day !== undefined) {
    // LocalDateTime.from needs the time fields: a bare date falls through to ISO (and fails).
    let nod = -1;
    if (c.i < s.length && s.charCodeAt(c.i) === 32) {
      // Optional time section: rolls back as a whole if any part is missing.
      const save = c.i;
      c.i++;
      const h = readNumber(s, c, 1, 2, false);
      const okH = h !== undefined && s.charCodeAt(c.i) === 58;
      if (okH) c.i++;
      const mi = okH ? readNumber(s, c, 1, 2, false) : undefined;
      const okM = mi !== undefined && s.charCodeAt(c.i) === 58;
      if (okM) c.i++;
      const sec = okM ? readNumber(s, c, 1, 2, false) : undefined;
      if (sec === undefined) c.i = save;
      else {
        let nanos = 0;
        if (s.charCodeAt(c.i) === 46) {
          const fs = c.i + 1;
          let fe = fs;
          while (fe < s.length && fe - fs < 9 && s.charCodeAt(fe) >= 48 && s.charCodeAt(fe) <= 57) fe++;
          if (fe > fs) {
            nanos = Number(s.slice(fs, fe).padEnd(9, '0'));
            c.i = fe;
          }
        }
        const total = ((h! * 60 + mi!) * 60 + sec) * 1e9 + nanos;
        const extra = Math.floor(total / NANOS_PER_DAY);
        day += extra;
        nod = total - extra * NANOS_PER_DAY;
      }
    }
    if (c.i === s.length && nod >= 0) return [day, nod];
  }
  return isoLocalDateTime(s);
}

/** Canonical TIMESTAMP for Hive's Timestamp.valueOf, or null where it throws. */
export function parseHiveTimestamp(s: string): string | null {
  const fast = fastCanonicalTimestamp(s);
  if (fast !== undefined) return fast;
  const r = hiveTimestampValueOf(s);
  return r ? formatTimestampParts(r[0], r[1]) : null;
}

/** 'YYYY-MM-DD HH:MM:SS[.fff]' already valid and canonical (no trailing zeros): returned as is. */
function fastCanonicalTimestamp(s: string): string | undefined {
  const n = s.length;
  if (n < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 32 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const y = num4(s, 0);
  const m = two(s, 5);
  const d = two(s, 8);
  const h = two(s, 11);
  const mi = two(s, 14);
  const sec = two(s, 17);
  if (y <= 0 || m < 1 || m > 12 || d < 1 || d > 28 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  if (n === 19) return s;
  if (s.charCodeAt(19) !== 46 || n > 29 || n === 20) return undefined;
  for (let i = 20; i < n; i++) {
    const ch = s.charCodeAt(i);
    if (ch < 48 || ch > 57) return undefined;
  }
  return s.charCodeAt(n - 1) === 48 ? undefined : s;
}

function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a < 0 || a > 9 || b < 0 || b > 9 ? -1 : a * 10 + b;
}

/** PrimitiveObjectInspectorUtils.trimNanoTimestamp: drop fraction digits beyond nine. */
function trimNanoTimestamp(s: string): string {
  const firstSpace = s.indexOf(' ');
  const periodIdx = s.indexOf('.');
  if (periodIdx !== -1) {
    const secondSpace = firstSpace < 0 ? -1 : s.indexOf(' ', firstSpace + 1);
    const maxLength = secondSpace === -1 ? s.length : secondSpace;
    if (maxLength - periodIdx > 9) s = s.slice(0, periodIdx + 10) + s.slice(maxLength);
  }
  return s;
}

const TZ_TEXT = /^(\d{4,})-(\d\d)-(\d\d)(?: (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?)? ?(.+)$/;
const OFFSET_ZONE = /^(?:Z|(?:UTC|GMT|UT)?(?:[+-]\d\d(?::?\d\d(?::?\d\d)?)?)?)$/;

/**
 * TimestampTZUtil.parse(s) then toLocalDateTime: `yyyy-MM-dd[ HH:mm:ss[.f]][ ]zone`
 * (SMART resolver); the zone is validated and dropped.
 */
function zonedLocalDateTime(s: string): [number, number] | undefined {
  // TimestampTZUtil pads a single-digit hour offset (JDK-8066806).
  s = s.replace(/([+-])(\d:\d\d)/, '$10$2');
  const g = TZ_TEXT.exec(s);
  if (!g) return undefined;
  const zone = g[8]!;
  if (!OFFSET_ZONE.test(zone) && !isRegionZone(zone)) return undefined;
  const y = Number(g[1]);
  const m = Number(g[2]);
  let d = Number(g[3]);
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  d = Math.min(d, daysInMonth(y, m));
  if (g[4] === undefined) return [daysFromCivil(y, m, d), 0];
  const h = Number(g[4]);
  const mi = Number(g[5]);
  const sec = Number(g[6]);
  if (h > 23 || mi > 59 || sec > 59) return undefined;
  const nanos = g[7] ? Number(g[7].padEnd(9, '0')) : 0;
  return [daysFromCivil(y, m, d), ((h * 60 + mi) * 60 + sec) * 1e9 + nanos];
}

const regionZones = new Map<string, boolean>();
function isRegionZone(id: string): boolean {
  let ok = regionZones.get(id);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: id });
      ok = /^[A-Za-z]/.test(id);
    } catch {
      ok = false;
    }
    regionZones.set(id, ok);
  }
  return ok;
}

/**
 * CAST(string AS TIMESTAMP): PrimitiveObjectInspectorUtils.getTimestampFromString
 * (Hive 3): a bare date is midnight; 'yyyy-mm-dd hh:mm:ss[.f]' (19 chars before
 * any '.') goes through Timestamp.valueOf; text with '+' is tried as a zoned
 * timestamp (zone dropped); anything else falls back to Date.valueOf, so
 * '2019-01-01 10:00' is '2019-01-01 00:00:00'.
 */
export function castStringToTimestamp(input: string): string | null {
  const fast = fastCanonicalTimestamp(input);
  if (fast !== undefined) return fast;
  const s = trimNanoTimestamp(javaTrim(input));
  if (s.length === 10) {
    const day = hiveDateValueOf(s);
    return day === undefined ? null : formatTimestampParts(day, 0);
  }
  const dot = s.indexOf('.');
  if ((s.length === 19 || (dot >= 0 && dot === 19)) && s.charAt(10) !== '-') {
    const r = hiveTimestampValueOf(s);
    return r ? formatTimestampParts(r[0], r[1]) : null;
  }
  if (s.includes('+') || (s.length > 10 && s.charAt(10) === '-')) {
    const r = zonedLocalDateTime(s);
    return r ? formatTimestampParts(r[0], r[1]) : null;
  }
  const day = hiveDateValueOf(s);
  return day === undefined ? null : formatTimestampParts(day, 0);
}

/** CAST(string AS DATE): PrimitiveObjectInspectorUtils.getDate. */
export function castStringToDate(input: string): string | null {
  const s = javaTrim(input);
  if (s.length === 10) return parseHiveDate(s);
  const ts = castStringToTimestamp(s);
  return ts === null ? null : timestampToDate(ts);
}

// ---------------------------------------------------------------------------
// Numbers from text (Hive's LazyInteger/LazyLong rules)

/** LazyUtils.isNumberMaybe on the (ASCII) text: a cheap NULL for '', '.', 'NULL'... */
function isNumberMaybe(s: string): boolean {
  switch (s.length) {
    case 0:
      return false;
    case 1:
      return isAsciiDigit(s.charCodeAt(0));
    case 2:
      return isAsciiDigit(s.charCodeAt(1)) || isAsciiDigit(s.charCodeAt(0));
    case 4: {
      const c = s.charCodeAt(0);
      return c !== 78 && c !== 110;
    }
    default:
      return true;
  }
}

function isAsciiDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** HiveStringUtils.findLeading/TrailingSpaces: ASCII Character.isWhitespace. */
function isJavaAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 28 && c <= 31);
}

/**
 * LazyLong.parseLong / LazyInteger.parseInt (radix 10): optional sign, ASCII
 * digits, and an optional '.digits' tail that is checked and truncated ('1.9'
 * is 1, '.5' is 0). `trim` strips ASCII whitespace first (the CAST path does,
 * LazySimpleSerDe does not). Null on anything else or out of [min, max].
 */
export function lazyParseIntegral(s: string, trim: boolean, min: number, max: number): number | null {
  let b = 0;
  let e = s.length;
  if (trim) {
    while (b < e && isJavaAsciiSpace(s.charCodeAt(b))) b++;
    while (e > b && isJavaAsciiSpace(s.charCodeAt(e - 1))) e--;
  }
  if (b >= e) return null;
  let i = b;
  const c0 = s.charCodeAt(i);
  const neg = c0 === 45;
  if (neg || c0 === 43) {
    i++;
    if (e - b === 1) return null;
  }
  const ds = i;
  let v = 0;
  while (i < e) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    if (i - ds < 15) v = v * 10 + (c - 48);
    i++;
  }
  const de = i;
  if (i < e) {
    if (s.charCodeAt(i) !== 46) return null;
    for (i++; i < e; i++) if (!isAsciiDigit(s.charCodeAt(i))) return null;
  }
  if (de - ds <= 15) {
    const r = neg ? -v : v;
    return r < min || r > max ? null : r === 0 ? 0 : r;
  }
  return integralInRange(s.slice(ds, de), neg, min, max);
}

const RANGES: Partial<Record<HiveTypeName, [number, number]>> = {
  tinyint: [-128, 127],
  smallint: [-32768, 32767],
  int: [-2147483648, 2147483647],
  bigint: [-9223372036854775808, 9223372036854775807],
};

/** Java's narrowing (int) of a double: NaN is 0, out-of-range values clamp. */
function d2i(d: number): number {
  if (d !== d) return 0;
  if (d >= 2147483647) return 2147483647;
  if (d <= -2147483648) return -2147483648;
  return Math.trunc(d) | 0;
}

/** Java's (long) of a double. */
function d2l(d: number): number {
  if (d !== d) return 0;
  if (d >= 9223372036854775807) return 9223372036854775807;
  if (d <= -9223372036854775808) return -9223372036854775808;
  const t = Math.trunc(d);
  return t === 0 ? 0 : t;
}

/** Java's (byte)/(short)/(int) of an integral value (two's complement wrap). */
function wrapper(to: HiveTypeName): (v: number) => number {
  switch (to) {
    case 'tinyint':
      return (v) => (v << 24) >> 24;
    case 'smallint':
      return (v) => (v << 16) >> 16;
    case 'int':
      return (v) => v | 0;
    default:
      return (v) => v;
  }
}

// ---------------------------------------------------------------------------
// Decimals (HiveDecimal: at most 38 digits, HALF_UP)

interface Dec {
  neg: boolean;
  /** Unscaled magnitude. */
  unscaled: bigint;
  scale: number;
}

const DEC_TEXT = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * FastHiveDecimalImpl.fastSetFromString: [+|-][digits][.[digits]][{e|E}[+|-]exp],
 * at least one digit; with `trimBlanks` leading/trailing ' ' are ignored. More
 * than 38 integer digits is invalid; excess fraction digits round HALF_UP.
 */
export function parseDecimalText(s: string, trimBlanks: boolean): Dec | undefined {
  if (trimBlanks) {
    let b = 0;
    let e = s.length;
    while (b < e && s.charCodeAt(b) === 32) b++;
    while (e > b && s.charCodeAt(e - 1) === 32) e--;
    s = s.slice(b, e);
  }
  const g = DEC_TEXT.exec(s);
  if (!g) return undefined;
  const intDigits = g[2] ?? '';
  const fracDigits = g[3] ?? '';
  if (intDigits.length === 0 && fracDigits.length === 0) return undefined;
  if (g[4] !== undefined && Math.abs(Number(g[4])) > 1000) return undefined;
  const exp = g[4] === undefined ? 0 : Number(g[4]);
  let unscaled = BigInt((intDigits + fracDigits).replace(/^0+(?=\d)/, '') || '0');
  let scale = fracDigits.length - exp;
  if (scale < 0) {
    unscaled *= 10n ** BigInt(-scale);
    scale = 0;
  }
  const dec: Dec = { neg: g[1] === '-' && unscaled !== 0n, unscaled, scale };
  // At most 38 digits in all: round away excess fraction digits, reject big integers.
  const digits = unscaled === 0n ? 1 : unscaled.toString().length;
  const intLen = digits - scale;
  if (intLen > 38) return undefined;
  if (digits > 38) return roundDec(dec, Math.max(0, 38 - Math.max(intLen, 0)));
  return dec;
}

function roundDec(d: Dec, scale: number): Dec {
  if (d.scale <= scale) return d;
  const div = 10n ** BigInt(d.scale - scale);
  const q = d.unscaled / div;
  const r = d.unscaled % div;
  const unscaled = r * 2n >= div ? q + 1n : q;
  return { neg: d.neg && unscaled !== 0n, unscaled, scale };
}

/** HiveDecimalUtils.enforcePrecisionScale: round to `scale` HALF_UP; too many integer digits is NULL. */
function enforce(d: Dec, precision: number, scale: number): Dec | undefined {
  const r = roundDec(d, scale);
  if (r.unscaled === 0n) return r;
  const digits = r.unscaled.toString().length;
  if (digits - r.scale > precision - scale) return undefined;
  return r;
}

function decToNumber(d: Dec): number {
  const v = d.scale === 0 ? Number(d.unscaled) : Number(`${d.unscaled}e-${d.scale}`);
  return d.neg ? -v : v;
}

/** Decimal digits of a JS number, as Hive builds a decimal from Double.toString. */
function numberToDec(v: number, float: boolean): Dec | undefined {
  if (!Number.isFinite(v)) return undefined;
  if (v === 0) return { neg: false, unscaled: 0n, scale: 0 };
  if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) return { neg: v < 0, unscaled: BigInt(Math.abs(v)), scale: 0 };
  const { digits, point } = float ? shortestFloatDigits(v) : shortestDigits(v);
  let scale = digits.length - point;
  let unscaled = BigInt(digits);
  if (scale < 0) {
    unscaled *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { neg: v < 0, unscaled, scale };
}

/** A decimal(p,s) value from a number (its shortest digits), or null on overflow. */
export function enforceDecimal(v: number, precision = 10, scale = 0): number | null {
  if (Number.isInteger(v) && Math.abs(v) < 10 ** Math.min(precision - scale, 15)) return v === 0 ? 0 : v;
  const d = numberToDec(v, false);
  if (!d) return null;
  const r = enforce(d, precision, scale);
  return r ? decToNumber(r) : null;
}

/** HiveDecimal.toFormatString(scale): plain digits padded with zeros to the scale. */
export function formatDecimal(v: number, scale: number): string {
  const d0 = numberToDec(v, false);
  if (!d0) return formatDouble(v);
  const d = roundDec(d0, scale);
  let s = d.unscaled.toString();
  if (d.scale < scale) s += '0'.repeat(scale - d.scale);
  if (scale > 0) {
    s = s.padStart(scale + 1, '0');
    s = s.slice(0, s.length - scale) + '.' + s.slice(s.length - scale);
  }
  return d.neg ? '-' + s : s;
}

/** HiveDecimal.toString(): plain digits, trailing fraction zeros dropped. */
export function decimalToString(v: number): string {
  const d = numberToDec(v, false);
  if (!d) return formatDouble(v);
  let s = d.unscaled.toString();
  if (d.scale > 0) {
    s = s.padStart(d.scale + 1, '0');
    s = (s.slice(0, s.length - d.scale) + '.' + s.slice(s.length - d.scale)).replace(/\.?0+$/, '');
  }
  return d.neg ? '-' + s : s;
}

// ---------------------------------------------------------------------------
// Booleans from text

/** PrimitiveObjectInspectorUtils.parseBoolean (CAST): '', false, off, no, 0 (any case) are false. */
export function hiveParseBoolean(s: string): boolean {
  switch (s.length) {
    case 0:
      return false;
    case 1:
      return !matchFold(s, '0');
    case 2:
      return !matchFold(s, 'no');
    case 3:
      return !matchFold(s, 'off');
    case 5:
      return !matchFold(s, 'false');
    default:
      return true;
  }
}

/** FalseValues.accept: each byte equals the lower-case letter or is it minus 32. */
function matchFold(s: string, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    const b = s.charCodeAt(i);
    const t = lower.charCodeAt(i);
    if (b !== t && b + 32 !== t) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Timestamps from numbers

/** Seconds (with fraction) as a timestamp: TimestampUtils.doubleToTimestamp via Double.toString digits. */
function secondsToTimestamp(v: number, float: boolean): string | null {
  if (!Number.isFinite(v)) return null;
  const d = numberToDec(v, float);
  if (!d) return null;
  const div = 10n ** BigInt(d.scale);
  const whole = d.unscaled / div;
  // (long) of the double, then nanos = truncated fraction × 1e9.
  const fracNanos = ((d.unscaled % div) * 1000000000n) / div;
  let seconds = Number(whole) * (d.neg ? -1 : 1);
  let nanos = Number(fracNanos) * (d.neg ? -1 : 1);
  if (seconds === 0) seconds = 0;
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  if (Math.abs(seconds) > 3.1e16) return null;
  return timestampFromEpoch(seconds, nanos);
}

/** Integral values are milliseconds (hive.int.timestamp.conversion.in.seconds=false). */
function millisToTimestamp(ms: number): string {
  const s = Math.floor(ms / 1000);
  return timestampFromEpoch(s, (ms - s * 1000) * 1e6);
}

function timestampToDouble(ts: string): number {
  const { seconds, nanos } = timestampToEpoch(ts);
  return seconds + nanos / 1e9;
}

// ---------------------------------------------------------------------------
// Text output

/** An integral value in decimal; beyond 2^53 the double's exact integer value (no exponent, no rounding to zeros). */
export function formatIntegral(v: number): string {
  if (Number.isSafeInteger(v)) return v === 0 ? '0' : String(v);
  return Number.isFinite(v) ? BigInt(Math.trunc(v)).toString() : String(v);
}

export interface FormatOptions {
  /** Join array elements with this (\x02 in LazySimpleSerDe files); default is the CLI's JSON form. */
  readonly collectionSeparator?: string;
}

/** SerDeUtils.escapeString as the CLI uses it inside JSON arrays. */
function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 34:
        out += '\\"';
        break;
      case 92:
        out += '\\\\';
        break;
      case 8:
        out += '\\b';
        break;
      case 12:
        out += '\\f';
        break;
      case 10:
        out += '\\n';
        break;
      case 13:
        out += '\\r';
        break;
      case 9:
        out += '\\t';
        break;
      default:
        out += c < 32 ? '\\u' + c.toString(16).padStart(4, '0') : s[i];
    }
  }
  return out + '"';
}

/**
 * The text Hive writes for a non-NULL value: integers in decimal, DOUBLE/FLOAT as
 * Java's toString, BOOLEAN as true/false, DECIMAL padded to its scale, DATE and
 * TIMESTAMP canonical, arrays as the CLI's ["a","b"] or joined by a separator.
 */
export function formatValue(v: HiveValue, t: HiveType, options?: FormatOptions): string {
  if (v === null) throw new TypeError('formatValue: NULL has no text (callers write \\N)');
  switch (t.name) {
    case 'double':
      return formatDouble(v as number);
    case 'float':
      return formatFloat(v as number);
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      return formatIntegral(v as number);
    case 'decimal':
      return formatDecimal(v as number, t.scale ?? 0);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'array<string>': {
      const a = v as readonly string[];
      if (options?.collectionSeparator !== undefined) return a.join(options.collectionSeparator);
      return '[' + a.map(jsonString).join(',') + ']';
    }
    default:
      if (typeof v === 'number') return t.name === 'void' ? String(v) : formatDouble(v);
      if (typeof v === 'boolean') return v ? 'true' : 'false';
      return String(v);
  }
}

// ---------------------------------------------------------------------------
// CAST

type Conv = (v: HiveValue) => HiveValue;

const identity: Conv = (v) => v;
const toNull: Conv = () => null;

/** Code-point truncation (HiveBaseChar.enforceMaxLength). */
function truncateCodePoints(s: string, n: number): string {
  if (s.length <= n) return s;
  let count = 0;
  let i = 0;
  while (i < s.length && count < n) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
    count++;
  }
  return s.slice(0, i);
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff)) n++;
  }
  return n;
}

/** HiveChar value: truncated, then right-padded with spaces to the length (getPaddedValue). */
function toCharValue(s: string, n: number): string {
  const t = truncateCodePoints(s, n);
  const len = codePointLength(t);
  return len < n ? t + ' '.repeat(n - len) : t;
}

/** HiveChar.getStrippedValue: trailing spaces removed. */
function stripTrailingSpaces(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  return e === s.length ? s : s.slice(0, e);
}

/**
 * UDFToString (CAST AS STRING). `viaGetString` selects PrimitiveObjectInspectorUtils.getString
 * instead (used for VARCHAR/CHAR targets): it differs only for DECIMAL (padded to scale).
 */
function toStringConv(from: HiveType, viaGetString: boolean): Conv {
  switch (from.name) {
    case 'string':
    case 'varchar':
      return identity;
    case 'char':
      return (v) => stripTrailingSpaces(v as string);
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      return (v) => formatIntegral(v as number);
    case 'float':
      return (v) => formatFloat(v as number);
    case 'double':
      return (v) => formatDouble(v as number);
    case 'decimal': {
      const scale = from.scale ?? 0;
      return viaGetString ? (v) => formatDecimal(v as number, scale) : (v) => decimalToString(v as number);
    }
    case 'boolean':
      return (v) => (v ? 'TRUE' : 'FALSE');
    case 'date':
    case 'timestamp':
      return identity;
    case 'void':
      return toNull;
    default:
      throw new CastError(from, { name: 'string' });
  }
}

function toIntegralConv(from: HiveType, to: HiveType): Conv {
  const [min, max] = RANGES[to.name]!;
  const wrap = wrapper(to.name);
  switch (from.name) {
    case 'string':
    case 'varchar':
    case 'char':
      // UDFToInteger(Text): isNumberMaybe, then LazyInteger.parseInt(..., trim=true); overflow is NULL.
      return (v) => (isNumberMaybe(v as string) ? lazyParseIntegral(v as string, true, min, max) : null);
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      return RANGES[from.name]![1] <= max ? identity : (v) => wrap(v as number);
    case 'float':
    case 'double':
      if (to.name === 'bigint') return (v) => d2l(v as number);
      if (to.name === 'int') return (v) => d2i(v as number);
      return (v) => wrap(d2i(v as number));
    case 'decimal':
      // HiveDecimalWritable.isInt()/isLong()...: out of range is NULL; the fraction is truncated.
      return (v) => {
        const t = Math.trunc(v as number);
        return t < min || t > max ? null : t === 0 ? 0 : t;
      };
    case 'boolean':
      return (v) => (v ? 1 : 0);
    case 'timestamp':
      return (v) => {
        const s = timestampToEpoch(v as string).seconds;
        if (to.name === 'int') return s < min || s > max ? null : s;
        return wrap(s);
      };
    case 'date':
      // No DATE overload: Hive converts the date to text, which never parses as a number.
      return toNull;
    case 'void':
      return toNull;
    default:
      throw new CastError(from, to);
  }
}

function toFloatingConv(from: HiveType, to: HiveType): Conv {
  const isFloat = to.name === 'float';
  switch (from.name) {
    case 'string':
    case 'varchar':
    case 'char':
      return isFloat
        ? (v) => (isNumberMaybe(v as string) ? parseJavaFloat(v as string) : null)
        : (v) => (isNumberMaybe(v as string) ? parseJavaDouble(v as string) : null);
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
    case 'decimal':
    case 'double':
      return isFloat ? (v) => Math.fround(v as number) : identity;
    case 'float':
      return identity;
    case 'boolean':
      return (v) => (v ? 1 : 0);
    case 'timestamp':
      return isFloat ? (v) => Math.fround(timestampToDouble(v as string)) : (v) => timestampToDouble(v as string);
    case 'date':
    case 'void':
      return toNull;
    default:
      throw new CastError(from, to);
  }
}

function toDecimalConv(from: HiveType, to: HiveType): Conv {
  const p = to.length ?? 10;
  const s = to.scale ?? 0;
  const fromDec = (d: Dec | undefined): HiveValue => {
    if (!d) return null;
    const r = enforce(d, p, s);
    return r ? decToNumber(r) : null;
  };
  switch (from.name) {
    case 'string':
    case 'varchar':
    case 'char':
      return (v) => fromDec(parseDecimalText(v as string, true));
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
    case 'decimal':
    case 'double':
      return (v) => enforceDecimal(v as number, p, s);
    case 'float':
      // Built from Float.toString, so 0.1f is 0.1 rather than 0.100000001490116.
      return (v) => fromDec(numberToDec(v as number, true));
    case 'boolean':
      return (v) => fromDec({ neg: false, unscaled: v ? 1n : 0n, scale: 0 });
    case 'timestamp':
      return (v) => enforceDecimal(timestampToDouble(v as string), p, s);
    case 'void':
      return toNull;
    default:
      throw new CastError(from, to);
  }
}

function toBooleanConv(from: HiveType): Conv {
  switch (from.name) {
    case 'string':
    case 'varchar':
      return (v) => hiveParseBoolean(v as string);
    case 'char':
      return (v) => hiveParseBoolean(stripTrailingSpaces(v as string));
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
    case 'float':
    case 'double':
    case 'decimal':
      // NaN != 0, so NaN is true, as in Java.
      return (v) => v !== 0;
    case 'timestamp':
      return (v) => {
        const { seconds, nanos } = timestampToEpoch(v as string);
        return seconds !== 0 || nanos !== 0;
      };
    case 'date':
    case 'void':
      return toNull;
    default:
      throw new CastError(from, { name: 'boolean' });
  }
}

function toDateConv(from: HiveType): Conv {
  switch (from.name) {
    case 'string':
    case 'varchar':
    case 'char':
      return (v) => castStringToDate(v as string);
    case 'timestamp':
      return (v) => timestampToDate(v as string);
    case 'void':
      return toNull;
    default:
      // GenericUDFToDate only takes string, date and timestamp.
      throw new CastError(from, { name: 'date' });
  }
}

function toTimestampConv(from: HiveType): Conv {
  switch (from.name) {
    case 'string':
    case 'varchar':
    case 'char':
      return (v) => castStringToTimestamp(v as string);
    case 'date':
      return (v) => dateToTimestamp(v as string);
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      return (v) => millisToTimestamp(v as number);
    case 'boolean':
      return (v) => millisToTimestamp(v ? 1 : 0);
    case 'float':
      return (v) => secondsToTimestamp(v as number, false);
    case 'double':
    case 'decimal':
      return (v) => secondsToTimestamp(v as number, false);
    case 'void':
      return toNull;
    default:
      throw new CastError(from, { name: 'timestamp' });
  }
}

function sameType(a: HiveType, b: HiveType): boolean {
  return a.name === b.name && (a.length ?? -1) === (b.length ?? -1) && (a.scale ?? -1) === (b.scale ?? -1);
}

/**
 * A converter from `from` to `to` with Hive 3.1's CAST semantics, resolved once:
 * the returned function does no type dispatch. NULL maps to NULL.
 * Throws CastError for conversions Hive rejects (e.g. INT to DATE).
 */
export function makeCast(from: HiveType, to: HiveType): (v: HiveValue) => HiveValue {
  const conv = makeConv(from, to);
  if (conv === identity || conv === toNull) return conv;
  return (v) => (v === null ? null : conv(v));
}

function makeConv(from: HiveType, to: HiveType): Conv {
  if (sameType(from, to) && to.name !== 'char') return identity;
  if (from.name === 'void') return toNull;
  switch (to.name) {
    case 'string':
      return toStringConv(from, false);
    case 'varchar': {
      const base = toStringConv(from, true);
      const n = to.length;
      if (n === undefined) return base;
      return base === identity ? (v) => truncateCodePoints(v as string, n) : (v) => truncateCodePoints(base(v) as string, n);
    }
    case 'char': {
      const base = toStringConv(from, true);
      const n = to.length ?? 255;
      return (v) => toCharValue(base(v) as string, n);
    }
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      return toIntegralConv(from, to);
    case 'float':
    case 'double':
      return toFloatingConv(from, to);
    case 'decimal':
      return toDecimalConv(from, to);
    case 'boolean':
      return toBooleanConv(from);
    case 'date':
      return toDateConv(from);
    case 'timestamp':
      return toTimestampConv(from);
    case 'array<string>':
      if (from.name === 'array<string>') return identity;
      throw new CastError(from, to);
    case 'void':
      return toNull;
    default:
      throw new CastError(from, to);
  }
}

const castCache = new Map<string, (v: HiveValue) => HiveValue>();

/** One-off conversion (resolves and caches the converter; use makeCast on hot paths). */
export function castValue(v: HiveValue, from: HiveType, to: HiveType): HiveValue {
  if (v === null) return null;
  const key = `${from.name}(${from.length ?? ''},${from.scale ?? ''})>${to.name}(${to.length ?? ''},${to.scale ?? ''})`;
  let c = castCache.get(key);
  if (!c) {
    c = makeCast(from, to);
    castCache.set(key, c);
  }
  return c(v);
}

// ---------------------------------------------------------------------------
// SerDe field parsing

export type SerDeKind = 'regex' | 'lazy';

/**
 * How a SerDe turns a field's text into a value.
 *
 * - 'lazy' (LazySimpleSerDe): LazyInteger & co. — integers without trimming
 *   (' 5' is NULL), doubles via Double.parseDouble (trims), booleans only
 *   true/false (any case), DATE/TIMESTAMP need at least 8 characters.
 * - 'regex' (RegexSerDe): Integer.valueOf/Long.valueOf/Double.valueOf/
 *   Boolean.valueOf/Date.valueOf/Timestamp.valueOf/HiveDecimal.create; a
 *   failure makes just that column NULL. Boolean.valueOf is never NULL:
 *   anything but 'true' (any case) is false — also for a group that did not
 *   participate (pass null/undefined for that).
 *
 * The caller handles the NULL sequence (\N) of LazySimpleSerDe.
 */
export function parseFieldForSerDe(text: string | null | undefined, t: HiveType, serde: SerDeKind): HiveValue {
  return makeFieldParser(t, serde)(text);
}

const parserCache = new Map<string, (text: string | null | undefined) => HiveValue>();

/** Pre-resolved field parser for the hot path. */
export function makeFieldParser(t: HiveType, serde: SerDeKind): (text: string | null | undefined) => HiveValue {
  const key = `${serde}:${t.name}(${t.length ?? ''},${t.scale ?? ''})`;
  let p = parserCache.get(key);
  if (!p) {
    p = serde === 'lazy' ? lazyParser(t) : regexParser(t);
    parserCache.set(key, p);
  }
  return p;
}

type FieldParser = (text: string | null | undefined) => HiveValue;

/** STRING, VARCHAR(n) and CHAR(n) fields read the same way in both SerDes. */
function textParser(t: HiveType): FieldParser {
  if (t.name === 'varchar' && t.length !== undefined) {
    const n = t.length;
    return (s) => (s == null ? null : truncateCodePoints(s, n));
  }
  if (t.name === 'char') {
    const n = t.length ?? 255;
    return (s) => (s == null ? null : toCharValue(s, n));
  }
  return (s) => s ?? null;
}

function lazyParser(t: HiveType): FieldParser {
  switch (t.name) {
    case 'string':
    case 'varchar':
    case 'char':
      return textParser(t);
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint': {
      const [min, max] = RANGES[t.name]!;
      return (s) => (s == null || !isNumberMaybe(s) ? null : lazyParseIntegral(s, false, min, max));
    }
    case 'float':
      return (s) => (s == null || !isNumberMaybe(s) ? null : parseJavaFloat(s));
    case 'double':
      return (s) => (s == null || !isNumberMaybe(s) ? null : parseJavaDouble(s));
    case 'boolean':
      return (s) => {
        if (s == null) return null;
        if (s.length === 4) return matchIgnoreCaseAscii(s, 'TRUE') ? true : null;
        if (s.length === 5) return matchIgnoreCaseAscii(s, 'FALSE') ? false : null;
        return null;
      };
    case 'date':
      return (s) => (s == null || s.length < 8 ? null : parseHiveDate(s));
    case 'timestamp':
      return (s) => (s == null || s.length < 8 || s === 'NULL' ? null : parseHiveTimestamp(s));
    case 'decimal': {
      const p = t.length ?? 10;
      const sc = t.scale ?? 0;
      return (s) => {
        if (s == null) return null;
        const d = parseDecimalText(s, false);
        const r = d && enforce(d, p, sc);
        return r ? decToNumber(r) : null;
      };
    }
    case 'array<string>':
      return (s) => (s == null ? null : s.length === 0 ? [] : s.split('\x02'));
    default:
      return () => null;
  }
}

/** Character.toUpperCase on each char compared with an upper-case ASCII word. */
function matchIgnoreCaseAscii(s: string, upper: string): boolean {
  for (let i = 0; i < upper.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) c -= 32;
    if (c !== upper.charCodeAt(i)) return false;
  }
  return true;
}

function regexParser(t: HiveType): FieldParser {
  switch (t.name) {
    case 'string':
    case 'varchar':
    case 'char':
      return textParser(t);
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint': {
      const [min, max] = RANGES[t.name]!;
      return (s) => (s == null ? null : parseJavaIntegral(s, min, max));
    }
    case 'float':
      return (s) => (s == null ? null : parseJavaFloat(s));
    case 'double':
      return (s) => (s == null ? null : parseJavaDouble(s));
    case 'boolean':
      // Boolean.valueOf(null) is false too.
      return (s) => s != null && s.length === 4 && matchIgnoreCaseAscii(s, 'TRUE');
    case 'date':
      return (s) => (s == null ? null : parseHiveDate(s));
    case 'timestamp':
      return (s) => (s == null ? null : parseHiveTimestamp(s));
    case 'decimal': {
      const p = t.length ?? 10;
      const sc = t.scale ?? 0;
      return (s) => {
        if (s == null) return null;
        const d = parseDecimalText(s, true);
        const r = d && enforce(d, p, sc);
        return r ? decToNumber(r) : null;
      };
    }
    default:
      return () => null;
  }
}

// ---------------------------------------------------------------------------
// Ordering

/** UTF-16 code unit mapped so that comparing units orders by code point (as UTF-8 bytes do). */
function fixup(c: number): number {
  return c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c;
}

/** Strings in UTF-8 byte order (= code point order). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
      return fixup(x) < fixup(y) ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/**
 * Order of two non-NULL values of the same type: numbers numerically (as
 * Double.compare: -0.0 < 0.0, NaN above everything), strings by code point,
 * false < true, arrays element by element.
 */
export function compareValues(a: HiveValue, b: HiveValue): number {
  if (typeof a === 'number') {
    const y = b as number;
    if (a < y) return -1;
    if (a > y) return 1;
    if (a === y) {
      if (a !== 0) return 0;
      const na = Object.is(a, -0);
      const nb = Object.is(y, -0);
      return na === nb ? 0 : na ? -1 : 1;
    }
    const an = a !== a;
    const bn = y !== y;
    return an === bn ? 0 : an ? 1 : -1;
  }
  if (typeof a === 'string') return compareStrings(a, b as string);
  if (typeof a === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (Array.isArray(a)) {
    const x = a as readonly string[];
    const y = b as readonly string[];
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      const c = compareStrings(x[i]!, y[i]!);
      if (c !== 0) return c;
    }
    return x.length - y.length < 0 ? -1 : x.length > y.length ? 1 : 0;
  }
  return 0;
}

/** Ascending sort order with NULL first (Hive's default NULLS FIRST for ASC). */
export function compareForSort(a: HiveValue, b: HiveValue): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  return compareValues(a, b);
}
