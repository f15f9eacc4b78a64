/**
 * Exactly the IAM actions each EmrAnalysisRunner method calls, so the
 * serverless.yml policy (and its tests) can grant these and nothing more.
 * tests/emr.test.ts checks that every command a method sends is listed here.
 */

export const EMR_IAM_ACTIONS = {
  /** submit() with a configured cluster. */
  submitToCluster: ['elasticmapreduce:AddJobFlowSteps'],
  /** submit() without one: RunJobFlow passes JobFlowRole and ServiceRole (iam:PassRole on those two roles only); ListSteps reads the step id RunJobFlow does not return. */
  submitTransient: ['elasticmapreduce:RunJobFlow', 'elasticmapreduce:ListSteps', 'iam:PassRole'],
  /** status(): DescribeCluster only for a CANCELLED/INTERRUPTED step, or a PENDING one on a transient cluster. */
  status: ['elasticmapreduce:DescribeStep', 'elasticmapreduce:DescribeCluster'],
  /** cancel() on a configured cluster (DescribeStep first, to refuse a step that has ended). */
  cancelOnCluster: ['elasticmapreduce:DescribeStep', 'elasticmapreduce:CancelSteps'],
  /** cancel() on a transient cluster: DescribeCluster checks the tag, then TerminateJobFlows, only on a cluster tagged loghive:analysis (a policy can require aws:ResourceTag/loghive:analysis). */
  cancelTransient: ['elasticmapreduce:DescribeStep', 'elasticmapreduce:DescribeCluster', 'elasticmapreduce:TerminateJobFlows'],
} as const;

/** Reading step logs goes through Storage (S3Storage): GetObject on `<logUri>*`, ListBucket for the existence check. */
export const EMR_LOG_READ_ACTIONS = ['s3:GetObject', 's3:ListBucket'] as const;

export type EmrIamAction = (typeof EMR_IAM_ACTIONS)[keyof typeof EMR_IAM_ACTIONS][number];

/** The union for a deployment: with a cluster id, no RunJobFlow/TerminateJobFlows/PassRole is needed. */
export function emrIamActions(mode: 'cluster' | 'transient'): EmrIamAction[] {
  const groups =
    mode === 'cluster'
      ? [EMR_IAM_ACTIONS.submitToCluster, EMR_IAM_ACTIONS.status, EMR_IAM_ACTIONS.cancelOnCluster]
      : [EMR_IAM_ACTIONS.submitTransient, EMR_IAM_ACTIONS.status, EMR_IAM_ACTIONS.cancelTransient];
  return [...new Set<EmrIamAction>(groups.flat())].sort();
}
