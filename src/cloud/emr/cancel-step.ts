/**
 * Cancelling an analysis's step.
 *
 * - On a shared cluster: CancelSteps with SEND_INTERRUPT (EMR 5.28.0+ cancels
 *   PENDING and RUNNING steps). CancelSteps is asynchronous: DescribeStep shows
 *   CANCEL_PENDING, then CANCELLED. A CancelStepsInfo with Status FAILED
 *   becomes StepNotCancellableError (409).
 * - On a transient cluster: TerminateJobFlows. The cluster exists only for
 *   this step, so terminating it is what stops both the step and the billing;
 *   CancelSteps would leave a cluster still starting up (its pending step may
 *   not even be cancellable yet). The step ends CANCELLED (pending) or
 *   INTERRUPTED (running), and the cluster's StateChangeReason says
 *   USER_REQUEST, which describe-step reports as CANCELLED. We terminate only
 *   a cluster tagged `loghive:analysis` with this analysis's id, so a wrong
 *   record can never terminate a shared cluster.
 *
 * Either way DescribeStep runs first: a step that has already ended gets a
 * clear 409 instead of a request EMR would silently ignore.
 */
import { CancelStepsCommand, TerminateJobFlowsCommand, type EMRClient, type StepState } from '@aws-sdk/client-emr';
import { fetchCluster, fetchStep } from './describe-step.js';
import { emrCall } from './emr-call.js';
import { StepNotCancellableError } from './errors.js';
import type { RetryOptions } from './retry.js';
import { ANALYSIS_TAG } from './start-cluster.js';

export interface CancelRequest {
  readonly clusterId: string;
  readonly stepId: string;
  readonly transient: boolean;
  /** For a transient cluster: the `loghive:analysis` tag value it must carry. Without it any loghive-tagged cluster is accepted. */
  readonly analysisId?: string;
}

export interface CancelResult {
  /** The EMR API that was called; undefined when a cancel was already under way. */
  readonly action: 'CancelSteps' | 'TerminateJobFlows' | undefined;
  /** The step's state before the request. */
  readonly emrStateBefore: StepState;
}

const ENDED: ReadonlySet<StepState> = new Set<StepState>(['COMPLETED', 'CANCELLED', 'FAILED', 'INTERRUPTED']);

export async function cancelStep(client: EMRClient, request: CancelRequest, retry?: Partial<RetryOptions>): Promise<CancelResult> {
  const step = await fetchStep(client, { clusterId: request.clusterId, stepId: request.stepId }, retry);
  const emrStateBefore = step.Status?.State;
  if (emrStateBefore === undefined || ENDED.has(emrStateBefore)) {
    throw new StepNotCancellableError(request.stepId, `it has already ended (${emrStateBefore ?? 'no state'})`);
  }
  if (emrStateBefore === 'CANCEL_PENDING') return { action: undefined, emrStateBefore };
  if (request.transient) {
    await terminateTransientCluster(client, request, retry);
    return { action: 'TerminateJobFlows', emrStateBefore };
  }
  const output = await emrCall(
    () => client.send(new CancelStepsCommand({ ClusterId: request.clusterId, StepIds: [request.stepId], StepCancellationOption: 'SEND_INTERRUPT' })),
    { operation: 'CancelSteps', idempotent: true, retry },
  );
  const info = output.CancelStepsInfoList?.find((i) => i.StepId === request.stepId) ?? output.CancelStepsInfoList?.[0];
  if (info?.Status === 'FAILED') {
    throw new StepNotCancellableError(request.stepId, info.Reason ?? 'EMR refused the cancellation without a reason');
  }
  return { action: 'CancelSteps', emrStateBefore };
}

async function terminateTransientCluster(client: EMRClient, request: CancelRequest, retry?: Partial<RetryOptions>): Promise<void> {
  const cluster = await fetchCluster(client, request.clusterId, retry);
  const tag = cluster.Tags?.find((t) => t.Key === ANALYSIS_TAG);
  if (!tag || (request.analysisId !== undefined && tag.Value !== request.analysisId)) {
    throw new StepNotCancellableError(
      request.stepId,
      `cluster ${request.clusterId} is not this analysis's transient cluster (no ${ANALYSIS_TAG}=${request.analysisId ?? '…'} tag); refusing to terminate it`,
    );
  }
  await emrCall(() => client.send(new TerminateJobFlowsCommand({ JobFlowIds: [request.clusterId] })), {
    operation: 'TerminateJobFlows',
    idempotent: true,
    retry,
  });
}
