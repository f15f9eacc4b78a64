// @ts-check
/**
 * Runs SQL in DuckDB and writes the result rows as Hive text (columns separated
 * by ^A, NULL as \N, one row per line), so the bench can time DuckDB as a child
 * process, measure its memory the same way as the other contenders', and
 * compare its answer with theirs.
 *
 *   node bench/duckdb-query.mjs --threads 8 [--memory-limit 256MB] [--temp-directory DIR] [--setup setup.sql] --query query.sql > rows.txt
 *
 * --setup may hold several statements (macros, views); --query is one SELECT.
 * --memory-limit is DuckDB's memory_limit setting (its buffer manager's budget;
 * beyond it, operators that can spill do). --temp-directory is where they
 * spill: an in-memory database's default is ./.tmp, which would be the
 * repository root; the bench passes the run's scratch directory (under the OS
 * temp directory, where loghive spills by default).
 *
 * The result is streamed chunk by chunk (about 2048 rows each) rather than
 * materialized: the (ip, uri) query returns millions of rows, and holding them
 * all as JS values would measure node's heap, not DuckDB, and would defeat
 * memory_limit (a materialized result is held in full).
 *
 * On a DuckDB error, the message alone goes to stderr (its first line is what
 * the report quotes) and the exit status is 1.
 */
import { readFileSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const { values } = parseArgs({
  options: {
    threads: { type: 'string' },
    'memory-limit': { type: 'string' },
    'temp-directory': { type: 'string' },
    setup: { type: 'string' },
    query: { type: 'string' },
  },
});
if (!values.query) {
  process.stderr.write('usage: node bench/duckdb-query.mjs --threads N [--memory-limit SIZE] [--temp-directory DIR] [--setup FILE] --query FILE\n');
  process.exit(2);
}

try {
  /** @type {Record<string, string>} */
  const config = {};
  if (values.threads) config.threads = values.threads;
  // Set when the database opens, i.e. what `SET memory_limit = '256MB'` does first thing.
  if (values['memory-limit']) config.memory_limit = values['memory-limit'];
  if (values['temp-directory']) config.temp_directory = values['temp-directory'];
  const instance = await DuckDBInstance.create(':memory:', config);
  const db = await instance.connect();
  if (values.setup) await db.run(readFileSync(values.setup, 'utf8'));
  const result = await db.stream(readFileSync(values.query, 'utf8'));
  for await (const rows of result.yieldRows()) {
    let text = '';
    for (const row of rows) text += row.map((v) => (v === null ? '\\N' : String(v))).join('\u0001') + '\n';
    writeSync(1, text);
  }
  db.closeSync();
  instance.closeSync();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
