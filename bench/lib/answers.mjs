// @ts-check
/** Reading answers (Hive text: ^A between columns, \N for NULL) and comparing them. */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

/**
 * @param {string} file
 * @returns {string[][]}
 */
export function readRows(file) {
  const text = readFileSync(file, 'latin1');
  if (text === '') return [];
  return text.replace(/\n$/, '').split('\n').map((line) => line.split('\u0001'));
}

/**
 * How many rows of `answer` differ from `reference`.
 * Ordered queries (ORDER BY ... LIMIT): rows are compared whole, as multisets,
 * so one wrong row that shifts the ones below it counts once; the larger of
 * "reference rows missing" and "extra rows" is returned. A same-rows answer in
 * another order is reported through `orderDiffers`.
 * Unordered (GROUP BY without ORDER BY): rows are matched by their first
 * column, the group key; a key on one side only, or with other values, counts once.
 * @param {string[][]} answer
 * @param {string[][]} reference
 * @param {boolean} ordered
 * @returns {{ rows: number, orderDiffers: boolean }}
 */
export function compareRows(answer, reference, ordered) {
  const join = (/** @type {string[]} */ row) => row.join('\u0001');
  if (ordered) {
    /** @type {Map<string, number>} */
    const counts = new Map();
    for (const row of reference) counts.set(join(row), (counts.get(join(row)) ?? 0) + 1);
    let extra = 0;
    for (const row of answer) {
      const k = join(row);
      const c = counts.get(k) ?? 0;
      if (c > 0) counts.set(k, c - 1);
      else extra++;
    }
    let missing = 0;
    for (const c of counts.values()) missing += c;
    const rows = Math.max(extra, missing);
    const orderDiffers = rows === 0 && answer.some((row, i) => join(row) !== join(reference[i]));
    return { rows, orderDiffers };
  }
  /** @param {string[][]} list */
  const byKey = (list) => {
    /** @type {Map<string, string[]>} */
    const map = new Map();
    for (const row of list) {
      const group = map.get(row[0]) ?? [];
      group.push(join(row));
      map.set(row[0], group);
    }
    return map;
  };
  const a = byKey(answer);
  const r = byKey(reference);
  let rows = 0;
  for (const key of new Set([...a.keys(), ...r.keys()])) {
    if ((a.get(key) ?? []).sort().join('\n') !== (r.get(key) ?? []).sort().join('\n')) rows++;
  }
  return { rows, orderDiffers: false };
}

/**
 * "yes", "no (N rows differ)" or "no (same rows, other order)".
 * @param {string[][]} answer
 * @param {string[][]} reference
 * @param {boolean} ordered
 */
export function equalsText(answer, reference, ordered) {
  const { rows, orderDiffers } = compareRows(answer, reference, ordered);
  if (rows > 0) return `no (${rows} row${rows === 1 ? '' : 's'} differ${rows === 1 ? 's' : ''})`;
  return orderDiffers ? 'no (same rows, other order)' : 'yes';
}

/**
 * @typedef {object} Digest
 * @property {number} rows   lines in the answer
 * @property {number} total  sum of the last column over the rows (the counts; rows whose last column is not a whole number add nothing)
 * @property {string} hash   order-independent hash of the rows: two 32-bit hashes of each line, each summed modulo 2^32
 */

/** fmix32 of MurmurHash3: spreads a 32-bit hash's bits before it is summed. @param {number} h */
function mix(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A digest of a Hive text answer too big to hold as rows (millions of groups),
 * read in 4 MiB chunks. Summing per-row hashes makes it independent of row
 * order (the GROUP BY has none) without sorting, while a changed, missing or
 * duplicated row still changes it: two answers with equal digests hold the
 * same multiset of rows, short of a 64-bit coincidence.
 * @param {string} file
 * @returns {Digest}
 */
export function digestRows(file) {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  let rows = 0;
  let total = 0;
  let sumA = 0;
  let sumB = 0;
  // State of the line being read, which may straddle chunks.
  let a = 0x811c9dc5; // FNV-1a
  let b = 0x9747b28c; // a multiply-xorshift hash with another seed and multiplier
  let lineBytes = 0;
  let field = 0; // the value of the last field so far, if all digits
  let fieldIsNumber = false;
  let fieldStarts = true;
  const endLine = () => {
    rows++;
    sumA = (sumA + mix(a ^ lineBytes)) >>> 0;
    sumB = (sumB + mix(b ^ Math.imul(lineBytes, 0x27d4eb2d))) >>> 0;
    if (fieldIsNumber) total += field;
    a = 0x811c9dc5;
    b = 0x9747b28c;
    lineBytes = 0;
    field = 0;
    fieldIsNumber = false;
    fieldStarts = true;
  };
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      for (let i = 0; i < n; i++) {
        const c = buffer[i];
        if (c === 0x0a) {
          endLine();
          continue;
        }
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x5bd1e995);
        b ^= b >>> 15;
        if (c === 0x01) {
          field = 0;
          fieldStarts = true;
        } else if (c >= 0x30 && c <= 0x39 && (fieldStarts || fieldIsNumber)) {
          field = field * 10 + (c - 0x30);
          fieldIsNumber = true;
          fieldStarts = false;
        } else {
          fieldIsNumber = false;
          fieldStarts = false;
        }
        lineBytes++;
      }
    }
    // A last line without its newline.
    if (lineBytes > 0) endLine();
  } finally {
    closeSync(fd);
  }
  const hex = (/** @type {number} */ x) => x.toString(16).padStart(8, '0');
  return { rows, total, hash: hex(sumA) + hex(sumB) };
}

/**
 * "yes", or what differs between two digests.
 * @param {Digest} answer
 * @param {Digest} reference
 */
export function digestEqualsText(answer, reference) {
  if (answer.rows === reference.rows && answer.total === reference.total && answer.hash === reference.hash) return 'yes';
  if (answer.rows === reference.rows && answer.total === reference.total) return 'no (same row count and total, other rows)';
  const diff = (/** @type {number} */ x, /** @type {number} */ y) => `${x - y >= 0 ? '+' : ''}${(x - y).toLocaleString('en-US')}`;
  return `no (${diff(answer.rows, reference.rows)} rows, ${diff(answer.total, reference.total)} counted)`;
}
