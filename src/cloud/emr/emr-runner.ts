/**
 * Runs an analysis's rendered script on EMR: a step on the configured cluster,
 * or a transient cluster of its own; status with the probable cause of a
 * failure; cancel.
 */
import type { EMRClient } from '@aws-sdk/client-emr';
import type { Storage } from '../../storage/storage.js';
import { cancelStep, type CancelRequest, type CancelResult } from './cancel-step.js';
import { describeStep, type StepStatusReport } from './describe-step.js';
import { DEFAULT_MAX_LOG_BYTES, readFailureCause, type FailureCause } from './failure-cause.js';
import type { HiveStepRequest } from './hive-step.js';
import type { RetryOptions } from './retry.js';
import { startCluster, type TransientClusterSettings } from './start-cluster.js';
import { submitStep } from './submit-step.js';

export interface EmrAnalysisRunnerOptions {
  /** Preferably from createEmrClient (SDK retries off; ours run). */
  readonly client: EMRClient;
  /** LOGHIVE_EMR_CLUSTER_ID; empty or absent → a transient cluster per analysis. */
  readonly clusterId?: string;
  /** Transient-cluster settings; `logUri` is also where step logs are read for both kinds of cluster. */
  readonly transient: TransientClusterSettings;
  /** Reads `<logUri>/<cluster-id>/steps/<step-id>/*.gz`. */
  readonly logStorage: Storage;
  /** Backoff settings; tests inject `sleep`. */
  readonly retry?: Partial<RetryOptions>;
  /** Decompressed bytes read per log file. */
  readonly maxLogBytes?: number;
}

export interface SubmittedStep {
  readonly clusterId: string;
  readonly stepId: string;
  readonly transient: boolean;
}

export interface AnalysisStepRef {
  readonly clusterId: string;
  readonly stepId: string;
  readonly transient?: boolean;
}

export interface AnalysisStepStatus extends StepStatusReport {
  /** For a FAILED step that ran: what its logs say, or that they have not arrived yet. */
  readonly cause?: FailureCause;
  /** For FAILED: one line for the analysis record, the Hive error line when the logs have it. */
  readonly failureReason?: string;
  /** timeline.started / timeline.ended again, in the names the analysis record uses. */
  readonly startedAt?: string;
  readonly endedAt?: string;
}

/** The most useful single line: Hive's error line, else EMR's failure details, plus why logs are missing. */
export function failureReason(report: StepStatusReport, cause: FailureCause | undefined): string {
  if (cause?.available && cause.cause) return cause.cause.detail ? `${cause.cause.line} (${cause.cause.detail})` : cause.cause.line;
  const f = report.failure;
  const emr = f?.reason && f.message ? `${f.reason}: ${f.message}` : (f?.message ?? f?.reason ?? `the step ended ${report.emrState}`);
  return cause && !cause.available ? `${emr}; ${cause.message}` : emr;
}

export class EmrAnalysisRunner {
  private readonly client: EMRClient;
  private readonly clusterId: string | undefined;
  private readonly transient: TransientClusterSettings;
  private readonly logStorage: Storage;
  private readonly retry: Partial<RetryOptions> | undefined;
  private readonly maxLogBytes: number;

  constructor(options: EmrAnalysisRunnerOptions) {
    this.client = options.client;
    this.clusterId = options.clusterId ? options.clusterId : undefined;
    this.transient = options.transient;
    this.logStorage = options.logStorage;
    this.retry = options.retry;
    this.maxLogBytes = options.maxLogBytes ?? DEFAULT_MAX_LOG_BYTES;
  }

  /** AddJobFlowSteps on the configured cluster, else RunJobFlow. Validates the id, script location and variables first. */
  async submit(request: HiveStepRequest): Promise<SubmittedStep> {
    if (this.clusterId !== undefined) {
      const submitted = await submitStep(this.client, this.clusterId, request, this.retry);
      return { ...submitted, transient: false };
    }
    const started = await startCluster(this.client, this.transient, request, this.retry);
    return { ...started, transient: true };
  }

  async status(ref: AnalysisStepRef): Promise<AnalysisStepStatus> {
    const report = await describeStep(this.client, ref, this.retry);
    const times = { ...(report.timeline.started ? { startedAt: report.timeline.started } : {}), ...(report.timeline.ended ? { endedAt: report.timeline.ended } : {}) };
    if (report.state !== 'FAILED') return { ...report, ...times };
    // Logs exist only for a step that ran; a cluster that failed to start has none.
    if (report.emrState !== 'FAILED' && !report.timeline.started) return { ...report, ...times, failureReason: failureReason(report, undefined) };
    const cause = await readFailureCause(
      this.logStorage,
      { logUri: this.transient.logUri, clusterId: ref.clusterId, stepId: ref.stepId, ...(report.failure?.logFile ? { emrLogFile: report.failure.logFile } : {}) },
      this.maxLogBytes,
    );
    return { ...report, ...times, cause, failureReason: failureReason(report, cause) };
  }

  /** CancelSteps (SEND_INTERRUPT) on a shared cluster; TerminateJobFlows on the analysis's own transient cluster. */
  async cancel(ref: CancelRequest): Promise<CancelResult> {
    return cancelStep(this.client, ref, this.retry);
  }
}
