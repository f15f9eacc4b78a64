/**
 * The local engine inside the Lambda: the rendered script runs with
 * HiveSession against a StorageRegistry that serves s3:// (objects are read
 * as streams, results written through the S3 backend). One worker: a Lambda
 * has one or two vCPUs at the usual sizes, and a bundled handler cannot load
 * the worker thread's separate file. The buffer budget follows the function's
 * memory, spills go to the Lambda's /tmp, and a deadline turns "killed at the
 * timeout" into a FAILED analysis that says why.
 */
import { tmpdir } from 'node:os';
import { HiveSession, type ScriptResult } from '../engine/session.js';
import { HiveParseError, InputError, SemanticError, TaskFailedError, UndefinedVariableError, UnsupportedError } from '../hive/errors.js';
import { HiveVariables } from '../hive/script.js';
import type { StorageRegistry } from '../storage/registry.js';
import type { AnalysisFailure, ResultColumn } from './analysis-record.js';
import { AbortableStorageRegistry } from './abortable-storage.js';
import { AnalysisDeadlineError } from './errors.js';

/** How long a stopped run may take to unwind before its outcome is recorded. */
const STOP_GRACE_MS = 1000;

export interface LambdaRunOptions {
  readonly script: string;
  /** The -d NAME=VALUE pairs. */
  readonly variables: Readonly<Record<string, string>>;
  readonly storage: StorageRegistry;
  /** Name shown in error positions, e.g. scripts/{id}.q. */
  readonly file?: string;
  /** Epoch milliseconds by which the run must be over (leave the caller time to save the record). */
  readonly deadline?: number;
  /** Task buffer budget; default from the Lambda's memory (lambdaMemoryBudget). */
  readonly memoryBytes?: number;
  /** Parent of the spill directory; default os.tmpdir() (/tmp in Lambda). */
  readonly tmpDir?: string;
  /** Engine warnings and notes (default: stderr, which is CloudWatch in Lambda). */
  readonly log?: (text: string) => void;
  readonly now?: () => number;
}

export interface LambdaRunResult {
  readonly state: 'SUCCEEDED' | 'FAILED';
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly rowCount?: number;
  readonly columns?: ResultColumn[];
  /** The INSERT's directory as written. */
  readonly outputDirectory?: string;
  /** Engine counters: recordsRead, malformedRecords, inputBytes, outputRecords, … */
  readonly counters?: Record<string, number>;
  readonly error?: AnalysisFailure;
}

/** Budget for the engine's task buffers: 40% of the function's memory (the rest is V8, the SDK and streams), at least 32 MiB. */
export function lambdaMemoryBudget(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  if (!Number.isFinite(mb) || mb <= 0) return 256 * 1024 * 1024;
  return Math.max(32 * 1024 * 1024, Math.floor(mb * 1024 * 1024 * 0.4));
}

export async function runInLambda(options: LambdaRunOptions): Promise<LambdaRunResult> {
  const now = options.now ?? Date.now;
  const startedAt = new Date(now());
  const log = options.log ?? ((t: string) => process.stderr.write(t));
  // An empty environment: ${env:…} must never read the Lambda's variables (credentials live there).
  const variables = new HiveVariables({});
  for (const [k, v] of Object.entries(options.variables)) variables.hivevar.set(k, v);
  // The deadline cuts the run's storage, so a run that lost the race stops rather than going on in the background.
  const stop = new AbortController();
  const session = new HiveSession({
    file: options.file,
    variables,
    storage: new AbortableStorageRegistry(options.storage, stop.signal),
    workers: 1,
    memoryBytes: options.memoryBytes ?? lambdaMemoryBudget(),
    tmpDir: options.tmpDir ?? tmpdir(),
    stdout: () => undefined,
    stderr: log,
  });
  const budget = options.deadline === undefined ? undefined : options.deadline - now();
  const failed = (err: unknown): LambdaRunResult => ({ state: 'FAILED', startedAt, finishedAt: new Date(now()), error: describeFailure(err) });
  if (budget !== undefined && budget <= 0) return failed(new AnalysisDeadlineError(0));

  const run: Promise<{ result: ScriptResult } | { error: unknown }> = session.run(options.script).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    if (budget !== undefined) timer = setTimeout(() => resolve('deadline'), budget);
  });
  const first = await Promise.race([run, deadline]);
  if (timer) clearTimeout(timer);
  if (first === 'deadline') {
    const err = new AnalysisDeadlineError(budget!);
    stop.abort(err);
    // Give the run a moment to fail on its cut storage and remove its spill files.
    await Promise.race([run, new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref())]);
    return failed(err);
  }
  if ('error' in first) return failed(first.error);
  const { result } = first;
  const query = result.queries[result.queries.length - 1];
  return {
    state: 'SUCCEEDED',
    startedAt,
    finishedAt: new Date(now()),
    rowCount: query?.rowCount ?? 0,
    columns: query?.columns.map((c) => ({ name: c.name, type: { ...c.type } })),
    outputDirectory: query?.directory,
    counters: { ...result.counters.toJSON() },
  };
}

/** An error as the record keeps it: its class, message and, for engine errors, where. */
export function describeFailure(err: unknown): AnalysisFailure {
  if (!(err instanceof Error)) return { type: 'Error', message: String(err) };
  const failure: { -readonly [K in keyof AnalysisFailure]: AnalysisFailure[K] } = { type: err.name || err.constructor.name, message: err.message };
  if (err instanceof HiveParseError || err instanceof SemanticError || err instanceof UnsupportedError || err instanceof UndefinedVariableError) {
    failure.position = { line: err.position.line, column: err.position.column };
  } else if ((err instanceof InputError || err instanceof TaskFailedError) && err.location) {
    failure.location = err.location.file;
  }
  return failure;
}
