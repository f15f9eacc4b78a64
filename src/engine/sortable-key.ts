import type { HiveValue } from '../hive/types.js';
import type { SortKey } from '../plan/plan.js';

/**
 * Sortable binary keys (Hive's BinarySortableSerDe idea): a key tuple becomes
 * bytes whose unsigned byte order is the shuffle's order (compareKeyTuples:
 * each column ascending, NULL first; Double.compare for numbers; strings as
 * compareStrings orders them). The bytes are held as a latin1 string, one
 * char per byte, so that JS `<`, the comparator-less Array.prototype.sort()
 * and Map lookups all work on them natively.
 *
 * A column is a presence byte (NULL first, value, NULL last), then for a
 * value a type byte and its payload:
 * - boolean: one byte;
 * - number: 8 bytes of big-endian IEEE-754, sign bit flipped for positives and
 *   every bit flipped for negatives (so -0 < 0, and the canonical NaN sorts
 *   above +Infinity, as Double.compare has it);
 * - string: each UTF-16 code unit, mapped as compareStrings maps it (surrogates
 *   above U+E000..U+FFFF, which is code-point order for well-formed text),
 *   written in UTF-8's order-preserving 1–3 byte form; 0x00 and 0x01 escaped
 *   as 0x01 0x01 and 0x01 0x02, then a 0x00 terminator, so that the code is
 *   prefix-free and a prefix sorts first. Coding code units rather than code
 *   points makes lone surrogates round-trip and order exactly as compareStrings
 *   orders them (WTF-8 would put them below U+E000). ASCII text without 0x00
 *   and 0x01 is its own code, which makes the common key cheap to build;
 * - array of strings: 0x02 before each element's string code, 0x01 at the end.
 * A descending column (ORDER BY … DESC) has everything after its presence byte
 * inverted: for a prefix-free code that reverses the order.
 */

const NULL_FIRST = 0x01;
const PRESENT = 0x02;
const NULL_LAST = 0x03;
const BOOLEAN = 0x10;
const NUMBER = 0x20;
const STRING = 0x30;
const ARRAY = 0x40;
const ELEMENT = 0x02;
const ARRAY_END = 0x01;

const C_NULL_FIRST = String.fromCharCode(NULL_FIRST);
const C_NULL_LAST = String.fromCharCode(NULL_LAST);
const C_PRESENT = String.fromCharCode(PRESENT);
const C_STRING = C_PRESENT + String.fromCharCode(STRING);

/** A key that is not the code of any tuple (a bug, or bytes from elsewhere). */
export class MalformedKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedKeyError';
  }
}

/** The shuffle key of a tuple: each value ascending, NULL first. */
export function encodeKeyTuple(values: readonly HiveValue[], count = values.length): string {
  let key = '';
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    // Strings are almost every group key: skip the generic path for them.
    key += typeof v === 'string' ? C_STRING + stringCode(v) : v === null ? C_NULL_FIRST : C_PRESENT + valueCode(v);
  }
  return key;
}

/** ORDER BY's key of a row: its sort columns, each ascending or descending, NULLs first or last. */
export function encodeOrderKey(row: readonly HiveValue[], keys: readonly SortKey[]): string {
  let key = '';
  for (const k of keys) {
    const v = row[k.index]!;
    if (v === null) key += k.nullsFirst ? C_NULL_FIRST : C_NULL_LAST;
    else key += C_PRESENT + (k.descending ? invert(valueCode(v)) : valueCode(v));
  }
  return key;
}

/** The values of an encodeKeyTuple key. */
export function decodeKeyTuple(key: string): HiveValue[] {
  const values: HiveValue[] = [];
  const cursor = { pos: 0 };
  while (cursor.pos < key.length) values.push(readColumn(key, cursor));
  return values;
}

/** The length of the code of the first `n` columns of an encodeKeyTuple key (the group keys before a DISTINCT tag). */
export function keyPrefixLength(key: string, n: number): number {
  let pos = 0;
  for (let i = 0; i < n; i++) pos = skipColumn(key, pos);
  return pos;
}

function valueCode(v: Exclude<HiveValue, null>): string {
  if (typeof v === 'string') return String.fromCharCode(STRING) + stringCode(v);
  if (typeof v === 'number') return String.fromCharCode(NUMBER) + numberCode(v);
  if (typeof v === 'boolean') return String.fromCharCode(BOOLEAN, v ? 1 : 0);
  let s = String.fromCharCode(ARRAY);
  for (const e of v) s += String.fromCharCode(ELEMENT) + stringCode(e);
  return s + String.fromCharCode(ARRAY_END);
}

function invert(code: string): string {
  const out = new Array<number>(code.length);
  for (let i = 0; i < code.length; i++) out[i] = 0xff - code.charCodeAt(i);
  return charCodes(out);
}

const numberView = new DataView(new ArrayBuffer(8));
/** Double.compare treats every NaN as one value above +Infinity: one canonical code for it. */
const NAN_CODE = (() => {
  numberView.setUint32(0, 0x7ff80000);
  numberView.setUint32(4, 0);
  return flipNumberBytes();
})();

function numberCode(v: number): string {
  if (v !== v) return NAN_CODE;
  numberView.setFloat64(0, v);
  return flipNumberBytes();
}

function flipNumberBytes(): string {
  const negative = numberView.getUint8(0) >= 0x80;
  const b = new Array<number>(8);
  for (let i = 0; i < 8; i++) {
    const x = numberView.getUint8(i);
    b[i] = negative ? 0xff - x : i === 0 ? x | 0x80 : x;
  }
  return charCodes(b);
}

function readNumber(key: string, pos: number): number {
  const negative = key.charCodeAt(pos) < 0x80;
  for (let i = 0; i < 8; i++) {
    const x = key.charCodeAt(pos + i);
    numberView.setUint8(i, negative ? 0xff - x : i === 0 ? x & 0x7f : x);
  }
  return numberView.getFloat64(0);
}

/** Strings that are their own code: printable ASCII and controls other than 0x00 and 0x01. */
const NEEDS_CODING = /[^\x02-\x7f]/;

/** compareStrings' code-unit map: surrogates above U+E000..U+FFFF. */
function orderOfUnit(c: number): number {
  return c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c;
}

function unitOfOrder(v: number): number {
  return v >= 0xf800 ? v - 0x2000 : v >= 0xd800 ? v + 0x800 : v;
}

function stringCode(s: string): string {
  if (!NEEDS_CODING.test(s)) return s + '\u0000';
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const v = orderOfUnit(s.charCodeAt(i));
    if (v < 2) out.push(0x01, v + 1);
    else if (v < 0x80) out.push(v);
    else if (v < 0x800) out.push(0xc0 | (v >> 6), 0x80 | (v & 0x3f));
    else out.push(0xe0 | (v >> 12), 0x80 | ((v >> 6) & 0x3f), 0x80 | (v & 0x3f));
  }
  out.push(0);
  return charCodes(out);
}

/** Reads a string code at cursor.pos, leaving the cursor after its terminator. */
function readString(key: string, cursor: { pos: number }): string {
  let pos = cursor.pos;
  const end = key.indexOf('\u0000', pos);
  if (end < 0) throw new MalformedKeyError('unterminated string in a key');
  cursor.pos = end + 1;
  const plain = key.slice(pos, end);
  if (!/[\x01\x80-\xff]/.test(plain)) return plain;
  const units: number[] = [];
  while (pos < end) {
    const b = key.charCodeAt(pos);
    if (b === 0x01) {
      units.push(key.charCodeAt(pos + 1) - 1);
      pos += 2;
    } else if (b < 0x80) {
      units.push(b);
      pos++;
    } else if (b < 0xe0) {
      units.push(unitOfOrder(((b & 0x1f) << 6) | (key.charCodeAt(pos + 1) & 0x3f)));
      pos += 2;
    } else {
      units.push(unitOfOrder(((b & 0x0f) << 12) | ((key.charCodeAt(pos + 1) & 0x3f) << 6) | (key.charCodeAt(pos + 2) & 0x3f)));
      pos += 3;
    }
  }
  return charCodes(units);
}

function readColumn(key: string, cursor: { pos: number }): HiveValue {
  const presence = key.charCodeAt(cursor.pos++);
  if (presence === NULL_FIRST || presence === NULL_LAST) return null;
  if (presence !== PRESENT) throw new MalformedKeyError(`bad presence byte ${presence} in a key`);
  const type = key.charCodeAt(cursor.pos++);
  switch (type) {
    case STRING:
      return readString(key, cursor);
    case NUMBER: {
      const v = readNumber(key, cursor.pos);
      cursor.pos += 8;
      return v;
    }
    case BOOLEAN:
      return key.charCodeAt(cursor.pos++) === 1;
    case ARRAY: {
      const items: string[] = [];
      while (key.charCodeAt(cursor.pos++) === ELEMENT) items.push(readString(key, cursor));
      return items;
    }
    default:
      throw new MalformedKeyError(`bad type byte ${type} in a key`);
  }
}

function skipColumn(key: string, pos: number): number {
  const presence = key.charCodeAt(pos++);
  if (presence !== PRESENT) return pos;
  const type = key.charCodeAt(pos++);
  switch (type) {
    case STRING:
      return key.indexOf('\u0000', pos) + 1;
    case NUMBER:
      return pos + 8;
    case BOOLEAN:
      return pos + 1;
    case ARRAY:
      while (key.charCodeAt(pos++) === ELEMENT) pos = key.indexOf('\u0000', pos) + 1;
      return pos;
    default:
      throw new MalformedKeyError(`bad type byte ${type} in a key`);
  }
}

/** String.fromCharCode over an array of codes, in slices (argument counts are limited). */
function charCodes(codes: readonly number[]): string {
  if (codes.length <= 8192) return String.fromCharCode(...codes);
  let s = '';
  for (let i = 0; i < codes.length; i += 8192) s += String.fromCharCode(...codes.slice(i, i + 8192));
  return s;
}
