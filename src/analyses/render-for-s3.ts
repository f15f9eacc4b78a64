/**
 * A job rendered for the bucket (docs/cloud.md §Partitions): each
 * `CREATE EXTERNAL TABLE t (…) … LOCATION '${INPUT}/…'` becomes
 *
 *   DROP TABLE IF EXISTS t;
 *   CREATE EXTERNAL TABLE t (…) PARTITIONED BY (dt STRING) … LOCATION 's3://bucket/logs/t/';
 *   ALTER TABLE t ADD IF NOT EXISTS PARTITION (dt='…') LOCATION 's3://bucket/logs/t/dt=…/';   -- per stored day in [FROM, TO]
 *
 * (or `MSCK REPAIR TABLE t` when the job has no FROM/TO; a day more on each
 * side for tables partitioned from zoned text, see partitionSpan), and the rest of the
 * script is kept byte for byte. The edits are made at token positions found
 * by the engine's own lexer and parser, so comments, quoting and the SerDe
 * regexes are never re-printed.
 *
 * Variables: `${OUTPUT}`, `${FROM}` and `${TO}` stay Hive variables (passed
 * with -d, so the step arguments show them). The rendered DDL no longer
 * references `${INPUT}`, so INPUT is not passed; `variables` lists exactly the
 * names the rendered script references, and callers pass those.
 *
 * No stored day in range → NoDataInRangeError (404) before anything is
 * uploaded or run: a caller who asks about days the bucket has no logs for
 * most likely has a typo in the dates or has not ingested yet, and an EMR
 * cluster started for zero rows would cost minutes and money to say nothing.
 */
import type { CreateTableStatement } from '../hive/ast.js';
import { epochDayOf, formatEpochDay } from '../hive/cast.js';
import type { Token } from '../hive/lexer.js';
import type { StorageRegistry } from '../storage/registry.js';
import { JobRenderError, NoDataInRangeError } from './errors.js';
import type { JobDefinition } from './job-catalog.js';
import { scriptStatements } from './script-statements.js';
import { isIsoDate, type DateRange } from './variables.js';

/** Ingest's table property naming the pattern a text partition column is parsed with (docs/cloud.md §Partitions). */
const PARTITION_FORMAT_PROPERTY = 'loghive.partition.format';
/** Partitions listed at once (one LIST request each). */
const LISTING_CONCURRENCY = 16;

/** The partition column every ingested table has (logs/{table}/dt=YYYY-MM-DD/). */
export const PARTITION_COLUMN = 'dt';
const TABLE_NAME = /^[a-z][a-z0-9_]{0,63}$/;
/** A bucket root goes inside Hive string literals: nothing that could end one. */
const SAFE_ROOT = /^[^'"`\\$;\s]+$/;

export interface StoredPartition {
  readonly table: string;
  /** yyyy-MM-dd */
  readonly day: string;
  readonly location: string;
  readonly bytes: number;
  readonly files: number;
}

export interface RenderedJob {
  readonly script: string;
  /** The partitions the script registers (those in range), by table then day. */
  readonly partitions: readonly StoredPartition[];
  /** Bytes stored in those partitions (what the engine will read; `auto` compares it to the threshold). */
  readonly inputBytes: number;
  /** The `${NAME}`s the rendered script references: pass exactly these with -d. */
  readonly variables: readonly string[];
  readonly tables: readonly string[];
}

export interface RenderOptions {
  readonly job: JobDefinition;
  /** `s3://bucket` (or a local directory in tests): logs/ and results/ are under it. */
  readonly bucketRoot: string;
  readonly storage: StorageRegistry;
  /** FROM and TO when the job declares them; without a range every stored partition is read (MSCK REPAIR). */
  readonly range?: DateRange;
}

/** Where a table's partitions live: `{root}/logs/{table}/`. */
export function tableLocation(bucketRoot: string, table: string): string {
  return `${trimRoot(bucketRoot)}/logs/${table}/`;
}

export function trimRoot(bucketRoot: string): string {
  if (!SAFE_ROOT.test(bucketRoot)) throw new Error(`bucket root ${JSON.stringify(bucketRoot)} cannot be used in a Hive string literal`);
  return bucketRoot.replace(/\/+$/, '');
}

export async function renderForS3(options: RenderOptions): Promise<RenderedJob> {
  const { job, bucketRoot, storage, range } = options;
  const script = job.script;
  const pieces: string[] = [];
  const tables: string[] = [];
  const partitions: StoredPartition[] = [];
  const stored: { table: string; first?: string; last?: string }[] = [];
  for (const { raw, create } of scriptStatements(script, job.file)) {
    if (!create) {
      pieces.push(`${raw.text.trimEnd()};`);
      continue;
    }
    const { statement, tokens } = create;
    checkTable(job.name, statement);
    const location = tableLocation(bucketRoot, statement.name);
    const days = await storedDays(storage, location);
    stored.push({ table: statement.name, first: days[0], last: days[days.length - 1] });
    const span = range && partitionSpan(statement, range);
    const inRange = span ? days.filter((d) => d >= span.from && d <= span.to) : days;
    const listed = await mapLimited(inRange, LISTING_CONCURRENCY, (day) => partitionSize(storage, statement.name, day, `${location}${PARTITION_COLUMN}=${day}/`));
    // A day directory without objects (a leftover marker) holds no data: not registered, not counted.
    const found = listed.filter((p) => p.files > 0);
    partitions.push(...found);
    tables.push(statement.name);

    const ddl = editCreateTable(job.name, raw.text, tokens, statement, location);
    const prefix = raw.text.slice(0, statement.at);
    const registration = span
      ? found.map((p) => `ALTER TABLE ${statement.name} ADD IF NOT EXISTS PARTITION (${PARTITION_COLUMN}='${p.day}') LOCATION '${p.location}';`)
      : [`MSCK REPAIR TABLE ${statement.name};`];
    const note = span ? `-- Rendered for S3: ${found.length} stored day(s) of ${statement.name} from ${span.from} to ${span.to}.` : `-- Rendered for S3: every stored day of ${statement.name}.`;
    pieces.push([`${prefix}${note}`, `DROP TABLE IF EXISTS ${statement.name};`, `${ddl.slice(statement.at).trimEnd()};`, ...registration].join('\n'));
  }
  if (partitions.length === 0) throw new NoDataInRangeError(tables, range, stored);
  const rendered = `${pieces.join('')}\n`;
  const variables = [...new Set([...rendered.matchAll(/\$\{([^}$\s]+)\}/g)].map((m) => m[1]!))].sort();
  return { script: rendered, partitions, inputBytes: partitions.reduce((n, p) => n + p.bytes, 0), variables, tables };
}

/**
 * The stored days to register for [FROM, TO]. Ingest files a line under the
 * UTC day of its partition column; when that column is text parsed with
 * 'loghive.partition.format' (e.g. Apache's [05/Jul/2014:23:10:00 -0700]),
 * a job may filter on the day as written, which can be the UTC day before or
 * after. One day more on each side keeps those lines; the job's own WHERE
 * still decides which rows count.
 */
export function partitionSpan(stmt: CreateTableStatement, range: DateRange): DateRange {
  if (!stmt.tblProperties.has(PARTITION_FORMAT_PROPERTY)) return range;
  return { from: formatEpochDay(epochDayOf(range.from) - 1), to: formatEpochDay(epochDayOf(range.to) + 1) };
}

function checkTable(job: string, stmt: CreateTableStatement): void {
  if (!TABLE_NAME.test(stmt.name)) throw new JobRenderError(job, `table name ${stmt.name} is not a valid logs/{table}/ prefix`);
  if (stmt.partitionedBy.length > 0) throw new JobRenderError(job, `table ${stmt.name} is already partitioned; the service partitions by ${PARTITION_COLUMN}`);
  if (stmt.columns.some((c) => c.name === PARTITION_COLUMN)) throw new JobRenderError(job, `table ${stmt.name} has a column named ${PARTITION_COLUMN}, the partition column`);
  if (stmt.location === undefined) throw new JobRenderError(job, `table ${stmt.name} has no LOCATION`);
}

/** Days with a `dt=yyyy-MM-dd` directory under the table's prefix, sorted. */
async function storedDays(storage: StorageRegistry, location: string): Promise<string[]> {
  const days: string[] = [];
  for (const dir of await storage.resolve(location).listDirectories(location)) {
    const base = dir.replace(/\/+$/, '').split('/').pop() ?? '';
    const day = base.startsWith(`${PARTITION_COLUMN}=`) ? base.slice(PARTITION_COLUMN.length + 1) : '';
    if (isIsoDate(day)) days.push(day);
  }
  return days.sort();
}

async function partitionSize(storage: StorageRegistry, table: string, day: string, location: string): Promise<StoredPartition> {
  const files = (await storage.resolve(location).listFiles(location)) ?? [];
  return { table, day, location, bytes: files.reduce((n, f) => n + f.size, 0), files: files.length };
}

/** `fn` over `items` with at most `limit` calls in flight, results in input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * The CREATE TABLE text with IF NOT EXISTS dropped (DROP TABLE precedes it),
 * PARTITIONED BY (dt STRING) after the columns (and the table COMMENT, which
 * Hive's grammar puts first), the LOCATION replaced and skip.header.line.count
 * removed from TBLPROPERTIES (ingest stores data lines only).
 */
function editCreateTable(job: string, text: string, tokens: readonly Token[], stmt: CreateTableStatement, location: string): string {
  const edits: Edit[] = [];
  const isWord = (t: Token | undefined, w: string) => t !== undefined && t.kind === 'ident' && t.upper === w;
  const isOp = (t: Token | undefined, op: string) => t !== undefined && t.kind === 'op' && t.value === op;
  const table = tokens.findIndex((t) => isWord(t, 'TABLE'));
  if (isWord(tokens[table + 1], 'IF') && isWord(tokens[table + 2], 'NOT') && isWord(tokens[table + 3], 'EXISTS')) {
    edits.push({ start: tokens[table + 1]!.offset, end: tokens[table + 4]!.offset, text: '' });
  }
  const open = tokens.findIndex((t, i) => i > table && isOp(t, '('));
  let close = -1;
  for (let i = open, depth = 0; i < tokens.length; i++) {
    if (isOp(tokens[i], '(')) depth++;
    else if (isOp(tokens[i], ')') && --depth === 0) {
      close = i;
      break;
    }
  }
  if (open < 0 || close < 0) throw new JobRenderError(job, `no column list in CREATE TABLE ${stmt.name}`);
  let after = close + 1;
  let insertAt = tokens[close]!.offset + 1;
  if (isWord(tokens[after], 'COMMENT') && tokens[after + 1]?.kind === 'string') {
    insertAt = stringEnd(text, tokens[after + 1]!.offset);
    after += 2;
  }
  edits.push({ start: insertAt, end: insertAt, text: ` PARTITIONED BY (${PARTITION_COLUMN} STRING)` });

  let located = false;
  for (let i = after; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isWord(t, 'LOCATION') && tokens[i + 1]?.kind === 'string') {
      const s = tokens[i + 1]!;
      edits.push({ start: s.offset, end: stringEnd(text, s.offset), text: `'${location}'` });
      located = true;
    } else if (isWord(t, 'TBLPROPERTIES') && isOp(tokens[i + 1], '(')) {
      const edit = tblPropertiesEdit(text, tokens, i);
      if (edit) edits.push(edit);
    }
  }
  if (!located) throw new JobRenderError(job, `no LOCATION clause found in CREATE TABLE ${stmt.name}`);
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Removes 'skip.header.line.count' from TBLPROPERTIES (the whole clause when nothing else is left). */
function tblPropertiesEdit(text: string, tokens: readonly Token[], at: number): Edit | undefined {
  const kept: string[] = [];
  let removed = false;
  let i = at + 2;
  for (;;) {
    const key = tokens[i];
    const eq = tokens[i + 1];
    const value = tokens[i + 2];
    if (key?.kind !== 'string' || eq?.value !== '=' || value?.kind !== 'string') break;
    if (key.value.toLowerCase() === 'skip.header.line.count') removed = true;
    else kept.push(text.slice(key.offset, stringEnd(text, value.offset)));
    i += 3;
    if (tokens[i]?.value === ',') i++;
  }
  const close = tokens[i];
  if (!removed || close?.kind !== 'op' || close.value !== ')') return undefined;
  const start = tokens[at]!.offset;
  const end = close.offset + 1;
  return { start, end, text: kept.length === 0 ? '' : `TBLPROPERTIES (${kept.join(', ')})` };
}

/** End offset of the string literal token at `offset`, with adjacent literals concatenated as the lexer does. */
function stringEnd(text: string, offset: number): number {
  let i = offset;
  let end = offset;
  while (text[i] === "'" || text[i] === '"') {
    const q = text[i]!;
    let j = i + 1;
    while (j < text.length && text[j] !== q) j += text[j] === '\\' ? 2 : 1;
    end = j + 1;
    let k = end;
    while (k < text.length && /\s/.test(text[k]!)) k++;
    i = k;
  }
  return end;
}
