/**
 * POST /analyses: validate → render for S3 → plan (columns for the results
 * reader) → choose the engine → upload scripts/{id}.q → save the record →
 * submit the Hive step to EMR or run the local engine in this Lambda.
 * Everything that can be refused (unknown job or variable, bad dates, no data
 * in range, no engine) is refused before anything is written.
 */
import { z } from 'zod';
import { HiveSession } from '../engine/session.js';
import { HIVE_FILE_FORMAT } from '../engine/text-output.js';
import { UnsupportedError } from '../hive/errors.js';
import { HiveVariables } from '../hive/script.js';
import { separatorChar } from '../serde/lazy-simple-serde.js';
import type { StorageRegistry } from '../storage/registry.js';
import { newAnalysisId, type AnalysisRecord, type EngineRequest, type OutputFormat, type ResultColumn } from './analysis-record.js';
import { chooseEngine } from './engine-choice.js';
import { InvalidRequestError, JobRenderError } from './errors.js';
import { cachedJobCatalog, type JobCatalog } from './job-catalog.js';
import { executeLambdaAnalysis, type LambdaSettings } from './lambda-analysis.js';
import { RecordStore } from './record-store.js';
import { renderForS3, trimRoot } from './render-for-s3.js';
import { describeFailure } from './run-in-lambda.js';
import { validateVariables } from './variables.js';

/** What the analyses module needs from src/cloud/emr/ (EmrAnalysisRunner satisfies it). */
export interface EmrSubmitter {
  submit(input: { analysisId: string; scriptLocation: string; variables: Readonly<Record<string, string>> }): Promise<{ clusterId: string; stepId: string; transient: boolean }>;
}

export interface AnalysesConfig {
  /** `s3://bucket` (a local directory in tests). */
  readonly bucketRoot: string;
  readonly defaultEngine: EngineRequest;
  /** `auto` picks Lambda at or below this many input bytes. */
  readonly lambdaMaxBytes: number;
}

export interface StartAnalysisOptions {
  /** The POST body, untrusted: `{ job, vars, engine? }`. */
  readonly request: unknown;
  readonly config: AnalysesConfig;
  /** Must serve the bucket's scheme (S3Storage registered for s3://). */
  readonly storage: StorageRegistry;
  readonly jobsDir: string;
  /** Absent when EMR is not configured: engine "emr" is then a 501. */
  readonly emr?: EmrSubmitter;
  /** Lambda engine settings; `defer: true` saves the analysis PENDING for runPendingAnalysis instead of running it now. */
  readonly lambda?: LambdaSettings & { readonly defer?: boolean };
  /** Tests pass a fixed catalog; otherwise jobsDir is read once per container. */
  readonly catalog?: JobCatalog;
  readonly now?: () => Date;
}

export const StartAnalysisRequestSchema = z.strictObject({
  job: z.string().min(1).max(64),
  vars: z.unknown().optional(),
  engine: z.enum(['emr', 'lambda', 'auto']).optional(),
});
export type StartAnalysisRequest = z.infer<typeof StartAnalysisRequestSchema>;

export async function startAnalysis(options: StartAnalysisOptions): Promise<AnalysisRecord> {
  const { config, storage } = options;
  const now = options.now ?? (() => new Date());
  const parsed = StartAnalysisRequestSchema.safeParse(options.request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidRequestError(`request body: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message} (expected {"job": "...", "vars": {...}, "engine": "emr" | "lambda" | "auto"})`);
  }
  const request = parsed.data;
  const catalog = options.catalog ?? (await cachedJobCatalog(options.jobsDir));
  const job = catalog.get(request.job);
  const vars = validateVariables(job, request.vars);

  const root = trimRoot(config.bucketRoot);
  const id = newAnalysisId();
  const rendered = await renderForS3({ job, bucketRoot: root, storage, range: vars.range });
  const available: Record<string, string> = { ...vars.values, OUTPUT: `${root}/results/${id}`, INPUT: `${root}/logs` };
  const hiveVariables: Record<string, string> = {};
  for (const name of rendered.variables) {
    const value = available[name];
    if (value === undefined) throw new JobRenderError(job.name, `the script uses \${${name}}, which its header does not declare`);
    hiveVariables[name] = value;
  }
  const scriptLocation = `${root}/scripts/${id}.q`;
  const planned = await planOutput(job.name, rendered.script, hiveVariables, storage, scriptLocation);
  const choice = chooseEngine({
    requested: request.engine ?? config.defaultEngine,
    inputBytes: rendered.inputBytes,
    lambdaMaxBytes: config.lambdaMaxBytes,
    emrAvailable: options.emr !== undefined,
    lambdaRefusal: planned.unsupported?.message,
  });

  await storage.resolve(scriptLocation).writeFile(scriptLocation, rendered.script);
  const created = now().toISOString();
  const record: AnalysisRecord = {
    id,
    job: job.name,
    vars: { ...vars.values },
    requestedEngine: request.engine ?? config.defaultEngine,
    engine: choice.engine,
    engineReason: choice.reason,
    state: 'PENDING',
    createdAt: created,
    updatedAt: created,
    scriptLocation,
    hiveVariables,
    outputLocation: planned.outputLocation ?? `${root}/results/${id}/${job.name}/`,
    outputFormat: planned.outputFormat,
    columns: planned.columns,
    input: { bytes: rendered.inputBytes, partitions: rendered.partitions.length, tables: [...rendered.tables] },
  };
  const store = new RecordStore(storage, root);
  // Saved before submitting, so a step never exists without its record.
  await store.save(record);

  if (choice.engine === 'lambda') {
    if (options.lambda?.defer) return record;
    return executeLambdaAnalysis({ record, script: rendered.script, store, storage, lambda: options.lambda, now });
  }
  const emr = options.emr!;
  let submitted: AnalysisRecord;
  try {
    const step = await emr.submit({ analysisId: id, scriptLocation, variables: hiveVariables });
    submitted = { ...record, emr: { clusterId: step.clusterId, stepId: step.stepId, transient: step.transient }, updatedAt: now().toISOString() };
  } catch (err) {
    // The caller gets a record that says why, rather than a 500 with the script orphaned.
    submitted = { ...record, state: 'FAILED', error: describeFailure(err), finishedAt: now().toISOString(), updatedAt: now().toISOString() };
  }
  await store.save(submitted);
  return submitted;
}

interface PlannedOutput {
  readonly columns?: ResultColumn[];
  readonly outputLocation?: string;
  readonly outputFormat: OutputFormat;
  /** Set when the local planner refuses the job (it may still run on EMR). */
  readonly unsupported?: UnsupportedError;
}

/** The INSERT's directory, columns and text format, from the planner (no data is read). */
async function planOutput(jobName: string, script: string, variables: Record<string, string>, storage: StorageRegistry, file: string): Promise<PlannedOutput> {
  const hiveVars = new HiveVariables({});
  for (const [k, v] of Object.entries(variables)) hiveVars.hivevar.set(k, v);
  const session = new HiveSession({ file, variables: hiveVars, storage, workers: 1, stdout: () => undefined, stderr: () => undefined });
  let explained;
  try {
    explained = await session.explain(script);
  } catch (err) {
    if (err instanceof UnsupportedError) return { outputFormat: HIVE_FILE_FORMAT, unsupported: err };
    throw err;
  }
  const insert = [...explained].reverse().find((e) => e.statement.kind === 'insert-directory' && e.plan);
  if (!insert || insert.statement.kind !== 'insert-directory' || !insert.plan) throw new JobRenderError(jobName, 'the job has no INSERT OVERWRITE DIRECTORY, so it writes no results');
  const rf = insert.statement.rowFormat?.kind === 'delimited' ? insert.statement.rowFormat : undefined;
  const outputFormat: OutputFormat = rf
    ? {
        fieldSeparator: separatorChar(rf.fieldsTerminatedBy, HIVE_FILE_FORMAT.fieldSeparator),
        nullText: rf.nullDefinedAs ?? HIVE_FILE_FORMAT.nullText,
        collectionSeparator: separatorChar(rf.collectionItemsTerminatedBy, HIVE_FILE_FORMAT.collectionSeparator),
      }
    : { ...HIVE_FILE_FORMAT };
  return {
    columns: insert.plan.columns.map((c) => ({ name: c.name, type: { ...c.type } })),
    outputLocation: insert.statement.path,
    outputFormat,
  };
}
