import { spawnSync } from 'node:child_process';
import { createReadStream, mkdirSync, openSync, closeSync, writeSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { HiveSession } from '../src/engine/session.js';
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
