/**
 * GET /analyses/{id} and DELETE /analyses/{id}: the stored record, brought up
 * to date from EMR's step status while it runs. A state change is written
 * back, so terminal states are kept even after EMR forgets the step (steps
 * and transient clusters expire).
 */
import type { StorageRegistry } from '../storage/registry.js';
import { isTerminal, type AnalysisRecord, type AnalysisState } from './analysis-record.js';
import { AnalysisStateError } from './errors.js';
import { RecordStore } from './record-store.js';

export interface EmrStepRef {
  readonly clusterId: string;
  readonly stepId: string;
  /** A transient cluster: its state explains a PENDING step, and cancelling terminates it. */
  readonly transient: boolean;
}

/** A step's state in our terms (src/cloud/emr/ maps DescribeStep's states to these). */
export interface EmrStepStatus {
  readonly state: AnalysisState;
  /** Why it failed: the step's failure details or the cause read from its logs. */
  readonly failureReason?: string;
  readonly startedAt?: Date | string;
  readonly endedAt?: Date | string;
}

/** What the analyses module needs from src/cloud/emr/ for status and cancel (EmrAnalysisRunner satisfies it). */
export interface EmrStepControl {
  status(step: EmrStepRef): Promise<EmrStepStatus>;
  /** `analysisId`: a transient cluster is terminated only if it carries this analysis's tag. */
  cancel(step: EmrStepRef & { readonly analysisId: string }): Promise<unknown>;
}

export interface StatusOptions {
  readonly storage: StorageRegistry;
  readonly bucketRoot: string;
  readonly emr?: Pick<EmrStepControl, 'status'>;
  readonly now?: () => Date;
  /**
   * A Lambda analysis still PENDING or RUNNING after this long was lost (the
   * function timed out or ran out of memory before it could record why); it is
   * marked FAILED. Default 16 minutes: Lambda's 15-minute limit and a margin.
   */
  readonly lambdaStaleAfterMs?: number;
}

const LAMBDA_STALE_AFTER_MS = 16 * 60 * 1000;

export async function getAnalysis(id: string, options: StatusOptions): Promise<AnalysisRecord> {
  const store = new RecordStore(options.storage, options.bucketRoot);
  const record = await store.load(id);
  if (isTerminal(record.state)) return record;
  const now = (options.now ?? (() => new Date()))();
  let updated: AnalysisRecord | undefined;
  if (record.engine === 'emr' && record.emr && options.emr) {
    updated = merge(record, await options.emr.status(record.emr), now);
  } else if (record.engine === 'lambda') {
    const since = Date.parse(record.startedAt ?? record.createdAt);
    if (now.getTime() - since > (options.lambdaStaleAfterMs ?? LAMBDA_STALE_AFTER_MS)) {
      updated = {
        ...record,
        state: 'FAILED',
        finishedAt: now.toISOString(),
        updatedAt: now.toISOString(),
        error: { type: 'LambdaLostError', message: `the Lambda engine stopped without recording an outcome (it was ${record.state} since ${record.startedAt ?? record.createdAt}); it most likely ran out of time or memory: run it again with engine "emr"` },
      };
    }
  }
  if (!updated) return record;
  await store.save(updated);
  return updated;
}

/** DELETE /analyses/{id}: cancels a PENDING or RUNNING EMR step; anything else is a 409. */
export async function cancelAnalysis(id: string, options: Omit<StatusOptions, 'emr'> & { readonly emr?: EmrStepControl }): Promise<AnalysisRecord> {
  const store = new RecordStore(options.storage, options.bucketRoot);
  const record = await getAnalysis(id, options);
  if (isTerminal(record.state)) throw new AnalysisStateError(`analysis ${record.id} is already ${record.state}`);
  if (record.engine !== 'emr' || !record.emr || !options.emr) throw new AnalysisStateError(`analysis ${record.id} runs on the Lambda engine, which cannot be cancelled; it ends by its deadline`);
  await options.emr.cancel({ ...record.emr, analysisId: record.id });
  const now = (options.now ?? (() => new Date()))().toISOString();
  const cancelled: AnalysisRecord = { ...record, state: 'CANCELLED', finishedAt: now, updatedAt: now };
  await store.save(cancelled);
  return cancelled;
}

/** The record with EMR's view applied, or undefined when nothing changed. */
function merge(record: AnalysisRecord, status: EmrStepStatus, now: Date): AnalysisRecord | undefined {
  const startedAt = iso(status.startedAt) ?? record.startedAt;
  if (status.state === record.state && startedAt === record.startedAt) return undefined;
  const next: AnalysisRecord = { ...record, state: status.state, startedAt, updatedAt: now.toISOString() };
  if (!isTerminal(status.state)) return next;
  return {
    ...next,
    finishedAt: iso(status.endedAt) ?? now.toISOString(),
    ...(status.state === 'FAILED' ? { error: { type: 'EmrStepFailed', message: status.failureReason ?? 'the EMR step failed (see its logs under emr-logs/)' } } : {}),
  };
}

function iso(d: Date | string | undefined): string | undefined {
  if (d === undefined) return undefined;
  const t = typeof d === 'string' ? Date.parse(d) : d.getTime();
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
