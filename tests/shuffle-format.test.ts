import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareKeyTuples, rowComparator } from '../src/engine/keys.js';
import { RunReader, RunWriter, type RunSource } from '../src/engine/run-file.js';
import { mergeRuns, reduceToFanIn } from '../src/engine/run-merge.js';
import { decodeKeyTuple, encodeKeyTuple, encodeOrderKey, keyPrefixLength } from '../src/engine/sortable-key.js';
import { ByteReader, ByteWriter } from '../src/engine/value-codec.js';
import { Random } from '../src/generate/random.js';
import type { HiveValue } from '../src/hive/types.js';
import type { SortKey } from '../src/plan/plan.js';
import { tempDir } from './helpers.js';

const NUMBERS = [0, -0, 1, -1, 0.5, -0.5, 2 ** 31, -(2 ** 31), 2 ** 53, -(2 ** 53), 1e-310, -1e-310, Number.MAX_VALUE, -Number.MAX_VALUE, Infinity, -Infinity, NaN, 3, 42, 1e100];
const STRING_PIECES = ['', 'a', 'ab', 'b', 'A', 'z', '\u0000', '\u0001', '\u0002', '\u007f', '\u0080', 'é', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '😀', '𐀀', '\ud800', '\udbff', '\udc00', '\udfff', '/index.html', ' '];

/** A string from a few pieces, so that prefixes, escapes, astral chars and lone surrogates meet each other. */
function randomString(random: Random): string {
  let s = '';
  const n = random.uint32() % 4;
  for (let i = 0; i < n; i++) s += STRING_PIECES[random.uint32() % STRING_PIECES.length];
  return s;
}

/** A value of one column's type, or NULL now and then. */
function randomValue(random: Random, type: number): HiveValue {
  if (random.uint32() % 6 === 0) return null;
  switch (type) {
    case 0:
      return randomString(random);
    case 1:
      return NUMBERS[random.uint32() % NUMBERS.length]!;
    case 2:
      return random.uint32() % 2 === 0;
    default:
      return Array.from({ length: random.uint32() % 3 }, () => randomString(random));
  }
}

/** Tuples whose columns have fixed types (as a query's keys do), drawn from small pools so that ties and shared prefixes are common. */
function corpus(seed: number, count: number, types: readonly number[]): HiveValue[][] {
  const random = new Random(seed);
  return Array.from({ length: count }, () => types.map((t) => randomValue(random, t)));
}

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const LAYOUTS = [[0], [1], [2], [3], [0, 1], [1, 0, 2], [0, 0, 3], [3, 1, 0, 2]];

describe('sortable keys', () => {
  it.each(LAYOUTS.map((l) => [l.join(',')] as const))('byte order equals compareKeyTuples, and keys decode to their values (column types %s)', (layout) => {
    // Arrange
    const types = layout.split(',').map(Number);
    const tuples = corpus(7 + types.length, 400, types);

    // Act
    const keys = tuples.map((t) => encodeKeyTuple(t));

    // Assert
    const misordered: string[] = [];
    for (let i = 0; i < tuples.length; i++) {
      const back = decodeKeyTuple(keys[i]!);
      expect(back).toEqual(tuples[i]);
      // toEqual does not tell -0 from 0.
      for (const [j, v] of back.entries()) if (typeof v === 'number') expect(Object.is(v, tuples[i]![j])).toBe(true);
      expect(keys[i]!).toMatch(/^[\x00-\xff]*$/);
      for (let j = 0; j < tuples.length; j++) {
        if (compareStrings(keys[i]!, keys[j]!) !== sign(compareKeyTuples(tuples[i]!, tuples[j]!))) misordered.push(`${JSON.stringify(tuples[i])} vs ${JSON.stringify(tuples[j])}`);
      }
    }
    expect(misordered).toEqual([]);
  });

  it('sorts with the comparator-less Array.prototype.sort as compareKeyTuples sorts', () => {
    // Arrange
    const tuples = corpus(99, 3000, [0, 1]);

    // Act
    const byKey = tuples.map((t) => encodeKeyTuple(t)).sort().map(decodeKeyTuple);

    // Assert
    expect(byKey).toEqual([...tuples].sort(compareKeyTuples));
  });

  it('finds the group-key prefix of a key with a DISTINCT tag and values', () => {
    // Arrange
    const tuples = corpus(5, 300, [3, 1, 0, 2]);

    // Act / Assert
    for (const t of tuples) {
      const key = encodeKeyTuple(t);
      for (let n = 0; n <= t.length; n++) expect(key.slice(0, keyPrefixLength(key, n))).toBe(encodeKeyTuple(t, n));
    }
  });

  it('ORDER BY keys order rows as rowComparator does, for every direction and NULL placement', () => {
    // Arrange
    const rows = corpus(13, 300, [0, 1, 3, 2]);
    const orders: SortKey[][] = [];
    for (let bits = 0; bits < 16; bits++) {
      orders.push([
        { index: 1, descending: (bits & 1) !== 0, nullsFirst: (bits & 2) !== 0, text: 'b' },
        { index: 0, descending: (bits & 4) !== 0, nullsFirst: (bits & 8) !== 0, text: 'a' },
        { index: 2, descending: (bits & 1) === 0, nullsFirst: (bits & 8) === 0, text: 'c' },
        { index: 3, descending: (bits & 2) !== 0, nullsFirst: true, text: 'd' },
      ]);
    }

    for (const order of orders) {
      // Act
      const compare = rowComparator(order);
      const keys = rows.map((r) => encodeOrderKey(r, order));

      // Assert
      const misordered: string[] = [];
      for (let i = 0; i < rows.length; i++) {
        for (let j = 0; j < rows.length; j++) if (compareStrings(keys[i]!, keys[j]!) !== sign(compare(rows[i]!, rows[j]!))) misordered.push(`${JSON.stringify(rows[i])} vs ${JSON.stringify(rows[j])}`);
      }
      expect(misordered).toEqual([]);
    }
  });
});

describe('run records', () => {
  it('round-trip every value exactly: -0, NaN, ±Infinity, lone surrogates, arrays, NULL', () => {
    // Arrange
    const random = new Random(3);
    const rows = [...corpus(21, 500, [0, 1, 2, 3, 1, 0]), [], [null], ['x'.repeat(100_000) + '\ud800'], [2 ** 31 - 1, -(2 ** 31), 2 ** 31, 0.1, -0, NaN]];
    const keys = rows.map(() => encodeKeyTuple([randomString(random)]));

    // Act
    const writer = new RunWriter();
    for (const [i, row] of rows.entries()) {
      writer.begin(keys[i]!).row(row);
      writer.end();
    }
    const reader = new RunReader(writer.bytes());
    const back: { key: string; row: HiveValue[] }[] = [];
    while (reader.next()) back.push({ key: reader.key, row: reader.payload().row() });

    // Assert
    expect(writer.count).toBe(rows.length);
    expect(back.map((b) => b.key)).toEqual(keys);
    expect(back.map((b) => b.row)).toEqual(rows);
    for (const [i, b] of back.entries()) for (const [j, v] of b.row.entries()) if (typeof v === 'number') expect(Object.is(v, rows[i]![j])).toBe(true);
  });

  it('read the same from a file in blocks smaller than a record as from memory', () => {
    // Arrange
    const dir = tempDir();
    const rows = corpus(8, 2000, [0, 3, 1]);
    const file = new RunWriter(path.join(dir, 'run'));
    const memory = new RunWriter();
    for (const row of rows) {
      for (const w of [file, memory]) {
        w.begin(encodeKeyTuple(row)).row(row);
        w.end();
      }
    }
    const read = (source: RunSource, block?: number) => {
      const reader = new RunReader(source, block);
      const out: [string, HiveValue[]][] = [];
      while (reader.next()) out.push([reader.key, reader.payload().row()]);
      return out;
    };

    // Act
    const fromFile = read(file.close(), 7);
    const fromMemory = read(memory.bytes());

    // Assert
    expect(fromFile).toEqual(fromMemory);
    expect(fromFile.length).toBe(rows.length);
  });

  it('encode values in the tagged codec and back', () => {
    // Arrange
    const values: HiveValue[] = [null, true, false, 0, -0, 1.5, -7, 2 ** 40, NaN, Infinity, -Infinity, '', 'ascii', 'é', '\u0100', '\udc00x', ['a', '😀', ''], []];
    const writer = new ByteWriter(1);

    // Act
    for (const v of values) writer.value(v);
    const reader = new ByteReader(writer.buf, 0);
    const back = values.map(() => reader.value());

    // Assert
    expect(reader.pos).toBe(writer.pos);
    expect(back).toEqual(values);
    for (const [i, v] of back.entries()) if (typeof v === 'number') expect(Object.is(v, values[i])).toBe(true);
  });
});

describe('bounded fan-in merge', () => {
  it('gives the same sequence as one big stable sort, whatever the fan-in', async () => {
    // Arrange: 23 sorted runs with many equal keys across runs; each record remembers its run and position.
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const random = new Random(17);
    const all: { key: string; run: number; i: number }[] = [];
    const runs: RunSource[] = [];
    for (let run = 0; run < 23; run++) {
      const records = Array.from({ length: random.uint32() % 400 }, (_, i) => ({ key: encodeKeyTuple([`k${random.uint32() % 300}`, random.uint32() % 3]), run, i }));
      records.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const writer = run % 4 === 0 ? new RunWriter() : new RunWriter(path.join(dir, `run-${run}`));
      for (const r of records) {
        writer.begin(r.key).row([r.run, r.i]);
        writer.end();
      }
      runs.push(writer.file === undefined ? writer.bytes() : writer.close());
      all.push(...records);
    }
    const expected = [...all].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((r) => `${r.key}|${r.run}|${r.i}`);
    let files = 0;

    for (const fanIn of [2, 3, 5, 100]) {
      // Act
      const { sources, removeIntermediate } = await reduceToFanIn(runs, fanIn, () => path.join(dir, `merged-${++files}`));
      const merged: string[] = [];
      await mergeRuns(sources, (r) => {
        const [run, i] = r.payload().row();
        merged.push(`${r.key}|${run}|${i}`);
      });
      removeIntermediate();

      // Assert
      expect(sources.length).toBeLessThanOrEqual(fanIn);
      expect(merged).toEqual(expected);
    }
  });
});
