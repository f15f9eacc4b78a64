/**
 * DescribeStep (and DescribeCluster when the step alone cannot say) → our
 * analysis state.
 *
 * | EMR step state | our state | why |
 * |---|---|---|
 * | PENDING | PENDING | queued, or the transient cluster is still starting |
 * | PENDING, cluster TERMINATING/TERMINATED(_WITH_ERRORS) | FAILED, or CANCELLED when the cluster was terminated by USER_REQUEST | the step will never run; the cluster's StateChangeReason is the cause |
 * | CANCEL_PENDING | RUNNING if it started, else PENDING | a cancel was requested but has not taken effect; not final |
 * | RUNNING | RUNNING | |
 * | COMPLETED | SUCCEEDED | |
 * | CANCELLED | CANCELLED, or FAILED when the cluster TERMINATED_WITH_ERRORS | a cluster that fails to start cancels its pending steps |
 * | FAILED | FAILED | FailureDetails as EMR gives them |
 * | INTERRUPTED | CANCELLED when the cluster was terminated by USER_REQUEST (our cancel of a transient cluster), else FAILED | the cluster went away under the step |
 */
import {
  DescribeClusterCommand,
  DescribeStepCommand,
  type Cluster,
  type ClusterState,
  type EMRClient,
  type Step,
  type StepState,
} from '@aws-sdk/client-emr';
import { emrCall } from './emr-call.js';
import { EmrRequestError } from './errors.js';
import type { RetryOptions } from './retry.js';

export type AnalysisState = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface StepFailure {
  readonly reason?: string;
  readonly message?: string;
  /** Where EMR found the root cause (an S3 URI), when it says. */
  readonly logFile?: string;
}

/** ISO 8601 instants. */
export interface StepTimeline {
  readonly created?: string;
  readonly started?: string;
  readonly ended?: string;
}

export interface ClusterSummary {
  readonly id: string;
  readonly state?: ClusterState;
  readonly stateChangeReason?: { readonly code?: string; readonly message?: string };
}

export interface StepStatusReport {
  readonly state: AnalysisState;
  readonly emrState: StepState;
  readonly failure?: StepFailure;
  readonly timeline: StepTimeline;
  /** Present when DescribeCluster was called. */
  readonly cluster?: ClusterSummary;
  /** A sentence for people: what the state means right now. */
  readonly note?: string;
}

export interface StepRef {
  readonly clusterId: string;
  readonly stepId: string;
  /** A transient cluster: a PENDING step may be waiting for the cluster, which can fail first. */
  readonly transient?: boolean;
}

const TERMINAL_CLUSTER_STATES: ReadonlySet<string> = new Set(['TERMINATING', 'TERMINATED', 'TERMINATED_WITH_ERRORS']);

export async function describeStep(client: EMRClient, ref: StepRef, retry?: Partial<RetryOptions>): Promise<StepStatusReport> {
  const step = await fetchStep(client, ref, retry);
  const emrState = step.Status?.State;
  if (!emrState) throw new EmrRequestError('DescribeStep', 'NoState', `EMR returned no state for step ${ref.stepId}`);
  const needsCluster = emrState === 'CANCELLED' || emrState === 'INTERRUPTED' || (emrState === 'PENDING' && ref.transient === true);
  const cluster = needsCluster ? await fetchCluster(client, ref.clusterId, retry) : undefined;
  return resolveStepStatus(step, emrState, cluster && summarizeCluster(ref.clusterId, cluster));
}

export async function fetchStep(client: EMRClient, ref: StepRef, retry?: Partial<RetryOptions>): Promise<Step> {
  const output = await emrCall(() => client.send(new DescribeStepCommand({ ClusterId: ref.clusterId, StepId: ref.stepId })), {
    operation: 'DescribeStep',
    idempotent: true,
    retry,
  });
  if (!output.Step) throw new EmrRequestError('DescribeStep', 'NoStep', `EMR returned no step ${ref.stepId} on cluster ${ref.clusterId}`);
  return output.Step;
}

export async function fetchCluster(client: EMRClient, clusterId: string, retry?: Partial<RetryOptions>): Promise<Cluster> {
  const output = await emrCall(() => client.send(new DescribeClusterCommand({ ClusterId: clusterId })), {
    operation: 'DescribeCluster',
    idempotent: true,
    retry,
  });
  if (!output.Cluster) throw new EmrRequestError('DescribeCluster', 'NoCluster', `EMR returned no cluster ${clusterId}`);
  return output.Cluster;
}

function summarizeCluster(id: string, cluster: Cluster): ClusterSummary {
  const reason = cluster.Status?.StateChangeReason;
  return {
    id,
    ...(cluster.Status?.State ? { state: cluster.Status.State } : {}),
    ...(reason && (reason.Code || reason.Message) ? { stateChangeReason: { ...(reason.Code ? { code: reason.Code } : {}), ...(reason.Message ? { message: reason.Message } : {}) } } : {}),
  };
}

function timelineOf(step: Step): StepTimeline {
  const t = step.Status?.Timeline;
  return {
    ...(t?.CreationDateTime ? { created: t.CreationDateTime.toISOString() } : {}),
    ...(t?.StartDateTime ? { started: t.StartDateTime.toISOString() } : {}),
    ...(t?.EndDateTime ? { ended: t.EndDateTime.toISOString() } : {}),
  };
}

function stepFailure(step: Step): StepFailure {
  const d = step.Status?.FailureDetails;
  return {
    ...(d?.Reason ? { reason: d.Reason } : {}),
    ...(d?.Message ? { message: d.Message } : {}),
    ...(d?.LogFile ? { logFile: d.LogFile } : {}),
  };
}

function clusterFailure(cluster: ClusterSummary): StepFailure {
  const code = cluster.stateChangeReason?.code ?? cluster.state ?? 'UNKNOWN';
  return {
    reason: `cluster ${cluster.id} ${cluster.state ?? 'ended'} (${code})`,
    message: cluster.stateChangeReason?.message ?? `the cluster ended before the step could run`,
  };
}

const byUser = (cluster: ClusterSummary | undefined): boolean => cluster?.stateChangeReason?.code === 'USER_REQUEST';

/** The mapping in the table above; pure, so every row is tested without a client. */
export function resolveStepStatus(step: Step, emrState: StepState, cluster: ClusterSummary | undefined): StepStatusReport {
  const timeline = timelineOf(step);
  const base = { emrState, timeline, ...(cluster ? { cluster } : {}) };
  switch (emrState) {
    case 'COMPLETED':
      return { ...base, state: 'SUCCEEDED' };
    case 'RUNNING':
      return { ...base, state: 'RUNNING' };
    case 'CANCEL_PENDING':
      return { ...base, state: timeline.started ? 'RUNNING' : 'PENDING', note: 'a cancellation was requested; EMR has not stopped the step yet' };
    case 'FAILED':
      return { ...base, state: 'FAILED', failure: stepFailure(step) };
    case 'PENDING': {
      if (cluster?.state && TERMINAL_CLUSTER_STATES.has(cluster.state)) {
        if (byUser(cluster)) return { ...base, state: 'CANCELLED', note: `cluster ${cluster.id} was terminated on request before the step ran` };
        return { ...base, state: 'FAILED', failure: clusterFailure(cluster), note: 'the cluster ended before the step could run' };
      }
      const waiting = cluster?.state === 'STARTING' || cluster?.state === 'BOOTSTRAPPING';
      return { ...base, state: 'PENDING', ...(waiting ? { note: `waiting for cluster ${cluster.id} to start (${cluster.state})` } : {}) };
    }
    case 'CANCELLED':
      if (cluster?.state === 'TERMINATED_WITH_ERRORS') {
        return { ...base, state: 'FAILED', failure: clusterFailure(cluster), note: 'the cluster failed before the step could run' };
      }
      return { ...base, state: 'CANCELLED' };
    case 'INTERRUPTED':
      if (byUser(cluster)) return { ...base, state: 'CANCELLED', note: `cluster ${cluster?.id ?? ''} was terminated on request while the step ran` };
      return { ...base, state: 'FAILED', failure: cluster ? { ...stepFailure(step), ...clusterFailure(cluster) } : stepFailure(step), note: 'the step was interrupted' };
    default: {
      // A state newer than this SDK: report it rather than guess.
      const unknown: never = emrState;
      throw new EmrRequestError('DescribeStep', 'UnknownState', `unknown step state ${String(unknown)}`);
    }
  }
}
