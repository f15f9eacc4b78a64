/**
 * The tables logs can be ingested into, read from the CREATE TABLE statements
 * of `jobs/*.q`: the jobs are the one source of truth for what a valid line of
 * each format is. Each table is built with the engine's own Catalog, so its
 * SerDe is exactly the one the engine reads the stored lines with.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CreateTableStatement, RowFormat } from '../hive/ast.js';
import { LoghiveError } from '../hive/errors.js';
import { parseStatement } from '../hive/parser.js';
import { HiveVariables, splitStatements, substituteVariables } from '../hive/script.js';
import { typeToString, type HiveValue } from '../hive/types.js';
import { DatePatternError, javaDateFormat } from '../functions/date.js';
import { lookupFunction } from '../functions/registry.js';
import { Catalog, type TableDefinition } from '../plan/catalog.js';
import type { SerDe } from '../serde/serde.js';
import { StorageRegistry } from '../storage/registry.js';
import { LogTableDefinitionError, UnknownTableError } from './errors.js';

/** docs/cloud.md: table names that may reach S3 keys. */
export const TABLE_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

export const PARTITION_COLUMN_PROPERTY = 'loghive.partition.column';
export const PARTITION_FORMAT_PROPERTY = 'loghive.partition.format';

/** The partition column of every ingested table: `logs/{table}/dt=YYYY-MM-DD/`. */
export const PARTITION_DIRECTORY_COLUMN = 'dt';

/** Partition directory values are `yyyy-MM-dd` (years 0001 to 9999). */
const DT_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** How a line's day is found: a column of the row, read as a DATE, a TIMESTAMP or a string with a SimpleDateFormat pattern. */
export interface PartitionRule {
  /** Lower-cased column name. */
  readonly column: string;
  /** Index of the column in the row (0-based). */
  readonly columnIndex: number;
  readonly columnType: string;
  /** The SimpleDateFormat pattern, for a string column. */
  readonly format?: string;
}

/** The result of asking for a row's day: the `yyyy-MM-dd` value, or why there is none. */
export type PartitionDate = { readonly dt: string } | { readonly reason: string };

export interface LogTable {
  readonly name: string;
  /** The engine's table definition (columns, row format, header lines). */
  readonly definition: TableDefinition;
  readonly partition: PartitionRule;
  /** Header lines skipped at the start of every body or object (`skip.header.line.count`). */
  readonly skipHeaderLines: number;
  /** Job files that define the table, sorted. */
  readonly definedIn: readonly string[];
  /** A new SerDe (SerDes keep per-instance state, so one per ingest). */
  createSerDe(): SerDe;
  /** The day of a deserialized row, exactly as the engine computes the column's value. */
  partitionDate(row: readonly HiveValue[]): PartitionDate;
}

/** The ingestible tables, by name. */
export class LogTables {
  constructor(
    private readonly tables: ReadonlyMap<string, LogTable>,
    /** Tables the jobs define that cannot be partitioned by day, with the reason (for the 404 message). */
    private readonly excluded: ReadonlyMap<string, string> = new Map(),
  ) {}

  names(): string[] {
    return [...this.tables.keys()].sort();
  }

  /** The table, or UnknownTableError for a name that is not a valid table name or not ingestible. */
  get(name: string): LogTable {
    if (!TABLE_NAME_PATTERN.test(name)) {
      throw new UnknownTableError(name, 'a table name is lower-case letters, digits and _, starting with a letter, at most 64 characters');
    }
    const table = this.tables.get(name);
    if (table) return table;
    const why = this.excluded.get(name);
    throw new UnknownTableError(name, why ?? `no job in jobs/ defines it (tables: ${this.names().join(', ') || 'none'})`);
  }
}

/** One job script: its file name (for messages) and text. */
export interface JobScript {
  readonly file: string;
  readonly text: string;
}

/** Reads every `*.q` in `jobsDir` and builds the catalog. */
export async function loadLogTables(jobsDir: string): Promise<LogTables> {
  const files = (await readdir(jobsDir)).filter((f) => f.endsWith('.q')).sort();
  const scripts = await Promise.all(files.map(async (f) => ({ file: path.join(jobsDir, f), text: await readFile(path.join(jobsDir, f), 'utf8') })));
  return logTablesFromScripts(scripts);
}

/** Builds the catalog from job texts; throws LogTableDefinitionError when two jobs disagree on a table. */
export function logTablesFromScripts(scripts: readonly JobScript[]): LogTables {
  const found = new Map<string, { statement: CreateTableStatement; canonical: string; files: string[]; definition: TableDefinition }>();
  for (const script of scripts) {
    for (const { statement, definition } of createTableStatements(script)) {
      const canonical = canonicalDefinition(statement);
      const seen = found.get(statement.name);
      if (!seen) {
        found.set(statement.name, { statement, canonical, files: [script.file], definition });
        continue;
      }
      if (seen.canonical !== canonical) {
        throw new LogTableDefinitionError(statement.name, [seen.files[0]!, script.file], `the two files define the table differently (${firstDifference(seen.canonical, canonical)}); jobs must repeat a table's DDL exactly`);
      }
      if (!seen.files.includes(script.file)) seen.files.push(script.file);
    }
  }
  const tables = new Map<string, LogTable>();
  const excluded = new Map<string, string>();
  for (const [name, { statement, files, definition }] of found) {
    if (!TABLE_NAME_PATTERN.test(name)) continue; // a name the API could never address
    const sortedFiles = [...files].sort();
    if (statement.partitionedBy.length > 0) {
      excluded.set(name, `the jobs declare it PARTITIONED BY, so ingest cannot lay out its files (${sortedFiles.join(', ')})`);
      continue;
    }
    if (statement.columns.some((c) => c.name === PARTITION_DIRECTORY_COLUMN)) {
      excluded.set(name, `it has a column named ${PARTITION_DIRECTORY_COLUMN}, the name of the partition column its stored files are laid out by (${sortedFiles.join(', ')})`);
      continue;
    }
    const rule = partitionRule(statement, definition, sortedFiles);
    if (typeof rule === 'string') {
      excluded.set(name, rule);
      continue;
    }
    tables.set(name, makeLogTable(definition, rule, sortedFiles));
  }
  return new LogTables(tables, excluded);
}

/** The CREATE TABLE statements of one script, each built by the engine's Catalog (which checks the SerDe and properties). */
function createTableStatements(script: JobScript): { statement: CreateTableStatement; definition: TableDefinition }[] {
  const vars = placeholderVariables(script.text);
  const out: { statement: CreateTableStatement; definition: TableDefinition }[] = [];
  for (const raw of splitStatements(script.text)) {
    // Only CREATE statements matter; queries are the engine's business (and may use constructs we need not parse here).
    if (!/^\s*create\b/i.test(raw.text.replace(/^(\s*--[^\n]*\n)*/, ''))) continue;
    const source = substituteVariables(raw, script.text, vars, script.file);
    let statement;
    try {
      statement = parseStatement(source).statement;
    } catch (err) {
      if (err instanceof LoghiveError) throw new LogTableDefinitionError('(unparsed)', [script.file], err.message, { cause: err });
      throw err;
    }
    if (statement.kind !== 'create-table') continue;
    const catalog = new Catalog(new StorageRegistry());
    try {
      catalog.create(statement, (offset) => source.position(offset));
    } catch (err) {
      if (err instanceof LoghiveError) throw new LogTableDefinitionError(statement.name, [script.file], err.message, { cause: err });
      throw err;
    }
    out.push({ statement, definition: catalog.get(statement.name)! });
  }
  return out;
}

/** Every `${NAME}` gets a harmless value: only LOCATION uses variables, and ingest does not use LOCATION. */
function placeholderVariables(text: string): HiveVariables {
  const env: NodeJS.ProcessEnv = {};
  const vars = new HiveVariables(env);
  for (const m of text.matchAll(/\$\{([^}$\s]+)\}/g)) {
    const name = m[1]!;
    const value = `loghive-ingest-${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    if (name.startsWith('env:')) env[name.slice(4)] = value;
    else if (name.startsWith('hiveconf:')) vars.hiveconf.set(name.slice(9), value);
    else vars.hivevar.set(name.startsWith('hivevar:') ? name.slice(8) : name, value);
  }
  return vars;
}

/** The definition as comparable text: what the DDL says, not where it says it. */
function canonicalDefinition(s: CreateTableStatement): string {
  const rowFormat = (r: RowFormat | undefined) =>
    r === undefined ? null : r.kind === 'serde' ? { serde: r.className, properties: [...r.properties].sort() } : { ...r };
  return JSON.stringify({
    external: s.external,
    columns: s.columns.map((c) => `${c.name} ${typeToString(c.type)}`),
    partitionedBy: s.partitionedBy.map((c) => `${c.name} ${typeToString(c.type)}`),
    rowFormat: rowFormat(s.rowFormat),
    storedAs: s.storedAs ?? null,
    location: s.location ?? null,
    tblProperties: [...s.tblProperties].sort(),
  });
}

/** Names the first top-level part that differs between two canonical definitions. */
function firstDifference(a: string, b: string): string {
  const x = JSON.parse(a) as Record<string, unknown>;
  const y = JSON.parse(b) as Record<string, unknown>;
  for (const key of Object.keys(x)) {
    if (JSON.stringify(x[key]) !== JSON.stringify(y[key])) return `${key}: ${JSON.stringify(x[key])} vs ${JSON.stringify(y[key])}`;
  }
  return 'definitions differ';
}

/** docs/cloud.md §Partitions: the property-named column, else the first DATE column. A string is the reason there is none. */
function partitionRule(s: CreateTableStatement, definition: TableDefinition, files: readonly string[]): PartitionRule | string {
  const columnName = s.tblProperties.get(PARTITION_COLUMN_PROPERTY)?.trim().toLowerCase();
  const format = s.tblProperties.get(PARTITION_FORMAT_PROPERTY);
  const fail = (detail: string): never => {
    throw new LogTableDefinitionError(s.name, files, detail);
  };
  if (columnName === undefined) {
    if (format !== undefined) fail(`'${PARTITION_FORMAT_PROPERTY}' needs '${PARTITION_COLUMN_PROPERTY}'`);
    const index = definition.columns.findIndex((c) => c.type.name === 'date');
    if (index < 0) {
      return `table ${s.name} has no DATE column and no '${PARTITION_COLUMN_PROPERTY}' property, so its lines have no day to be stored under`;
    }
    return { column: definition.columns[index]!.name, columnIndex: index, columnType: 'date' };
  }
  const index = definition.columns.findIndex((c) => c.name === columnName);
  if (index < 0) fail(`'${PARTITION_COLUMN_PROPERTY}' names ${columnName}, which is not a column`);
  // The declared type: OpenCSVSerde reads every column as a string, and then the format applies.
  const declared = definition.columns[index]!.type;
  const type = declared.name;
  if (type === 'date' || type === 'timestamp') {
    if (format !== undefined) fail(`'${PARTITION_FORMAT_PROPERTY}' applies to string columns only; ${columnName} is ${typeToString(declared)}`);
    return { column: columnName, columnIndex: index, columnType: type };
  }
  if (type !== 'string' && type !== 'varchar' && type !== 'char') fail(`the partition column ${columnName} is ${typeToString(declared)}; it must be DATE, TIMESTAMP or a string with '${PARTITION_FORMAT_PROPERTY}'`);
  if (format === undefined) fail(`the partition column ${columnName} is a string, so '${PARTITION_FORMAT_PROPERTY}' (a SimpleDateFormat pattern) is needed`);
  try {
    javaDateFormat(format!);
  } catch (err) {
    if (err instanceof DatePatternError) fail(err.message);
    throw err;
  }
  return { column: columnName, columnIndex: index, columnType: type, format };
}

function makeLogTable(definition: TableDefinition, rule: PartitionRule, files: readonly string[]): LogTable {
  return {
    name: definition.name,
    definition,
    partition: rule,
    skipHeaderLines: definition.skipHeaderLines,
    definedIn: files,
    createSerDe: () => definition.createSerDe(),
    partitionDate: partitionDateFunction(rule),
  };
}

function partitionDateFunction(rule: PartitionRule): (row: readonly HiveValue[]) => PartitionDate {
  const i = rule.columnIndex;
  const inRange = (dt: string): PartitionDate => (DT_PATTERN.test(dt) ? { dt } : { reason: `${rule.column} ${dt} is outside the years 0001 to 9999` });
  if (rule.format === undefined) {
    return (row) => {
      const v = row[i];
      if (v === null || v === undefined) return { reason: `${rule.column} is not a valid ${rule.columnType.toUpperCase()}` };
      // The SerDe already made canonical DATE / TIMESTAMP text (Hive's lenient Date.valueOf for DATE).
      return inRange(String(v).slice(0, 10));
    };
  }
  // The engine's own functions: to_date(from_unixtime(unix_timestamp(col, format))) in the session zone, UTC.
  const unixTimestamp = lookupFunction('unix_timestamp')!;
  const fromUnixtime = lookupFunction('from_unixtime')!;
  const format = rule.format;
  return (row) => {
    const v = row[i];
    if (v === null || v === undefined) return { reason: `${rule.column} is NULL` };
    const seconds = unixTimestamp.impl([String(v), format]);
    if (seconds === null) return { reason: `${rule.column} does not match the pattern '${format}'` };
    const dt = fromUnixtime.impl([seconds, 'yyyy-MM-dd']);
    return dt === null ? { reason: `${rule.column} is out of range` } : inRange(String(dt));
  };
}
