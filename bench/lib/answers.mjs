// @ts-check
/** Reading answers (Hive text: ^A between columns, \N for NULL) and comparing them. */
import { readFileSync } from 'node:fs';

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
