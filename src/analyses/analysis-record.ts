/**
 * The analysis record, stored as `analyses/{id}.json`. One schema validates
 * what is written and what is read back, so a record written by an older
 * version or edited by hand fails loudly instead of half-working.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** A random (v4) UUID: the only ids ever issued, checked before any storage path is built from one. */
export const ANALYSIS_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function newAnalysisId(): string {
  return randomUUID();
}

export function isAnalysisId(id: string): boolean {
  return ANALYSIS_ID.test(id);
}

export const ANALYSIS_STATES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type AnalysisState = (typeof ANALYSIS_STATES)[number];

export function isTerminal(state: AnalysisState): boolean {
  return state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED';
}

/** A Hive type as the planner names it; any name is kept (a type added to the engine later must not make records unreadable). */
const HiveTypeSchema = z.object({
  name: z.string().min(1),
  length: z.number().int().optional(),
  scale: z.number().int().optional(),
});

const ColumnSchema = z.object({ name: z.string(), type: HiveTypeSchema });
export type ResultColumn = z.infer<typeof ColumnSchema>;

/** How the output files are written: Hive's defaults unless the INSERT has ROW FORMAT DELIMITED. */
const OutputFormatSchema = z.object({
  fieldSeparator: z.string().min(1),
  nullText: z.string(),
  collectionSeparator: z.string().min(1),
});
export type OutputFormat = z.infer<typeof OutputFormatSchema>;

const ErrorSchema = z.object({
  /** The error class, e.g. SemanticError, AnalysisDeadlineError, or the EMR failure reason. */
  type: z.string(),
  message: z.string(),
  /** Where in the rendered script (scripts/{id}.q), for the engine's parse and semantic errors. */
  position: z.object({ line: z.number().int(), column: z.number().int() }).optional(),
  /** Which input the engine was reading. */
  location: z.string().optional(),
});
export type AnalysisFailure = z.infer<typeof ErrorSchema>;

const Timestamp = z.iso.datetime();

export const AnalysisRecordSchema = z.object({
  id: z.string().regex(ANALYSIS_ID),
  job: z.string(),
  /** The caller's variables (FROM, TO, …), as validated. */
  vars: z.record(z.string(), z.string()),
  requestedEngine: z.enum(['emr', 'lambda', 'auto']),
  engine: z.enum(['emr', 'lambda']),
  /** Why this engine (the threshold and the bytes, for auto). */
  engineReason: z.string(),
  state: z.enum(ANALYSIS_STATES),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  startedAt: Timestamp.optional(),
  finishedAt: Timestamp.optional(),
  /** scripts/{id}.q */
  scriptLocation: z.string(),
  /** The -d NAME=VALUE pairs the rendered script is run with. */
  hiveVariables: z.record(z.string(), z.string()),
  /** results/{id}/{job}/: the INSERT's directory. */
  outputLocation: z.string(),
  outputFormat: OutputFormatSchema,
  /** The INSERT's columns as the planner typed them; absent when the local planner could not plan the job (EMR only). */
  columns: z.array(ColumnSchema).optional(),
  input: z.object({ bytes: z.number().int().nonnegative(), partitions: z.number().int().nonnegative(), tables: z.array(z.string()) }),
  emr: z.object({ clusterId: z.string(), stepId: z.string(), transient: z.boolean() }).optional(),
  /** Rows written (known at once for the Lambda engine; for EMR once results are read). */
  rowCount: z.number().int().nonnegative().optional(),
  /** Engine counters (records read, malformed records, …) from the Lambda engine. */
  counters: z.record(z.string(), z.number()).optional(),
  error: ErrorSchema.optional(),
});

export type AnalysisRecord = z.infer<typeof AnalysisRecordSchema>;
export type EngineName = AnalysisRecord['engine'];
export type EngineRequest = AnalysisRecord['requestedEngine'];
