// @ts-check
/**
 * Runs SQL in DuckDB and writes the result rows as Hive text (columns separated
 * by ^A, NULL as \N, one row per line), so the bench can time DuckDB as a child
 * process, measure its memory the same way as the other contenders', and
 * compare its answer with theirs.
 *
 *   node bench/duckdb-query.mjs --threads 8 [--setup setup.sql] --query query.sql > rows.txt
 *
 * --setup may hold several statements (macros, views); --query is one SELECT.
 */
import { readFileSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const { values } = parseArgs({
  options: {
    threads: { type: 'string' },
    setup: { type: 'string' },
    query: { type: 'string' },
  },
});
if (!values.query) {
  process.stderr.write('usage: node bench/duckdb-query.mjs --threads N [--setup FILE] --query FILE\n');
  process.exit(2);
}

/** @type {Record<string, string>} */
const config = {};
if (values.threads) config.threads = values.threads;
const instance = await DuckDBInstance.create(':memory:', config);
const db = await instance.connect();
if (values.setup) await db.run(readFileSync(values.setup, 'utf8'));
const reader = await db.runAndReadAll(readFileSync(values.query, 'utf8'));
const text = reader
  .getRows()
  .map((row) => row.map((v) => (v === null ? '\\N' : String(v))).join('\u0001') + '\n')
  .join('');
writeSync(1, text);
db.closeSync();
instance.closeSync();
