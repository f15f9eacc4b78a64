/**
 * RunJobFlow: a transient cluster that runs one Hive step and terminates
 * (KeepJobFlowAliveWhenNoSteps false; the step's ActionOnFailure
 * TERMINATE_CLUSTER so a failure does not leave it running either).
 * RunJobFlow returns only the cluster id, so ListSteps reads the step id.
 */
import { ListStepsCommand, RunJobFlowCommand, type EMRClient, type InstanceGroupConfig, type RunJobFlowInput } from '@aws-sdk/client-emr';
import { emrCall } from './emr-call.js';
import { EmrNotConfiguredError, EmrRequestError, EmrUnavailableError } from './errors.js';
import { buildHiveStep, hiveStepName, type HiveStepRequest } from './hive-step.js';
import type { RetryOptions } from './retry.js';

export interface TransientClusterSettings {
  /** Default `emr-7.12.0` (LOGHIVE_EMR_RELEASE_LABEL). */
  readonly releaseLabel: string;
  readonly instanceType: string;
  /** All nodes, the primary included (like `aws emr create-cluster --instance-count`): 1 primary + (count - 1) core. */
  readonly instanceCount: number;
  readonly subnetId?: string;
  /** Also where step logs are read from: `<logUri>/<cluster-id>/steps/<step-id>/`. */
  readonly logUri: string;
  readonly jobFlowRole: string;
  readonly serviceRole: string;
}

/** The tag that marks a cluster as one analysis's own (cancel terminates only tagged clusters). */
export const ANALYSIS_TAG = 'loghive:analysis';

export function checkTransientSettings(settings: TransientClusterSettings | undefined): asserts settings is TransientClusterSettings {
  if (!settings) throw new EmrNotConfiguredError('no LOGHIVE_EMR_CLUSTER_ID and no transient-cluster settings');
  const missing = (['releaseLabel', 'instanceType', 'logUri', 'jobFlowRole', 'serviceRole'] as const).filter((k) => !settings[k]);
  if (missing.length > 0) throw new EmrNotConfiguredError(`no LOGHIVE_EMR_CLUSTER_ID, and the transient-cluster settings lack ${missing.join(', ')}`);
  if (!Number.isInteger(settings.instanceCount) || settings.instanceCount < 1) {
    throw new EmrNotConfiguredError(`LOGHIVE_EMR_INSTANCE_COUNT must be a whole number of at least 1, got ${settings.instanceCount}`);
  }
}

export function buildRunJobFlowInput(settings: TransientClusterSettings, request: HiveStepRequest): RunJobFlowInput {
  checkTransientSettings(settings);
  const step = buildHiveStep(request, 'TERMINATE_CLUSTER');
  const groups: InstanceGroupConfig[] = [{ Name: 'Primary', InstanceRole: 'MASTER', InstanceType: settings.instanceType, InstanceCount: 1 }];
  if (settings.instanceCount > 1) {
    groups.push({ Name: 'Core', InstanceRole: 'CORE', InstanceType: settings.instanceType, InstanceCount: settings.instanceCount - 1 });
  }
  return {
    Name: `loghive-${request.analysisId}`,
    ReleaseLabel: settings.releaseLabel,
    Applications: [{ Name: 'Hive' }],
    LogUri: settings.logUri,
    Instances: {
      InstanceGroups: groups,
      KeepJobFlowAliveWhenNoSteps: false,
      TerminationProtected: false,
      ...(settings.subnetId ? { Ec2SubnetId: settings.subnetId } : {}),
    },
    Steps: [step],
    JobFlowRole: settings.jobFlowRole,
    ServiceRole: settings.serviceRole,
    VisibleToAllUsers: true,
    Tags: [{ Key: ANALYSIS_TAG, Value: request.analysisId }],
  };
}

export async function startCluster(
  client: EMRClient,
  settings: TransientClusterSettings,
  request: HiveStepRequest,
  retry?: Partial<RetryOptions>,
): Promise<{ clusterId: string; stepId: string }> {
  const input = buildRunJobFlowInput(settings, request);
  const output = await emrCall(() => client.send(new RunJobFlowCommand(input)), { operation: 'RunJobFlow', idempotent: false, retry });
  const clusterId = output.JobFlowId;
  if (!clusterId) throw new EmrRequestError('RunJobFlow', 'NoJobFlowId', 'EMR returned no cluster id');
  const stepId = await findStepId(client, clusterId, hiveStepName(request.analysisId), retry);
  return { clusterId, stepId };
}

async function findStepId(client: EMRClient, clusterId: string, stepName: string, retry?: Partial<RetryOptions>): Promise<string> {
  try {
    const listed = await emrCall(() => client.send(new ListStepsCommand({ ClusterId: clusterId })), { operation: 'ListSteps', idempotent: true, retry });
    const steps = listed.Steps ?? [];
    const step = steps.find((s) => s.Name === stepName) ?? (steps.length === 1 ? steps[0] : undefined);
    if (step?.Id) return step.Id;
    throw new EmrRequestError('ListSteps', 'StepNotListed', `cluster ${clusterId} lists no step named ${JSON.stringify(stepName)}`);
  } catch (error) {
    // The cluster runs anyway (and terminates after its step); say which one so it can be found.
    if (error instanceof EmrUnavailableError) {
      throw new EmrUnavailableError('ListSteps', error.attempts, false, { cause: error.cause, detail: `cluster ${clusterId} was started but its step id could not be read` });
    }
    throw error;
  }
}
