/** AddJobFlowSteps: one Hive step on an existing cluster. */
import { AddJobFlowStepsCommand, type EMRClient } from '@aws-sdk/client-emr';
import { emrCall } from './emr-call.js';
import { EmrRequestError } from './errors.js';
import { buildHiveStep, type HiveStepRequest } from './hive-step.js';
import type { RetryOptions } from './retry.js';

export async function submitStep(
  client: EMRClient,
  clusterId: string,
  request: HiveStepRequest,
  retry?: Partial<RetryOptions>,
): Promise<{ clusterId: string; stepId: string }> {
  // CONTINUE: a failed analysis must not stop or terminate a shared cluster.
  const step = buildHiveStep(request, 'CONTINUE');
  const output = await emrCall(() => client.send(new AddJobFlowStepsCommand({ JobFlowId: clusterId, Steps: [step] })), {
    operation: 'AddJobFlowSteps',
    idempotent: false,
    retry,
  });
  const stepId = output.StepIds?.[0];
  if (!stepId) throw new EmrRequestError('AddJobFlowSteps', 'NoStepId', `EMR returned no step id for cluster ${clusterId}`);
  return { clusterId, stepId };
}
