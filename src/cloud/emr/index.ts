/** The EMR half of analyses: one file per operation; this re-exports the public API. */
export { EmrAnalysisRunner, failureReason, type AnalysisStepRef, type AnalysisStepStatus, type EmrAnalysisRunnerOptions, type SubmittedStep } from './emr-runner.js';
export { createEmrClient } from './client.js';
export { buildHiveStep, hiveStepArgs, hiveStepName, validateHiveStepRequest, type HiveStepRequest } from './hive-step.js';
export { submitStep } from './submit-step.js';
export { ANALYSIS_TAG, buildRunJobFlowInput, checkTransientSettings, startCluster, type TransientClusterSettings } from './start-cluster.js';
export {
  describeStep,
  fetchCluster,
  fetchStep,
  resolveStepStatus,
  type AnalysisState,
  type ClusterSummary,
  type StepFailure,
  type StepRef,
  type StepStatusReport,
  type StepTimeline,
} from './describe-step.js';
export { cancelStep, type CancelRequest, type CancelResult } from './cancel-step.js';
export { CauseScanner, DEFAULT_MAX_LOG_BYTES, readFailureCause, stepLogDirectory, type FailureCause, type StepLogCause, type StepLogCauseKind, type StepLogRef } from './failure-cause.js';
export { backoffDelay, DEFAULT_RETRY, withRetry, type ErrorKind, type RetryOptions } from './retry.js';
export { classifyError, emrCall, type EmrCallOptions } from './emr-call.js';
export { EmrError, EmrNotConfiguredError, EmrRequestError, EmrUnavailableError, InvalidStepArgumentError, StepNotCancellableError } from './errors.js';
export { EMR_IAM_ACTIONS, EMR_LOG_READ_ACTIONS, emrIamActions, type EmrIamAction } from './iam-actions.js';
