/**
 * Runs a saved Lambda-engine analysis and records the outcome: RUNNING while
 * it runs (so GET /analyses/{id} shows it), then SUCCEEDED with the row count,
 * columns and counters, or FAILED with the error. Used inline by
 * startAnalysis, or by a separate asynchronous invocation (runPendingAnalysis)
 * when the HTTP API's 30 s limit is too short for the run.
 */
import type { StorageRegistry } from '../storage/registry.js';
import type { AnalysisRecord } from './analysis-record.js';
import { AnalysisStateError } from './errors.js';
import { readSmall, RecordStore } from './record-store.js';
import { runInLambda, type LambdaRunOptions } from './run-in-lambda.js';

/** How the Lambda engine runs: its deadline, memory and spill directory (see runInLambda). */
export type LambdaSettings = Pick<LambdaRunOptions, 'deadline' | 'memoryBytes' | 'tmpDir' | 'log'>;

export interface ExecuteOptions {
  readonly record: AnalysisRecord;
  /** The rendered script; read from record.scriptLocation when absent. */
  readonly script?: string;
  readonly store: RecordStore;
  readonly storage: StorageRegistry;
  readonly lambda?: LambdaSettings;
  readonly now?: () => Date;
}

const MAX_SCRIPT_BYTES = 16 << 20;

export async function executeLambdaAnalysis(options: ExecuteOptions): Promise<AnalysisRecord> {
  const { store, storage } = options;
  const now = options.now ?? (() => new Date());
  const script = options.script ?? (await readSmall(storage.resolve(options.record.scriptLocation).openRead(options.record.scriptLocation), MAX_SCRIPT_BYTES, options.record.scriptLocation));
  const running: AnalysisRecord = { ...options.record, state: 'RUNNING', startedAt: now().toISOString(), updatedAt: now().toISOString() };
  await store.save(running);
  const outcome = await runInLambda({
    ...options.lambda,
    script,
    variables: running.hiveVariables,
    storage,
    file: `scripts/${running.id}.q`,
    now: () => now().getTime(),
  });
  const finished: AnalysisRecord = {
    ...running,
    state: outcome.state,
    finishedAt: outcome.finishedAt.toISOString(),
    updatedAt: outcome.finishedAt.toISOString(),
    ...(outcome.state === 'SUCCEEDED'
      ? { rowCount: outcome.rowCount, counters: outcome.counters, columns: outcome.columns ?? running.columns }
      : { error: outcome.error }),
  };
  await store.save(finished);
  return finished;
}

/** Runs an analysis that startAnalysis saved as PENDING with `lambda.defer` (from an asynchronous invocation). */
export async function runPendingAnalysis(options: { id: string; store: RecordStore; storage: StorageRegistry; lambda?: LambdaSettings; now?: () => Date }): Promise<AnalysisRecord> {
  const record = await options.store.load(options.id);
  if (record.engine !== 'lambda' || record.state !== 'PENDING') throw new AnalysisStateError(`analysis ${record.id} is ${record.state} on ${record.engine}: only a PENDING Lambda analysis can be run`);
  return executeLambdaAnalysis({ ...options, record });
}
