import { spawnSync } from 'node:child_process';
import { createReadStream, mkdirSync, openSync, closeSync, writeSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareKeyTuples } from '../src/engine/keys.js';
import { HiveSession } from '../src/engine/session.js';
import type { HiveValue } from '../src/hive/types.js';
import { HiveVariables } from '../src/hive/script.js';
import { tempDir } from './helpers.js';

const DISTINCT_KEYS = 2_000_000;

describe('bounded memory: a GROUP BY with 2 million keys under --memory 64m', () => {
  const dir = tempDir();
  const input = path.join(dir, 'in');
  const output = path.join(dir, 'out');

  beforeAll(() => {
    // 2.5 million lines over 2 million distinct keys, in scrambled order.
    mkdirSync(input, { recursive: true });
    const fd = openSync(path.join(input, 'data.tsv'), 'w');
    let buf = '';
    for (let i = 0; i < 2_500_000; i++) {
      buf += `k${(i * 7919) % DISTINCT_KEYS}\t${i % 7}\n`;
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    }
    writeSync(fd, buf);
    closeSync(fd);
  });

  it('finishes with the answer DuckDB gives, key-ordered, after spilling to disk', async () => {
    // Arrange
    const script = path.join(dir, 'keys.q');
    const sql = `CREATE EXTERNAL TABLE t (k STRING, v INT) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' LOCATION '${input}';
INSERT OVERWRITE DIRECTORY '${output}' SELECT k, COUNT(*), SUM(v) FROM t GROUP BY k;`;
    (await import('node:fs')).writeFileSync(script, sql);

    // Act: the real CLI, so the budget also bounds the V8 heap.
    const run = spawnSync(process.execPath, ['bin/loghive.js', 'run', '-f', script, '--memory', '64m'], { encoding: 'utf8' });

    // Assert
    expect(run.status, run.stderr).toBe(0);
    const spills = Number(/Spills \(sorted runs written to disk\)\s+([\d,]+)/.exec(run.stderr)?.[1]?.replace(/,/g, ''));
    expect(spills).toBeGreaterThan(0);
    expect(readdirSync(output)).toEqual(['000000_0']);

    const duck = await DuckDBInstance.create(':memory:');
    const db = await duck.connect();
    await db.run(`CREATE TABLE expected AS SELECT k, count(*) AS c, sum(v) AS s FROM read_csv('${path.join(input, 'data.tsv')}', delim='\\t', header=false, quote='', auto_detect=false, columns={'k': 'VARCHAR', 'v': 'INTEGER'}) GROUP BY k`);
    await db.run(`CREATE TABLE actual AS SELECT * FROM read_csv('${path.join(output, '000000_0')}', delim=E'\\x01', header=false, quote='', auto_detect=false, columns={'k': 'VARCHAR', 'c': 'BIGINT', 's': 'BIGINT'})`);
    const count = async (q: string) => Number((await db.runAndReadAll(q)).getRows()[0]![0]);
    expect(await count('SELECT count(*) FROM actual')).toBe(DISTINCT_KEYS);
    expect(await count('SELECT count(*) FROM (SELECT * FROM expected EXCEPT ALL SELECT * FROM actual)')).toBe(0);
    expect(await count('SELECT count(*) FROM (SELECT * FROM actual EXCEPT ALL SELECT * FROM expected)')).toBe(0);
    db.closeSync();

    // Hive's reducer writes its groups in key order.
    let previous = '';
    let ordered = true;
    for await (const line of createInterface({ input: createReadStream(path.join(output, '000000_0')) })) {
      const key = line.slice(0, line.indexOf('\u0001'));
      if (key <= previous) ordered = false;
      previous = key;
    }
    expect(ordered).toBe(true);
  }, 180_000);

  it('counts 2 million distinct values in one group, with the distinct values in the shuffle key', async () => {
    // Arrange
    const script = path.join(dir, 'distinct.q');
    const global = path.join(dir, 'global');
    const sql = `CREATE EXTERNAL TABLE t (k STRING, v INT) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' LOCATION '${input}';
INSERT OVERWRITE DIRECTORY '${global}' SELECT COUNT(DISTINCT k), COUNT(*), SUM(DISTINCT v) FROM t;`;
    (await import('node:fs')).writeFileSync(script, sql);

    // Act
    const run = spawnSync(process.execPath, ['bin/loghive.js', 'run', '-f', script, '--memory', '64m'], { encoding: 'utf8' });

    // Assert
    expect(run.status, run.stderr).toBe(0);
    const spills = Number(/Spills \(sorted runs written to disk\)\s+([\d,]+)/.exec(run.stderr)?.[1]?.replace(/,/g, ''));
    expect(spills).toBeGreaterThan(0);
    const duck = await DuckDBInstance.create(':memory:');
    const db = await duck.connect();
    const source = `read_csv('${path.join(input, 'data.tsv')}', delim='\\t', header=false, quote='', auto_detect=false, columns={'k': 'VARCHAR', 'v': 'INTEGER'})`;
    const expectedGlobal = (await db.runAndReadAll(`SELECT count(DISTINCT k), count(*), sum(DISTINCT v) FROM ${source}`)).getRows()[0]!.map(String).join('\u0001');
    db.closeSync();
    const text = (dirPath: string) => readdirSync(dirPath).sort().map((f) => readFileSync(path.join(dirPath, f), 'utf8')).join('');
    expect(text(global)).toBe(`${expectedGlobal}\n`);
    expect(expectedGlobal.startsWith(`${DISTINCT_KEYS}\u0001`)).toBe(true);
  }, 180_000);
});

describe('spilling gives the same answer as working in memory', () => {
  const dir = tempDir();
  const data = path.join(dir, 'people');

  beforeAll(() => {
    mkdirSync(data, { recursive: true });
    for (let f = 0; f < 3; f++) {
      const fd = openSync(path.join(data, `part-${f}`), 'w');
      let buf = '';
      for (let i = 0; i < 20_000; i++) {
        const n = f * 20_000 + i;
        // Some NULLs, repeated values, and non-ASCII keys, to exercise ordering and DISTINCT across spills.
        buf += `${n % 997 === 0 ? '\\N' : `u${(n * 31) % 9000}${n % 13 === 0 ? 'é' : ''}`},${n % 5},${n % 11 === 0 ? '\\N' : (n * 7) % 1000}\n`;
      }
      writeSync(fd, buf);
      closeSync(fd);
    }
  });

  const queries = {
    'GROUP BY with COUNT(DISTINCT)': 'SELECT a, COUNT(*), COUNT(DISTINCT c), SUM(c), MIN(c), MAX(c), AVG(c) FROM t GROUP BY a',
    'ORDER BY … LIMIT': 'SELECT a, c FROM t ORDER BY c DESC, a LIMIT 2500',
    'ORDER BY everything': 'SELECT a, b, c FROM t ORDER BY a, c NULLS LAST, b',
    'map-only': 'SELECT a, c FROM t WHERE b = 2',
    'GROUP BY then ORDER BY': 'SELECT b, COUNT(DISTINCT a) AS n FROM t GROUP BY b ORDER BY n DESC',
    'several DISTINCT argument lists': 'SELECT b, COUNT(DISTINCT a), COUNT(DISTINCT c), SUM(DISTINCT c), COUNT(DISTINCT a, c), AVG(DISTINCT c), COUNT(*), SUM(c) FROM t GROUP BY b',
    'global aggregate with DISTINCT': 'SELECT COUNT(DISTINCT a), SUM(DISTINCT c), MIN(DISTINCT a), COUNT(c), COUNT(*) FROM t',
  };

  it.each(Object.entries(queries))('%s', async (_name, query) => {
    // Arrange
    const run = async (memoryBytes: number, workers: number) => {
      let stdout = '';
      const session = new HiveSession({ variables: new HiveVariables({}), memoryBytes, workers, splitSize: 200_000, stdout: (s) => (stdout += s), stderr: () => {} });
      const result = await session.run(`CREATE EXTERNAL TABLE t (a STRING, b INT, c INT) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '${data}';\n${query};`);
      return { stdout, spills: result.counters.get('spills') };
    };

    // Act
    const inMemory = await run(4 * 2 ** 30, 1);
    const spilledHere = await run(2 * 2 ** 20, 1);
    const spilledInWorkers = await run(2 * 2 ** 20, 2);

    // Assert
    expect(inMemory.spills).toBe(0);
    expect(spilledHere.spills).toBeGreaterThan(0);
    expect(spilledHere.stdout).toBe(inMemory.stdout);
    expect(spilledInWorkers.stdout).toBe(inMemory.stdout);
    expect(inMemory.stdout.length).toBeGreaterThan(0);
  });
});

describe('the same output files for any workers, split size and memory budget, and DuckDB agrees', () => {
  const dir = tempDir();
  const data = path.join(dir, 'rows');
  const source = `read_csv('${path.join(data, 'part-*')}', delim='\\t', header=false, quote='', escape='', nullstr='\\N', auto_detect=false, columns={'n': 'BIGINT', 'k': 'VARCHAR', 'v': 'INTEGER'})`;

  beforeAll(() => {
    // 160,000 rows over ~100,000 keys (NULLs and non-ASCII among them) in two files.
    mkdirSync(data, { recursive: true });
    for (let f = 0; f < 2; f++) {
      let buf = '';
      for (let i = 0; i < 80_000; i++) {
        const n = f * 80_000 + i;
        const k = n % 1009 === 0 ? '\\N' : `key${(n * 7919) % 100_000}${n % 17 === 0 ? 'é' : n % 23 === 0 ? '😀' : ''}`;
        buf += `${n}\t${k}\t${n % 97}\n`;
      }
      writeFileSync(path.join(data, `part-${f}`), buf);
    }
  });

  const queries = {
    'GROUP BY with many groups': {
      hive: 'SELECT k, COUNT(*), SUM(v), MIN(n), MAX(v) FROM t GROUP BY k',
      duck: `SELECT k, count(*), sum(v), min(n), max(v) FROM ${source} GROUP BY k`,
      ordered: false,
      numericKey: false,
    },
    'COUNT(DISTINCT)': {
      hive: 'SELECT v, COUNT(DISTINCT k), COUNT(*) FROM t GROUP BY v',
      duck: `SELECT v, count(DISTINCT k), count(*) FROM ${source} GROUP BY v`,
      ordered: false,
      numericKey: true,
    },
    'ORDER BY … LIMIT': {
      hive: 'SELECT k, v, n FROM t ORDER BY v DESC, k, n LIMIT 20000',
      duck: `SELECT k, v, n FROM ${source} ORDER BY v DESC, k ASC NULLS FIRST, n LIMIT 20000`,
      ordered: true,
      numericKey: false,
    },
  };
  const settings = [
    { workers: 1, splitSize: 64 * 2 ** 20, memory: '512m' },
    { workers: 2, splitSize: 1 * 2 ** 20, memory: '64m' },
    { workers: 4, splitSize: 300_000, memory: '32m' },
    { workers: 1, splitSize: 700_000, memory: '32m' },
  ];

  it.each(Object.entries(queries))('%s', async (name, query) => {
    // Arrange
    const run = async (setting: (typeof settings)[number], i: number) => {
      const output = path.join(dir, `${name.replace(/\W+/g, '-')}-${i}`);
      const session = new HiveSession({ variables: new HiveVariables({}), memoryBytes: Number.parseInt(setting.memory, 10) * 2 ** 20, workers: setting.workers, splitSize: setting.splitSize, reducers: 3, stdout: () => {}, stderr: () => {} });
      const result = await session.run(`CREATE EXTERNAL TABLE t (n BIGINT, k STRING, v INT) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' LOCATION '${data}';
INSERT OVERWRITE DIRECTORY '${output}' ${query.hive};`);
      const files = readdirSync(output).sort();
      return { files: files.map((f) => [f, readFileSync(path.join(output, f), 'utf8')] as const), spills: result.counters.get('spills') };
    };
    const duck = await DuckDBInstance.create(':memory:');
    const db = await duck.connect();
    const expected = (await db.runAndReadAll(query.duck)).getRows().map((r) => r.map((v) => (v === null ? '\\N' : String(v))).join('\u0001'));
    db.closeSync();

    // Act
    const outcomes = [];
    for (const [i, s] of settings.entries()) outcomes.push(await run(s, i));

    // Assert: every file byte for byte as with the first setting; the small budgets spilled.
    for (const o of outcomes.slice(1)) expect(o.files).toEqual(outcomes[0]!.files);
    expect(outcomes[2]!.spills).toBeGreaterThan(0);
    const lines = outcomes[0]!.files.flatMap(([, text]) => text.split('\n').filter((l) => l !== ''));
    if (query.ordered) expect(lines).toEqual(expected);
    else expect([...lines].sort()).toEqual([...expected].sort());
    // Each reducer's file holds its groups in key order (NULL first, numbers numerically, strings by code point).
    if (!query.ordered) {
      expect(outcomes[0]!.files.length).toBe(3);
      for (const [, text] of outcomes[0]!.files) {
        const keys = text.split('\n').filter((l) => l !== '').map((l): HiveValue => {
          const k = l.split('\u0001')[0]!;
          return k === '\\N' ? null : query.numericKey ? Number(k) : k;
        });
        expect(keys.length).toBeGreaterThan(0);
        for (let i = 1; i < keys.length; i++) expect(compareKeyTuples([keys[i - 1]!], [keys[i]!])).toBe(-1);
      }
    }
  }, 120_000);
});
