/**
 * Parity with an independent engine: every job in jobs/*.q, run by loghive, must
 * give exactly the rows DuckDB gives for the same question, on generated logs
 * that include malformed and odd lines. The DuckDB side (tests/parity/*.sql)
 * reads the raw files itself and encodes Hive 3.1's rules by hand; only the
 * final text formatting of DOUBLE borrows loghive's formatDouble.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLogFiles } from '../src/generate/index.js';
import { formatDouble } from '../src/hive/java-format.js';
import { parseHiveText, runScript } from './helpers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const JOBS_DIR = path.join(ROOT, 'jobs');
const SQL_DIR = path.join(ROOT, 'tests/parity');

/** The generated span is 2014-07-01 .. 2014-08-10 for every format: this range drops days at both ends. */
const FROM = '2014-07-05';
const TO = '2014-08-05';

/**
 * How each job's rows are compared. 'ordered': the job's ORDER BY is total (it
 * ends with the GROUP BY key, so no two rows tie) and the order itself is checked.
 * 'unordered': no ORDER BY, so the rows are compared as a sorted multiset.
 */
const COMPARE: Record<string, 'ordered' | 'unordered'> = {
  os_requests: 'unordered',
  daily_traffic: 'ordered',
  status_codes: 'ordered',
  top_uris: 'ordered',
  top_404_uris: 'ordered',
  hourly_requests: 'ordered',
  edge_bytes: 'ordered',
  browsers: 'ordered',
  unique_visitors: 'ordered',
  cloudfront_standard_status: 'ordered',
  combined_top_pages: 'ordered',
};

/**
 * Per table, which DuckDB rows are lines the SerDe rejected: a matched line
 * always has that string group, so NULL there means the all-NULL row of a
 * rejected line. LazySimpleSerDe never rejects a line.
 */
const REJECTED: Record<string, string> = {
  cloudfront_logs: '"time" IS NULL',
  combined_logs: 'remote_host IS NULL',
  cloudfront_standard_logs: 'false',
};

const JOB_NAMES = readdirSync(JOBS_DIR)
  .filter((f) => f.endsWith('.q'))
  .map((f) => f.slice(0, -2))
  .sort();

function substitute(sql: string, vars: Record<string, string>): string {
  return sql.replace(/\$\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

/** Hive's text for a DuckDB value: NULL as \N, DOUBLE as Java's Double.toString, the rest as is. */
function hiveText(value: DuckDBValue, type: DuckDBType): string {
  if (value === null) return '\\N';
  if (type.typeId === DuckDBTypeId.DOUBLE) return formatDouble(value as number);
  // BIGINT/HUGEINT come as bigint, INTEGER as number, DATE as yyyy-MM-dd, VARCHAR as string.
  return String(value);
}

/** Rows in a stable order, for comparing multisets. */
function sortRows(rows: string[][]): string[][] {
  return [...rows].sort((a, b) => {
    const x = a.join('\u0001');
    const y = b.join('\u0001');
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Every output file of a job, in file order (000000_0, 000001_0, ...), as rows of fields. */
function readJobOutput(dir: string): string[][] {
  const files = readdirSync(dir)
    .filter((f) => !f.startsWith('.') && !f.startsWith('_'))
    .sort();
  return files.flatMap((f) => parseHiveText(readFileSync(path.join(dir, f), 'utf8')));
}

describe('loghive gives the same rows as DuckDB for every job', () => {
  let tmp: string;
  let input: string;
  let output: string;
  let duck: DuckDBInstance;
  let db: DuckDBConnection;

  async function duckRows(sql: string): Promise<string[][]> {
    const reader = await db.runAndReadAll(sql);
    const types = reader.columnTypes();
    return reader.getRows().map((row) => row.map((v, i) => hiveText(v, types[i]!)));
  }

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'loghive-parity-'));
    input = path.join(tmp, 'in');
    output = path.join(tmp, 'out');
    // Odd lines at 3% (default 1%) so every kind of malformed line shows up a few times.
    await writeLogFiles({ format: 'cloudfront-sample', lines: 6_000, files: 4, seed: 7, oddRate: 0.03, out: path.join(input, 'cloudfront/data') });
    // Plain text rather than gzip: DuckDB's read_text cannot decompress, and the lines must be DuckDB's own reading.
    await writeLogFiles({ format: 'cloudfront', lines: 2_000, files: 2, seed: 7, oddRate: 0.03, gzip: false, out: path.join(input, 'cloudfront-standard') });
    await writeLogFiles({ format: 'combined', lines: 3_000, files: 2, seed: 7, oddRate: 0.03, out: path.join(input, 'combined') });

    duck = await DuckDBInstance.create(':memory:');
    db = await duck.connect();
    await db.run(readFileSync(path.join(SQL_DIR, '_hive_semantics.sql'), 'utf8'));
    await db.run(substitute(readFileSync(path.join(SQL_DIR, '_tables.sql'), 'utf8'), { INPUT: input }));
  });

  afterAll(() => {
    db?.closeSync();
    duck?.closeSync();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('knows how to compare every job in jobs/', () => {
    // Assert: a new job must be given a DuckDB query and a comparison mode.
    expect(JOB_NAMES.length).toBeGreaterThan(0);
    expect(JOB_NAMES).toEqual(Object.keys(COMPARE).sort());
    for (const job of JOB_NAMES) expect(readdirSync(SQL_DIR)).toContain(`${job}.sql`);
  });

  it.each(JOB_NAMES)('%s', async (job) => {
    // Arrange
    const script = readFileSync(path.join(JOBS_DIR, `${job}.q`), 'utf8');
    const duckSql = substitute(readFileSync(path.join(SQL_DIR, `${job}.sql`), 'utf8'), { INPUT: input, FROM, TO });
    const table = /CREATE EXTERNAL TABLE IF NOT EXISTS (\w+)/.exec(script)![1]!;

    // Act
    const { result } = await runScript(script, { INPUT: input, OUTPUT: output, FROM, TO });
    const hive = readJobOutput(path.join(output, job));
    const expected = await duckRows(duckSql);
    const [[records, rejected]] = await duckRows(`SELECT count(*), count(*) FILTER (WHERE ${REJECTED[table]!}) FROM ${table}`);

    // Assert: the same rows, in the same order where the job fixes one.
    expect(hive.length).toBeGreaterThanOrEqual(2);
    if (COMPARE[job] === 'ordered') expect(hive).toEqual(expected);
    else expect(sortRows(hive)).toEqual(sortRows(expected));
    // The file is what the engine computed (not a stale directory).
    expect(result.queries.at(-1)!.rowCount).toBe(hive.length);
    // Both engines split the files into the same lines and reject the same ones.
    expect(result.counters.get('recordsRead')).toBe(Number(records));
    expect(result.counters.get('malformedRecords')).toBe(Number(rejected));
    // RegexSerDe tables saw lines their pattern rejects, so the malformed path was exercised.
    if (script.includes('RegexSerDe')) expect(result.counters.get('malformedRecords')).toBeGreaterThan(0);
  });
});
