import { readFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { HiveSession } from '../engine/session.js';
import { LoghiveError, UsageError } from '../hive/errors.js';
import { HiveVariables } from '../hive/script.js';
import { renderExplain } from '../plan/explain.js';
import { writeLogFiles, type LogFormat } from '../generate/index.js';
import { removeTempPathsSync } from '../engine/temp-paths.js';
import { addCloudCommands } from './cloud-commands.js';
import { ProgressDisplay } from './progress.js';
import { parseSizeBytes } from './size.js';
import { renderTable } from './table.js';
import { prepareRunReport } from '../report/run-report.js';

const collect = (value: string, previous: string[]) => [...previous, value];

function keyValue(flag: string, kv: string): [string, string] {
  const eq = kv.indexOf('=');
  if (eq <= 0) throw new UsageError(`${flag} expects KEY=VALUE, got '${kv}'`);
  return [kv.slice(0, eq), kv.slice(eq + 1)];
}

interface ScriptOptions {
  file?: string;
  e?: string;
  define: string[];
  hivevar: string[];
  hiveconf: string[];
}

function addScriptOptions(cmd: Command): Command {
  return cmd
    .option('-f, --file <script>', 'the Hive script to run')
    .option('-e <sql>', 'run this HiveQL text instead of a file')
    .option('-d, --define <key=value>', 'define a variable (like hive -d); repeatable', collect, [])
    .option('--hivevar <key=value>', 'define a variable; repeatable', collect, [])
    .option('--hiveconf <key=value>', 'set a configuration value; repeatable', collect, []);
}

async function loadScript(opts: ScriptOptions): Promise<{ text: string; file: string; variables: HiveVariables }> {
  if (!opts.file && opts.e === undefined) throw new UsageError('give a script with -f FILE (or HiveQL with -e)');
  const variables = new HiveVariables();
  for (const kv of opts.define) variables.hivevar.set(...keyValue('-d', kv));
  for (const kv of opts.hivevar) variables.hivevar.set(...keyValue('--hivevar', kv));
  for (const kv of opts.hiveconf) variables.hiveconf.set(...keyValue('--hiveconf', kv));
  if (opts.e !== undefined) return { text: opts.e, file: '<-e>', variables };
  const file = opts.file!;
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read script ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, { cause: err });
  });
  return { text, file, variables };
}

/** Builds the CLI. `io` is injectable so tests can run it in-process. */
export function buildCli(io: { stdout: (s: string) => void; stderr: (s: string) => void }): Command {
  const program = new Command('loghive')
    .description('Run Hive scripts over access logs locally, with Hive semantics and Hive output files; ingest logs into S3 and run analyses on EMR or the local engine.')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  addScriptOptions(program.command('run').description('run a Hive script, like hive -f'))
    .option('--reducers <n>', 'number of reduce tasks (default: from input size, as Hive does)', (v) => parseIntOption('--reducers', v))
    .option('--workers <n>', 'worker threads for map tasks (default: one per core)', (v) => parseIntOption('--workers', v))
    .option('--split-size <bytes>', 'bytes per input split of uncompressed files (default 64 MB)', (v) => parseIntOption('--split-size', v))
    .option('--memory <size>', 'memory budget for task buffers, e.g. 512m, 2g (default 512m); beyond it they spill to disk', (v) => parseSize('--memory', v))
    .option('--tmp-dir <dir>', 'where spill files go (default: the OS temp directory)')
    .option('--max-attempts <n>', 'attempts per task before the job fails (default 2)', (v) => parseIntOption('--max-attempts', v))
    .option('--table', 'also print each INSERT OVERWRITE DIRECTORY result as a readable table on stdout')
    .option('-q, --quiet', 'no progress bar (non-TTY runs never show one); counters are still printed')
    .option('--report <file>', 'after a successful run, write its charts, tables and counters to one self-contained HTML file')
    .action(async (opts: ScriptOptions & { reducers?: number; workers?: number; splitSize?: number; memory?: number; tmpDir?: string; maxAttempts?: number; table?: boolean; quiet?: boolean; report?: string }) => {
      const { text, file, variables } = await loadScript(opts);
      const progress = !opts.quiet && process.stderr.isTTY && io.stderr === defaultIo.stderr ? new ProgressDisplay() : undefined;
      const session = new HiveSession({
        onProgress: progress ? (p) => progress.update(p) : undefined,
        file,
        variables,
        reducers: opts.reducers,
        workers: opts.workers,
        splitSize: opts.splitSize,
        maxAttempts: opts.maxAttempts,
        memoryBytes: opts.memory,
        tmpDir: opts.tmpDir,
        stdout: io.stdout,
        stderr: io.stderr,
      });
      // Checked before the run (chart line, target directory), written only after it succeeded.
      const report = opts.report !== undefined ? await prepareRunReport({ path: opts.report, script: text, file }, session) : undefined;
      const result = await session.run(text).finally(() => progress?.stop());
      if (opts.table) {
        for (const q of result.queries) {
          if (!q.directory) continue;
          const more = q.rowCount - q.preview.length;
          io.stdout(`${q.directory}\n${renderTable(q.columns, q.preview)}${more > 0 ? `(${more} more rows in the files)\n` : ''}`);
        }
      }
      io.stderr(result.counters.format(result.wallMs) + '\n');
      if (result.malformedSamples.length > 0) {
        const where = (m: { file: string; line?: number; offset?: number }) => (m.line !== undefined ? `${m.file}:${m.line}` : `${m.file} (byte ${m.offset})`);
        const why = (m: { reason?: string }) => (m.reason === 'regex-budget' ? ' (over the regex step budget, read as not matching)' : '');
        io.stderr(`Malformed lines (first ${result.malformedSamples.length}):\n${result.malformedSamples.map((m) => `  ${where(m)}: ${JSON.stringify(m.text)}${why(m)}`).join('\n')}\n`);
      }
      if (report) io.stderr(`Report: ${await report.write(result, variables)}\n`);
    });

  addScriptOptions(program.command('explain').description('print the map-reduce plan of every query in a script, without reading data')).action(async (opts: ScriptOptions) => {
    const { text, file, variables } = await loadScript(opts);
    const session = new HiveSession({ file, variables, stdout: io.stdout, stderr: io.stderr });
    io.stdout(renderExplain(await session.explain(text)));
  });

  program
    .command('generate')
    .description('write deterministic sample logs (for trying jobs and for benchmarks)')
    .addOption(new Option('--format <format>', 'log format').choices(['cloudfront-sample', 'cloudfront', 'combined']).default('cloudfront-sample'))
    .requiredOption('--lines <n>', 'number of lines', (v) => parseIntOption('--lines', v))
    .option('--seed <n>', 'random seed', (v) => parseIntOption('--seed', v), 42)
    .option('--files <n>', 'number of files', (v) => parseIntOption('--files', v), 1)
    .option('--odd-rate <r>', 'share of odd (malformed or unusual) lines', (v) => Number(v))
    .option('--gzip', 'gzip the files')
    .requiredOption('--out <dir>', 'output directory')
    .action(async (opts: { format: LogFormat; lines: number; seed: number; files: number; oddRate?: number; gzip?: boolean; out: string }) => {
      const r = await writeLogFiles({ format: opts.format, lines: opts.lines, seed: opts.seed, files: opts.files, oddRate: opts.oddRate, gzip: opts.gzip, out: opts.out });
      io.stderr(`wrote ${r.lines} lines (${r.oddLines} odd) in ${r.files.length} file(s), ${r.bytes} bytes, to ${opts.out}\n`);
    });
  addCloudCommands(program, io);
  return program;
}

/** --memory and similar: a size such as 512m or 2g, at least 1 MB. */
export function parseSize(flag: string, v: string): number {
  const bytes = parseSizeBytes(v);
  if (bytes === undefined) throw new UsageError(`${flag} expects a size such as 512m or 2g, got '${v}'`);
  if (bytes < 1024 * 1024) throw new UsageError(`${flag} must be at least 1m, got '${v}'`);
  return bytes;
}

function parseIntOption(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} expects a non-negative integer, got '${v}'`);
  return n;
}

/**
 * Ctrl-C and SIGTERM: remove staging directories and temporary files, then
 * exit with the shell's status for the signal. Output is only ever moved into
 * place whole, so an interrupted run leaves the previous output as it was.
 */
export function installSignalCleanup(stderr: (s: string) => void): void {
  let handled = false;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    // `on`, not `once`: Ctrl-C may deliver the signal twice (to the wrapper and to us).
    process.on(signal, () => {
      if (handled) return;
      handled = true;
      removeTempPathsSync();
      stderr(`loghive: interrupted by ${signal}; no output was written and temporary files were removed\n`);
      process.exit(code);
    });
  }
}

/** Runs the CLI and returns the exit status: 0 ok, 1 error, 2 unsupported by the local engine, 64 usage. */
const defaultIo = { stdout: (s: string) => void process.stdout.write(s), stderr: (s: string) => void process.stderr.write(s) };

export async function main(argv: readonly string[], io = defaultIo): Promise<number> {
  const program = buildCli(io);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 64;
    if (err instanceof LoghiveError) {
      io.stderr(`loghive: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr(`loghive: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}
