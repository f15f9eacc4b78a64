import type { RowFormat, Statement } from '../hive/ast.js';
import { formatPosition, UnsupportedError, type SourcePosition } from '../hive/errors.js';
import { parseStatement, type ParsedStatement } from '../hive/parser.js';
import { HiveVariables, splitStatements, substituteVariables } from '../hive/script.js';
import { setQueryTime } from '../functions/date.js';
import { separatorChar } from '../serde/lazy-simple-serde.js';
import { Catalog } from '../plan/catalog.js';
import type { QueryPlan } from '../plan/plan.js';
import { Planner } from '../plan/planner.js';
import { StorageRegistry } from '../storage/registry.js';
import { DirectoryCommitter } from './committer.js';
import { Counters } from './counters.js';
import type { MalformedSample } from './map-task.js';
import { createWorkerPool, DEFAULT_MEMORY_BYTES, PlanRunner, type Row, type RunnerOptions } from './runner.js';
import { availableParallelism } from 'node:os';
import { formatRow, HIVE_CLI_FORMAT, HIVE_FILE_FORMAT, type TextFormat } from './text-output.js';
import { taskRows, type TaskOutput } from './row-buffer.js';
import { SpillDirectory } from './spill.js';
import type { HiveValue } from '../hive/types.js';
import type { OutputColumn } from '../plan/compiled.js';

export interface SessionOptions {
  /** Script file name, for messages. */
  readonly file?: string;
  readonly variables?: HiveVariables;
  readonly storage?: StorageRegistry;
  /** Where a plain SELECT's rows go (the hive CLI prints them). */
  readonly stdout?: (text: string) => void;
  /** Warnings and notes. */
  readonly stderr?: (text: string) => void;
  /** Overrides mapreduce.job.reduces. */
  readonly reducers?: number;
  /** Keep at most this many malformed-line samples for the report. */
  readonly malformedSamples?: number;
  /** Worker threads for map tasks (default: one per core; 1 runs everything in this thread). */
  readonly workers?: number;
  /** Bytes per input split of an uncompressed file. */
  readonly splitSize?: number;
  /** Attempts per map task before the job fails. */
  readonly maxAttempts?: number;
  /** Memory budget in bytes for the task buffers (default 512 MB); beyond it they spill to disk. */
  readonly memoryBytes?: number;
  /** Parent directory for spill files (default: the OS temp directory). */
  readonly tmpDir?: string;
  /** Test hook: sees each task handed to a worker thread. */
  readonly onWorkerTask?: RunnerOptions['onWorkerTask'];
  /** Progress of each query's phases (the CLI draws a progress bar from it). */
  readonly onProgress?: RunnerOptions['onProgress'];
}

/** How many result rows a QueryOutcome keeps in memory for display. */
export const PREVIEW_ROWS = 1000;

/** A query that ran: where its rows went, how many there were, and the first of them. */
export interface QueryOutcome {
  readonly statementIndex: number;
  readonly columns: readonly OutputColumn[];
  /** The directory written, for INSERT OVERWRITE DIRECTORY. */
  readonly directory?: string;
  /** Output files written (INSERT) or tasks whose rows were printed. */
  readonly files: number;
  readonly rowCount: number;
  /** The first PREVIEW_ROWS rows, in output order (the rest are only in the files). */
  readonly preview: readonly (readonly HiveValue[])[];
}

export interface ScriptResult {
  readonly counters: Counters;
  readonly warnings: readonly string[];
  readonly queries: readonly QueryOutcome[];
  readonly malformedSamples: readonly MalformedSample[];
  readonly wallMs: number;
}

export interface ExplainedStatement {
  readonly index: number;
  readonly statement: Statement;
  readonly plan?: QueryPlan;
  /** The INSERT's target directory, if any. */
  readonly directory?: string;
}

/**
 * Runs a Hive script the way `hive -f` does: statement by statement, sharing
 * one session (variables, configuration, tables). Every statement is parsed
 * and planned first, so an unsupported construct or an unknown table fails
 * before any data is read or any output is touched.
 */
export class HiveSession {
  readonly variables: HiveVariables;
  private readonly storage: StorageRegistry;
  private readonly stdout: (text: string) => void;
  private readonly stderr: (text: string) => void;

  constructor(private readonly options: SessionOptions = {}) {
    this.variables = options.variables ?? new HiveVariables();
    this.storage = options.storage ?? new StorageRegistry();
    this.stdout = options.stdout ?? ((t) => process.stdout.write(t));
    this.stderr = options.stderr ?? ((t) => process.stderr.write(t));
  }

  /** Parses and plans every statement without reading data (also what `explain` shows). */
  async explain(script: string): Promise<ExplainedStatement[]> {
    const dryVars = this.cloneVariables();
    const catalog = new Catalog(this.storage);
    const out: ExplainedStatement[] = [];
    const parsed = this.parseAll(script, dryVars);
    parsed.forEach((p, index) => {
      const s = p.statement;
      const where = (offset: number) => p.source.position(offset);
      switch (s.kind) {
        case 'set':
          break;
        case 'create-table':
          catalog.create(s, where);
          break;
        case 'drop-table':
          // Hive ignores DROP TABLE of a missing table (hive.exec.drop.ignorenonexistent=true).
          catalog.drop(s.name);
          break;
        case 'msck-repair':
        case 'add-partition':
          catalog.require(s.name, where(s.at));
          break;
        case 'use':
          this.checkDatabase(s.database, where(s.at));
          break;
        case 'insert-directory':
        case 'query': {
          const plan = new Planner(catalog, where, dryVars.flag('hive.orderby.position.alias', true)).plan(s.query);
          out.push({ index, statement: s, plan, directory: s.kind === 'insert-directory' ? s.path : undefined });
          return;
        }
      }
      out.push({ index, statement: s });
    });
    return out;
  }

  async run(script: string): Promise<ScriptResult> {
    const started = performance.now();
    // Worker threads re-plan the script from the variables as they were before it ran.
    const initialVariables = { hivevar: [...this.variables.hivevar], hiveconf: [...this.variables.hiveconf] };
    // Worker threads start now, so that their start-up overlaps checking the script and listing the input.
    const workers = Math.max(1, this.options.workers ?? availableParallelism());
    const pool = workers > 1 && /\bselect\b/i.test(script) ? createWorkerPool(workers, this.options.memoryBytes ?? DEFAULT_MEMORY_BYTES, this.options.onWorkerTask) : undefined;
    pool?.warm();
    try {
      return await this.execute(script, started, initialVariables, pool);
    } finally {
      await pool?.close();
    }
  }

  private async execute(
    script: string,
    started: number,
    initialVariables: { hivevar: [string, string][]; hiveconf: [string, string][] },
    pool: ReturnType<typeof createWorkerPool> | undefined,
  ): Promise<ScriptResult> {
    // Validate the whole script first: nothing is read or written if any statement cannot run.
    await this.explain(script);
    const counters = new Counters();
    const warnings: string[] = [];
    const samples: MalformedSample[] = [];
    const maxSamples = this.options.malformedSamples ?? 10;
    const warn = (w: string) => {
      warnings.push(w);
      this.stderr(`WARNING: ${w}\n`);
    };
    const catalog = new Catalog(this.storage);
    const queries: QueryOutcome[] = [];
    const parsed = this.parseAll(script, this.variables, warn);
    const spill = new SpillDirectory(this.options.tmpDir);
    try {
      for (let index = 0; index < parsed.length; index++) {
        const p = parsed[index]!;
        const s = p.statement;
        const where = (offset: number) => p.source.position(offset);
        switch (s.kind) {
          case 'set':
            // Values were applied while parsing (they affect later substitution); `SET k` prints one.
            if (s.key !== undefined && s.value === undefined) {
              this.stdout(`${s.key}=${this.variables.lookup(s.key.startsWith('hivevar:') ? s.key : `hiveconf:${s.key}`) ?? '<undefined>'}\n`);
            }
            break;
          case 'use':
            break;
          case 'create-table':
            catalog.create(s, where);
            break;
          case 'drop-table':
            catalog.drop(s.name);
            break;
          case 'msck-repair': {
            const added = await catalog.repair(s.name, where(s.at));
            this.stderr(`MSCK REPAIR TABLE ${s.name}: ${added.length} partition(s) added\n`);
            break;
          }
          case 'add-partition':
            catalog.addPartitions(s, where);
            break;
          case 'insert-directory':
          case 'query': {
            const plan = new Planner(catalog, where, this.variables.flag('hive.orderby.position.alias', true)).plan(s.query);
            // Hive fixes "now" once per query (current_date, unix_timestamp()).
            setQueryTime(Date.now());
            const runner = new PlanRunner({
              storage: this.storage,
              counters,
              reducers: this.options.reducers ?? intConf(this.variables, 'mapreduce.job.reduces', -1),
              bytesPerReducer: intConf(this.variables, 'hive.exec.reducers.bytes.per.reducer', 256_000_000),
              maxReducers: intConf(this.variables, 'hive.exec.reducers.max', 1009),
              workers: this.options.workers,
              splitSize: this.options.splitSize ?? (intConf(this.variables, 'mapreduce.input.fileinputformat.split.maxsize', 0) || undefined),
              maxAttempts: this.options.maxAttempts,
              memoryBytes: this.options.memoryBytes,
              spill,
              job: { script, file: this.options.file, ...initialVariables, statementIndex: index, storage: this.storage.descriptors() },
              onWorkerTask: this.options.onWorkerTask,
              pool,
              onProgress: this.options.onProgress,
              maxMalformedSamples: maxSamples,
              onMalformed: (sample) => {
                if (samples.length < maxSamples) samples.push(sample);
              },
              onWarning: warn,
            });
            const result = await runner.run(plan);
            const rowCount = result.taskOutputs.reduce((n, t) => n + t.count, 0);
            counters.add('outputRecords', rowCount);
            const preview: HiveValue[][] = [];
            const keep = (r: Row) => {
              if (preview.length < PREVIEW_ROWS) preview.push(r);
            };
            if (s.kind === 'insert-directory') {
              await this.writeDirectory(s.path, s.rowFormat, plan.columns, result.taskOutputs, where(s.at), keep);
            } else {
              if (this.variables.flag('hive.cli.print.header', false)) this.stdout(plan.columns.map((c) => c.name).join('\t') + '\n');
              for (const task of result.taskOutputs) {
                for await (const r of taskRows(task)) {
                  keep(r);
                  this.stdout(formatRow(r, plan.columns, HIVE_CLI_FORMAT) + '\n');
                }
              }
            }
            queries.push({ statementIndex: index, columns: plan.columns, directory: s.kind === 'insert-directory' ? s.path : undefined, files: result.taskOutputs.length, rowCount, preview });
            break;
          }
        }
      }
    } finally {
      spill.remove();
    }
    return { counters, warnings, queries, malformedSamples: samples, wallMs: performance.now() - started };
  }

  private parseAll(script: string, vars: HiveVariables, warn?: (w: string) => void): ParsedStatement[] {
    const out: ParsedStatement[] = [];
    for (const raw of splitStatements(script)) {
      const source = substituteVariables(raw, script, vars, this.options.file);
      const parsed = parseStatement(source);
      // SET takes effect before the next statement's variables are substituted.
      const s = parsed.statement;
      if (s.kind === 'set' && s.key !== undefined && s.value !== undefined) vars.set(s.key, s.value);
      for (const w of parsed.warnings) warn?.(`${formatPosition(w.position)}: ${w.message}`);
      out.push(parsed);
    }
    return out;
  }

  private checkDatabase(name: string, at: SourcePosition): void {
    if (name !== 'default') throw new UnsupportedError(`databases other than default (USE ${name})`, at);
  }

  private cloneVariables(): HiveVariables {
    const copy = new HiveVariables();
    for (const [k, v] of this.variables.hivevar) copy.hivevar.set(k, v);
    for (const [k, v] of this.variables.hiveconf) copy.hiveconf.set(k, v);
    return copy;
  }

  private async writeDirectory(
    path: string,
    rowFormat: RowFormat | undefined,
    columns: readonly OutputColumn[],
    tasks: readonly TaskOutput[],
    at: SourcePosition,
    onRow: (row: Row) => void,
  ): Promise<void> {
    if (rowFormat?.kind === 'serde') throw new UnsupportedError(`ROW FORMAT SERDE on INSERT OVERWRITE DIRECTORY`, at);
    const format: TextFormat = rowFormat
      ? {
          fieldSeparator: separatorChar(rowFormat.fieldsTerminatedBy, HIVE_FILE_FORMAT.fieldSeparator),
          nullText: rowFormat.nullDefinedAs ?? HIVE_FILE_FORMAT.nullText,
          collectionSeparator: separatorChar(rowFormat.collectionItemsTerminatedBy, HIVE_FILE_FORMAT.collectionSeparator),
        }
      : HIVE_FILE_FORMAT;
    const storage = this.storage.resolve(path);
    const committer = new DirectoryCommitter(storage, path);
    try {
      for (let i = 0; i < tasks.length; i++) {
        await committer.writeTaskOutput(i, formatLines(taskRows(tasks[i]!), columns, format, onRow));
      }
      await committer.commit();
    } catch (err) {
      await committer.abort();
      throw err;
    }
  }
}

async function* formatLines(rows: AsyncIterable<Row>, columns: readonly OutputColumn[], format: TextFormat, onRow: (row: Row) => void): AsyncGenerator<string> {
  // Batches of rows per write keep the stream calls few.
  let batch = '';
  for await (const r of rows) {
    onRow(r);
    batch += formatRow(r, columns, format) + '\n';
    if (batch.length >= 1 << 16) {
      yield batch;
      batch = '';
    }
  }
  if (batch !== '') yield batch;
}

function intConf(vars: HiveVariables, key: string, fallback: number): number {
  const v = vars.hiveconf.get(key);
  if (v === undefined) return fallback;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : fallback;
}
