import {
  AddJobFlowStepsCommand,
  CancelStepsCommand,
  DescribeClusterCommand,
  DescribeStepCommand,
  EMRClient,
  EMRServiceException,
  InternalServerError,
  InvalidRequestException,
  ListStepsCommand,
  RunJobFlowCommand,
  TerminateJobFlowsCommand,
  type Cluster,
  type StepState,
} from '@aws-sdk/client-emr';
import { mockClient } from 'aws-sdk-client-mock';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  backoffDelay,
  createEmrClient,
  EMR_IAM_ACTIONS,
  EmrAnalysisRunner,
  EmrNotConfiguredError,
  EmrRequestError,
  EmrUnavailableError,
  emrIamActions,
  InvalidStepArgumentError,
  StepNotCancellableError,
  type TransientClusterSettings,
} from '../src/cloud/emr/index.js';
import { LoghiveError } from '../src/hive/errors.js';
import { LocalStorage } from '../src/storage/local-storage.js';

expect.extend(allCustomMatcher);

const FIXTURES = fileURLToPath(new URL('./fixtures/emr/', import.meta.url));
const CLUSTER = 'j-2AXXXXXXGAPLF';
const STEP = 's-2M5ZXQ0ABCDEF';
const SCRIPT = 's3://loghive-data/scripts/an-01.q';
const VARIABLES = {
  TO: '2014-08-05',
  OUTPUT: 's3://loghive-data/results/an-01/',
  INPUT: 's3://loghive-data/logs/cloudfront_logs/',
  FROM: '2014-07-05',
};
const EXPECTED_ARGS = [
  'hive-script',
  '--run-hive-script',
  '--args',
  '-f',
  SCRIPT,
  '-d',
  'FROM=2014-07-05',
  '-d',
  'INPUT=s3://loghive-data/logs/cloudfront_logs/',
  '-d',
  'OUTPUT=s3://loghive-data/results/an-01/',
  '-d',
  'TO=2014-08-05',
];
const T0 = new Date('2026-11-26T06:00:00.000Z');
const T1 = new Date('2026-11-26T06:02:11.000Z');
const T2 = new Date('2026-11-26T06:02:35.000Z');

const emr = mockClient(EMRClient);
let logRoot: string;
let sleep: ReturnType<typeof vi.fn<(ms: number) => Promise<void>>>;

function settings(overrides: Partial<TransientClusterSettings> = {}): TransientClusterSettings {
  return {
    releaseLabel: 'emr-7.12.0',
    instanceType: 'm5.xlarge',
    instanceCount: 3,
    subnetId: 'subnet-0a1b2c3d',
    logUri: logRoot,
    jobFlowRole: 'EMR_EC2_DefaultRole',
    serviceRole: 'EMR_DefaultRole',
    ...overrides,
  };
}

function runner(options: { clusterId?: string; transient?: TransientClusterSettings; maxLogBytes?: number } = {}): EmrAnalysisRunner {
  return new EmrAnalysisRunner({
    client: new EMRClient({ region: 'us-east-1' }),
    ...(options.clusterId !== undefined ? { clusterId: options.clusterId } : {}),
    transient: options.transient ?? settings(),
    logStorage: new LocalStorage(),
    retry: { sleep, random: () => 0.5 },
    ...(options.maxLogBytes !== undefined ? { maxLogBytes: options.maxLogBytes } : {}),
  });
}

function awsError(name: string, status: number, message: string): EMRServiceException {
  return new EMRServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message });
}

const throttling = (): EMRServiceException => awsError('ThrottlingException', 400, 'Rate exceeded');

function stepOutput(state: StepState, extra: { started?: boolean; ended?: boolean; failure?: { Reason?: string; Message?: string; LogFile?: string } } = {}) {
  return {
    Step: {
      Id: STEP,
      Name: 'loghive analysis an-01',
      ActionOnFailure: 'CONTINUE' as const,
      Config: { Jar: 'command-runner.jar', Args: EXPECTED_ARGS },
      Status: {
        State: state,
        ...(extra.failure ? { FailureDetails: extra.failure } : {}),
        Timeline: { CreationDateTime: T0, ...(extra.started ? { StartDateTime: T1 } : {}), ...(extra.ended ? { EndDateTime: T2 } : {}) },
      },
    },
  };
}

function clusterOutput(state: NonNullable<NonNullable<Cluster['Status']>['State']>, reason?: { Code: NonNullable<NonNullable<NonNullable<Cluster['Status']>['StateChangeReason']>['Code']>; Message: string }, tags?: { Key: string; Value: string }[]) {
  return { Cluster: { Id: CLUSTER, Name: 'loghive-an-01', Status: { State: state, ...(reason ? { StateChangeReason: reason } : {}) }, ...(tags ? { Tags: tags } : {}) } };
}

/** Copies a fixture directory's .gz files to where EMR would put them under the temporary log URI. */
async function arriveLogs(fixture: string, files: string[] = ['stderr.gz', 'controller.gz']): Promise<string> {
  const dir = path.join(logRoot, CLUSTER, 'steps', STEP);
  await mkdir(dir, { recursive: true });
  for (const f of files) await copyFile(path.join(FIXTURES, fixture, f), path.join(dir, f));
  return dir;
}

/** The IAM actions the mock actually saw, e.g. `elasticmapreduce:DescribeStep`. */
function actionsSent(): string[] {
  return [...new Set(emr.calls().map((c) => `elasticmapreduce:${(c.args[0] as object).constructor.name.replace(/Command$/, '')}`))].sort();
}

beforeEach(async () => {
  emr.reset();
  sleep = vi.fn<(ms: number) => Promise<void>>(async () => {});
  logRoot = await mkdtemp(path.join(tmpdir(), 'loghive-emr-'));
});

afterEach(async () => {
  await rm(logRoot, { recursive: true, force: true });
});

describe('submit to the configured cluster (AddJobFlowSteps)', () => {
  it('adds one Hive step with exactly the command-runner arguments of REFERENCE §3, -d in name order', async () => {
    // Arrange
    emr.on(AddJobFlowStepsCommand).resolves({ StepIds: [STEP] });
    // Act
    const submitted = await runner({ clusterId: CLUSTER }).submit({ analysisId: 'an-01', scriptLocation: SCRIPT, variables: VARIABLES });
    // Assert
    expect(submitted).toStrictEqual({ clusterId: CLUSTER, stepId: STEP, transient: false });
    expect(emr).toHaveReceivedCommandExactlyOnceWith(AddJobFlowStepsCommand, { JobFlowId: CLUSTER });
    expect(emr.commandCalls(AddJobFlowStepsCommand)[0].args[0].input).toStrictEqual({
      JobFlowId: CLUSTER,
      Steps: [
        {
          Name: 'loghive analysis an-01',
          ActionOnFailure: 'CONTINUE',
          HadoopJarStep: { Jar: 'command-runner.jar', Args: EXPECTED_ARGS },
        },
      ],
    });
    expect(emr.calls()).toHaveLength(1);
    expect(actionsSent()).toStrictEqual([...EMR_IAM_ACTIONS.submitToCluster]);
  });

  it.each([
    ['a value with a space (a second argument if hive-script splits words)', { OUTPUT: 's3://b/x -f s3://evil/x.q' }],
    ['a value with ${env:…} (Hive would substitute it)', { OUTPUT: '${env:AWS_SECRET_ACCESS_KEY}' }],
    ['a value with a newline', { FROM: '2014-07-05\n-d' }],
    ['a value with a quote', { FROM: "2014'" }],
    ['a name that reads as an option', { '-f': 's3://b/other.q' }],
    ['a name with =', { 'A=B': 'c' }],
  ])('rejects %s before calling EMR', async (_label, variables) => {
    // Arrange
    emr.on(AddJobFlowStepsCommand).resolves({ StepIds: [STEP] });
    // Act
    const submitting = runner({ clusterId: CLUSTER }).submit({ analysisId: 'an-01', scriptLocation: SCRIPT, variables });
    // Assert
    await expect(submitting).rejects.toBeInstanceOf(InvalidStepArgumentError);
    await expect(submitting).rejects.toMatchObject({ httpStatus: 400 });
    expect(emr.calls()).toHaveLength(0);
  });

  it.each([
    ['a script outside S3', '/tmp/x.q'],
    ['a script location with a space', 's3://loghive-data/scripts/a b.q'],
    ['a script location that is an option', '--hiveconf'],
  ])('rejects %s', async (_label, scriptLocation) => {
    // Act
    const submitting = runner({ clusterId: CLUSTER }).submit({ analysisId: 'an-01', scriptLocation, variables: {} });
    // Assert
    await expect(submitting).rejects.toBeInstanceOf(InvalidStepArgumentError);
    expect(emr.calls()).toHaveLength(0);
  });

  it('rejects an analysis id that is not a plain name', async () => {
    // Act
    const submitting = runner({ clusterId: CLUSTER }).submit({ analysisId: '../x y', scriptLocation: SCRIPT, variables: {} });
    // Assert
    await expect(submitting).rejects.toMatchObject({ name: 'InvalidStepArgumentError', argument: 'analysisId' });
  });

  it('does not retry a server error on AddJobFlowSteps (the step may have been added) and says so', async () => {
    // Arrange
    emr.on(AddJobFlowStepsCommand).rejects(new InternalServerError({ $metadata: { httpStatusCode: 500 }, message: 'Internal error' }));
    // Act
    const submitting = runner({ clusterId: CLUSTER }).submit({ analysisId: 'an-01', scriptLocation: SCRIPT, variables: VARIABLES });
    // Assert
    await expect(submitting).rejects.toBeInstanceOf(EmrUnavailableError);
    await expect(submitting).rejects.toMatchObject({ httpStatus: 503, mayHaveTakenEffect: true, attempts: 1 });
    expect(emr).toHaveReceivedCommandTimes(AddJobFlowStepsCommand, 1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('retries a throttled AddJobFlowSteps (EMR rejected it before doing anything)', async () => {
    // Arrange
    emr.on(AddJobFlowStepsCommand).rejectsOnce(throttling()).resolves({ StepIds: [STEP] });
    // Act
    const submitted = await runner({ clusterId: CLUSTER }).submit({ analysisId: 'an-01', scriptLocation: SCRIPT, variables: VARIABLES });
    // Assert
    expect(submitted.stepId).toBe(STEP);
    expect(emr).toHaveReceivedCommandTimes(AddJobFlowStepsCommand, 2);
    expect(sleep).toHaveBeenCalledTimes(1);
  });

  it('maps a rejected request (terminated cluster) to EmrRequestError 502 with the AWS code, without retrying', async () => {
    // Arrange
    emr
      .on(AddJobFlowStepsCommand)
      .rejects(awsError('ValidationException', 400, 'A job flow that is shutting down, terminated, or finished may not be modified.'));
    // Act
    const submitting = runner({ clusterId: CLUSTER }).submit({ analysisId: 'an-01', scriptLocation: SCRIPT, variables: VARIABLES });
    // Assert
    await expect(submitting).rejects.toBeInstanceOf(EmrRequestError);
    await expect(submitting).rejects.toMatchObject({ httpStatus: 502, awsCode: 'ValidationException', operation: 'AddJobFlowSteps' });
  });

  it('maps missing AWS credentials (offline use) to EmrNotConfiguredError 501 saying how to configure EMR', async () => {
    // Arrange
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    emr.on(AddJobFlowStepsCommand).rejects(noCredentials);
    // Act
    const submitting = runner({ clusterId: CLUSTER }).submit({ analysisId: 'an-01', scriptLocation: SCRIPT, variables: VARIABLES });
    // Assert
    await expect(submitting).rejects.toBeInstanceOf(EmrNotConfiguredError);
    await expect(submitting).rejects.toMatchObject({ httpStatus: 501, cause: noCredentials });
    await expect(submitting).rejects.toThrow(/LOGHIVE_EMR_CLUSTER_ID/);
  });
});

describe('submit to a transient cluster (RunJobFlow)', () => {
  it('starts an auto-terminating Hive cluster with the step, roles, log URI, subnet and tag; reads the step id with ListSteps', async () => {
    // Arrange
    emr.on(RunJobFlowCommand).resolves({ JobFlowId: CLUSTER, ClusterArn: `arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/${CLUSTER}` });
    emr.on(ListStepsCommand, { ClusterId: CLUSTER }).resolves({ Steps: [{ Id: STEP, Name: 'loghive analysis an-01', Status: { State: 'PENDING' } }] });
    const transient = settings({ logUri: 's3://loghive-data/emr-logs/' });
    // Act
    const submitted = await runner({ transient }).submit({ analysisId: 'an-01', scriptLocation: SCRIPT, variables: VARIABLES });
    // Assert
    expect(submitted).toStrictEqual({ clusterId: CLUSTER, stepId: STEP, transient: true });
    expect(emr).toHaveReceivedCommandExactlyOnceWith(RunJobFlowCommand, { ReleaseLabel: 'emr-7.12.0' });
    expect(emr.commandCalls(RunJobFlowCommand)[0].args[0].input).toStrictEqual({
      Name: 'loghive-an-01',
      ReleaseLabel: 'emr-7.12.0',
      Applications: [{ Name: 'Hive' }],
      LogUri: 's3://loghive-data/emr-logs/',
      Instances: {
        InstanceGroups: [
          { Name: 'Primary', InstanceRole: 'MASTER', InstanceType: 'm5.xlarge', InstanceCount: 1 },
          { Name: 'Core', InstanceRole: 'CORE', InstanceType: 'm5.xlarge', InstanceCount: 2 },
        ],
        KeepJobFlowAliveWhenNoSteps: false,
        TerminationProtected: false,
        Ec2SubnetId: 'subnet-0a1b2c3d',
      },
      Steps: [
        {
          Name: 'loghive analysis an-01',
          ActionOnFailure: 'TERMINATE_CLUSTER',
          HadoopJarStep: { Jar: 'command-runner.jar', Args: EXPECTED_ARGS },
        },
      ],
      JobFlowRole: 'EMR_EC2_DefaultRole',
      ServiceRole: 'EMR_DefaultRole',
      VisibleToAllUsers: true,
      Tags: [{ Key: 'loghive:analysis', Value: 'an-01' }],
    });
    expect(emr).toHaveReceivedCommandExactlyOnceWith(ListStepsCommand, { ClusterId: CLUSTER });
    expect(actionsSent().every((a) => (EMR_IAM_ACTIONS.submitTransient as readonly string[]).includes(a))).toBe(true);
  });

  it('uses only a primary node for a count of 1 and leaves Ec2SubnetId out without a subnet', async () => {
    // Arrange
    emr.on(RunJobFlowCommand).resolves({ JobFlowId: CLUSTER });
    emr.on(ListStepsCommand).resolves({ Steps: [{ Id: STEP, Name: 'loghive analysis an-01' }] });
    // Act
    await runner({ transient: settings({ instanceCount: 1, subnetId: undefined }) }).submit({ analysisId: 'an-01', scriptLocation: SCRIPT, variables: {} });
    // Assert
    const input = emr.commandCalls(RunJobFlowCommand)[0].args[0].input;
    expect(input.Instances).toStrictEqual({
      InstanceGroups: [{ Name: 'Primary', InstanceRole: 'MASTER', InstanceType: 'm5.xlarge', InstanceCount: 1 }],
      KeepJobFlowAliveWhenNoSteps: false,
      TerminationProtected: false,
    });
    expect(input.Steps?.[0].HadoopJarStep?.Args).toStrictEqual(['hive-script', '--run-hive-script', '--args', '-f', SCRIPT]);
  });

  it('does not retry a server error on RunJobFlow (a second cluster would run the analysis twice)', async () => {
    // Arrange
    emr.on(RunJobFlowCommand).rejects(awsError('InternalServerError', 500, 'Internal error'));
    // Act
    const submitting = runner().submit({ analysisId: 'an-01', scriptLocation: SCRIPT, variables: VARIABLES });
    // Assert
    await expect(submitting).rejects.toMatchObject({ name: 'EmrUnavailableError', mayHaveTakenEffect: true });
    expect(emr).toHaveReceivedCommandTimes(RunJobFlowCommand, 1);
  });

  it('without a cluster id and with incomplete transient settings, throws EmrNotConfiguredError 501 and calls nothing', async () => {
    // Act
    const submitting = runner({ transient: settings({ serviceRole: '', logUri: '' }) }).submit({ analysisId: 'an-01', scriptLocation: SCRIPT, variables: {} });
    // Assert
    await expect(submitting).rejects.toBeInstanceOf(EmrNotConfiguredError);
    await expect(submitting).rejects.toThrow(/lack logUri, serviceRole.*LOGHIVE_EMR_CLUSTER_ID/);
    expect(emr.calls()).toHaveLength(0);
  });
});

describe('status (DescribeStep → our state)', () => {
  it.each([
    ['PENDING', {}, 'PENDING'],
    ['RUNNING', { started: true }, 'RUNNING'],
    ['COMPLETED', { started: true, ended: true }, 'SUCCEEDED'],
    ['CANCEL_PENDING', {}, 'PENDING'],
    ['CANCEL_PENDING', { started: true }, 'RUNNING'],
  ] as const)('maps %s %j to %s without DescribeCluster on a shared cluster', async (emrState, times, state) => {
    // Arrange
    emr.on(DescribeStepCommand, { ClusterId: CLUSTER, StepId: STEP }).resolves(stepOutput(emrState, times));
    // Act
    const status = await runner({ clusterId: CLUSTER }).status({ clusterId: CLUSTER, stepId: STEP });
    // Assert
    expect(status.state).toBe(state);
    expect(status.emrState).toBe(emrState);
    expect(status.timeline.created).toBe(T0.toISOString());
    expect(emr).toHaveReceivedCommandExactlyOnceWith(DescribeStepCommand, { ClusterId: CLUSTER, StepId: STEP });
    expect(emr).not.toHaveReceivedCommand(DescribeClusterCommand);
    expect(status.cause).toBeUndefined();
  });

  it('reports the timeline as ISO instants', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('COMPLETED', { started: true, ended: true }));
    // Act
    const status = await runner({ clusterId: CLUSTER }).status({ clusterId: CLUSTER, stepId: STEP });
    // Assert
    expect(status.timeline).toStrictEqual({ created: '2026-11-26T06:00:00.000Z', started: '2026-11-26T06:02:11.000Z', ended: '2026-11-26T06:02:35.000Z' });
    expect(status).toMatchObject({ startedAt: '2026-11-26T06:02:11.000Z', endedAt: '2026-11-26T06:02:35.000Z' });
    expect(status.failureReason).toBeUndefined();
  });

  it('maps CANCELLED on a running cluster to CANCELLED (our cancel)', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('CANCELLED', { ended: true }));
    emr.on(DescribeClusterCommand, { ClusterId: CLUSTER }).resolves(clusterOutput('WAITING', { Code: 'USER_REQUEST', Message: 'Cluster ready to run steps.' }));
    // Act
    const status = await runner({ clusterId: CLUSTER }).status({ clusterId: CLUSTER, stepId: STEP });
    // Assert
    expect(status).toMatchObject({ state: 'CANCELLED', emrState: 'CANCELLED', cluster: { id: CLUSTER, state: 'WAITING' } });
    expect(status.failure).toBeUndefined();
    expect(status.cause).toBeUndefined();
  });

  it('maps CANCELLED on a cluster that TERMINATED_WITH_ERRORS to FAILED with the cluster reason', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('CANCELLED', { ended: true }));
    emr.on(DescribeClusterCommand).resolves(clusterOutput('TERMINATED_WITH_ERRORS', { Code: 'BOOTSTRAP_FAILURE', Message: 'On the master instance (i-0abc), bootstrap action 1 returned a non-zero return code' }));
    // Act
    const status = await runner().status({ clusterId: CLUSTER, stepId: STEP, transient: true });
    // Assert
    expect(status.state).toBe('FAILED');
    expect(status.failure).toStrictEqual({
      reason: `cluster ${CLUSTER} TERMINATED_WITH_ERRORS (BOOTSTRAP_FAILURE)`,
      message: 'On the master instance (i-0abc), bootstrap action 1 returned a non-zero return code',
    });
    expect(status.cause).toBeUndefined(); // the step never ran: no step logs to read
  });

  it('maps INTERRUPTED by our TerminateJobFlows (USER_REQUEST) to CANCELLED', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('INTERRUPTED', { started: true, ended: true }));
    emr.on(DescribeClusterCommand).resolves(clusterOutput('TERMINATED', { Code: 'USER_REQUEST', Message: 'Terminated by user request' }));
    // Act
    const status = await runner().status({ clusterId: CLUSTER, stepId: STEP, transient: true });
    // Assert
    expect(status.state).toBe('CANCELLED');
  });

  it('maps INTERRUPTED by an instance failure to FAILED with the cluster reason', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('INTERRUPTED', { started: true, ended: true }));
    emr.on(DescribeClusterCommand).resolves(clusterOutput('TERMINATED_WITH_ERRORS', { Code: 'INSTANCE_FAILURE', Message: 'Master instance (i-0abc) failed' }));
    // Act
    const status = await runner().status({ clusterId: CLUSTER, stepId: STEP, transient: true });
    // Assert
    expect(status.state).toBe('FAILED');
    expect(status.failure).toMatchObject({ reason: `cluster ${CLUSTER} TERMINATED_WITH_ERRORS (INSTANCE_FAILURE)`, message: 'Master instance (i-0abc) failed' });
    // It ran, so its logs are looked for (not there in this test).
    expect(status.cause).toMatchObject({ available: false });
  });

  it('keeps a transient cluster\'s step PENDING while the cluster starts, saying so', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('PENDING'));
    emr.on(DescribeClusterCommand).resolves(clusterOutput('BOOTSTRAPPING', { Code: 'USER_REQUEST', Message: 'Running bootstrap actions' }));
    // Act
    const status = await runner().status({ clusterId: CLUSTER, stepId: STEP, transient: true });
    // Assert
    expect(status).toMatchObject({ state: 'PENDING', note: `waiting for cluster ${CLUSTER} to start (BOOTSTRAPPING)` });
  });

  it('reports a transient cluster that failed to start (PENDING step) as FAILED with DescribeCluster\'s StateChangeReason', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('PENDING'));
    emr.on(DescribeClusterCommand).resolves(clusterOutput('TERMINATED_WITH_ERRORS', { Code: 'VALIDATION_ERROR', Message: "The subnet ID 'subnet-0a1b2c3d' does not exist" }));
    // Act
    const status = await runner().status({ clusterId: CLUSTER, stepId: STEP, transient: true });
    // Assert
    expect(status.state).toBe('FAILED');
    expect(status.failure).toStrictEqual({ reason: `cluster ${CLUSTER} TERMINATED_WITH_ERRORS (VALIDATION_ERROR)`, message: "The subnet ID 'subnet-0a1b2c3d' does not exist" });
    expect(status.cause).toBeUndefined();
    expect(status.failureReason).toBe(`cluster ${CLUSTER} TERMINATED_WITH_ERRORS (VALIDATION_ERROR): The subnet ID 'subnet-0a1b2c3d' does not exist`);
    expect(actionsSent().every((a) => (EMR_IAM_ACTIONS.status as readonly string[]).includes(a))).toBe(true);
  });

  it('FAILED with stderr.gz present: the ParseException line and its position (1-based column)', async () => {
    // Arrange
    const logFile = `s3://loghive-logs/${CLUSTER}/steps/${STEP}/stderr.gz`;
    emr.on(DescribeStepCommand).resolves(stepOutput('FAILED', { started: true, ended: true, failure: { Reason: 'Unknown Error.', LogFile: logFile } }));
    const dir = await arriveLogs('parse-exception');
    // Act
    const status = await runner({ clusterId: CLUSTER }).status({ clusterId: CLUSTER, stepId: STEP });
    // Assert
    expect(status.state).toBe('FAILED');
    expect(status.failure).toStrictEqual({ reason: 'Unknown Error.', logFile });
    expect(status.cause).toStrictEqual({
      available: true,
      logDirectory: dir,
      logFile: path.join(dir, 'stderr.gz'),
      cause: {
        kind: 'ParseException',
        line: "FAILED: ParseException line 3:7 cannot recognize input near 'EXTERNL' 'TABLE' 'cloudfront_logs' in ddl statement",
        position: { line: 3, column: 8 },
      },
      message: "FAILED: ParseException line 3:7 cannot recognize input near 'EXTERNL' 'TABLE' 'cloudfront_logs' in ddl statement",
      truncated: false,
    });
    expect(status.failureReason).toBe("FAILED: ParseException line 3:7 cannot recognize input near 'EXTERNL' 'TABLE' 'cloudfront_logs' in ddl statement");
  });

  it('FAILED with stderr.gz present: the SemanticException with its error code and position', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('FAILED', { started: true, ended: true }));
    await arriveLogs('semantic-exception');
    // Act
    const status = await runner({ clusterId: CLUSTER }).status({ clusterId: CLUSTER, stepId: STEP });
    // Assert
    expect(status.failure).toStrictEqual({});
    expect(status.cause).toMatchObject({
      available: true,
      cause: {
        kind: 'SemanticException',
        line: "FAILED: SemanticException [Error 10001]: Line 5:14 Table not found 'cloudfront_log'",
        errorCode: 10001,
        position: { line: 5, column: 15 },
      },
    });
  });

  it('FAILED with an Execution Error: the return code, and the Java root cause as detail', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('FAILED', { started: true, ended: true }));
    await arriveLogs('execution-error');
    // Act
    const status = await runner({ clusterId: CLUSTER }).status({ clusterId: CLUSTER, stepId: STEP });
    // Assert
    expect(status.cause).toMatchObject({
      available: true,
      cause: {
        kind: 'ExecutionError',
        line: 'FAILED: Execution Error, return code 2 from org.apache.hadoop.hive.ql.exec.mr.MapRedTask',
        errorCode: 2,
        detail: 'Caused by: org.apache.hadoop.hive.ql.metadata.HiveException: java.lang.ArrayIndexOutOfBoundsException: 12',
      },
    });
    expect(status.failureReason).toBe(
      'FAILED: Execution Error, return code 2 from org.apache.hadoop.hive.ql.exec.mr.MapRedTask (Caused by: org.apache.hadoop.hive.ql.metadata.HiveException: java.lang.ArrayIndexOutOfBoundsException: 12)',
    );
  });

  it('FAILED with only controller.gz arrived: the exit code line', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('FAILED', { started: true, ended: true }));
    const dir = await arriveLogs('controller-only', ['controller.gz']);
    // Act
    const status = await runner({ clusterId: CLUSTER }).status({ clusterId: CLUSTER, stepId: STEP });
    // Assert
    expect(status.cause).toMatchObject({
      available: true,
      logFile: path.join(dir, 'controller.gz'),
      cause: { kind: 'ExitCode', errorCode: 1, line: 'INFO waitProcessCompletion ended with exit code 1 : hadoop jar /var/lib/aws/emr/step-runner/hadoop-...' },
    });
  });

  it('FAILED before the logs arrived: says they are not there yet and where they will be', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('FAILED', { started: true, ended: true, failure: { Reason: 'Unknown Error.' } }));
    const dir = path.join(logRoot, CLUSTER, 'steps', STEP);
    // Act
    const status = await runner({ clusterId: CLUSTER }).status({ clusterId: CLUSTER, stepId: STEP });
    // Assert
    expect(status.state).toBe('FAILED');
    expect(status.cause).toStrictEqual({
      available: false,
      logDirectory: dir,
      message: `step logs are not in ${dir}/ yet; EMR copies them a few minutes after the step ends`,
    });
    expect(status.failureReason).toBe(`Unknown Error.; step logs are not in ${dir}/ yet; EMR copies them a few minutes after the step ends`);
  });

  it('reads the step directory FailureDetails.LogFile names when it differs from the configured log URI (a shared cluster logging elsewhere)', async () => {
    // Arrange
    const elsewhere = path.join(logRoot, 'cluster-own-logs');
    const dir = path.join(elsewhere, CLUSTER, 'steps', STEP);
    await mkdir(dir, { recursive: true });
    await copyFile(path.join(FIXTURES, 'semantic-exception', 'stderr.gz'), path.join(dir, 'stderr.gz'));
    emr.on(DescribeStepCommand).resolves(stepOutput('FAILED', { started: true, ended: true, failure: { Reason: 'Unknown Error.', LogFile: path.join(dir, 'stderr.gz') } }));
    // Act
    const status = await runner({ clusterId: CLUSTER, transient: settings({ logUri: path.join(logRoot, 'configured') }) }).status({ clusterId: CLUSTER, stepId: STEP });
    // Assert
    expect(status.cause).toMatchObject({ available: true, logDirectory: dir, cause: { kind: 'SemanticException' } });
  });

  it('says what failed when a log file is there but unreadable, instead of "not there yet"', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('FAILED', { started: true, ended: true }));
    const dir = path.join(logRoot, CLUSTER, 'steps', STEP);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'stderr.gz'), 'not gzip');
    // Act
    const status = await runner({ clusterId: CLUSTER }).status({ clusterId: CLUSTER, stepId: STEP });
    // Assert
    expect(status.cause).toMatchObject({ available: false, message: expect.stringMatching(/^could not read .*stderr\.gz: Error: incorrect header check/) });
  });

  it('stops reading a log after maxLogBytes decompressed bytes (and says it did)', async () => {
    // Arrange: 1 MiB of progress lines, then the FAILED line.
    emr.on(DescribeStepCommand).resolves(stepOutput('FAILED', { started: true, ended: true }));
    const dir = path.join(logRoot, CLUSTER, 'steps', STEP);
    await mkdir(dir, { recursive: true });
    const progress = '2026-11-26 06:03:01,112 Stage-1 map = 0%,  reduce = 0%\n'.repeat(20_000);
    await writeFile(path.join(dir, 'stderr.gz'), gzipSync(`${progress}FAILED: SemanticException [Error 10001]: Line 1:14 Table not found 'x'\n`));
    // Act
    const bounded = await runner({ clusterId: CLUSTER, maxLogBytes: 64 * 1024 }).status({ clusterId: CLUSTER, stepId: STEP });
    const whole = await runner({ clusterId: CLUSTER }).status({ clusterId: CLUSTER, stepId: STEP });
    // Assert
    expect(bounded.cause).toMatchObject({ available: true, truncated: true });
    expect(bounded.cause && 'cause' in bounded.cause ? bounded.cause.cause : undefined).toBeUndefined();
    expect(whole.cause).toMatchObject({ available: true, truncated: false, cause: { kind: 'SemanticException', position: { line: 1, column: 15 } } });
  });
});

describe('cancel', () => {
  it('cancels a running step on the shared cluster with CancelSteps SEND_INTERRUPT', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('RUNNING', { started: true }));
    emr.on(CancelStepsCommand).resolves({ CancelStepsInfoList: [{ StepId: STEP, Status: 'SUBMITTED' }] });
    // Act
    const result = await runner({ clusterId: CLUSTER }).cancel({ clusterId: CLUSTER, stepId: STEP, transient: false });
    // Assert
    expect(result).toStrictEqual({ action: 'CancelSteps', emrStateBefore: 'RUNNING' });
    expect(emr.commandCalls(CancelStepsCommand)[0].args[0].input).toStrictEqual({
      ClusterId: CLUSTER,
      StepIds: [STEP],
      StepCancellationOption: 'SEND_INTERRUPT',
    });
    expect(emr).not.toHaveReceivedCommand(TerminateJobFlowsCommand);
    expect(actionsSent()).toStrictEqual([...EMR_IAM_ACTIONS.cancelOnCluster].sort());
  });

  it('turns CancelStepsInfo Status FAILED into StepNotCancellableError 409 with EMR\'s reason', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('PENDING'));
    emr.on(CancelStepsCommand).resolves({ CancelStepsInfoList: [{ StepId: STEP, Status: 'FAILED', Reason: 'Step cancellation is not supported on this release' }] });
    // Act
    const cancelling = runner({ clusterId: CLUSTER }).cancel({ clusterId: CLUSTER, stepId: STEP, transient: false });
    // Assert
    await expect(cancelling).rejects.toBeInstanceOf(StepNotCancellableError);
    await expect(cancelling).rejects.toMatchObject({ httpStatus: 409, stepId: STEP, reason: 'Step cancellation is not supported on this release' });
  });

  it.each(['COMPLETED', 'FAILED', 'CANCELLED', 'INTERRUPTED'] as const)('refuses a step that has already ended (%s) without calling CancelSteps', async (emrState) => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput(emrState, { started: true, ended: true }));
    // Act
    const cancelling = runner({ clusterId: CLUSTER }).cancel({ clusterId: CLUSTER, stepId: STEP, transient: false });
    // Assert
    await expect(cancelling).rejects.toMatchObject({ name: 'StepNotCancellableError', httpStatus: 409, reason: `it has already ended (${emrState})` });
    expect(emr).not.toHaveReceivedCommand(CancelStepsCommand);
  });

  it('does nothing more for a step already CANCEL_PENDING', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('CANCEL_PENDING', { started: true }));
    // Act
    const result = await runner({ clusterId: CLUSTER }).cancel({ clusterId: CLUSTER, stepId: STEP, transient: false });
    // Assert
    expect(result).toStrictEqual({ action: undefined, emrStateBefore: 'CANCEL_PENDING' });
    expect(emr).not.toHaveReceivedCommand(CancelStepsCommand);
  });

  it('terminates the analysis\'s own transient cluster with TerminateJobFlows', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('PENDING'));
    emr.on(DescribeClusterCommand).resolves(clusterOutput('STARTING', undefined, [{ Key: 'loghive:analysis', Value: 'an-01' }]));
    emr.on(TerminateJobFlowsCommand).resolves({});
    // Act
    const result = await runner().cancel({ clusterId: CLUSTER, stepId: STEP, transient: true, analysisId: 'an-01' });
    // Assert
    expect(result).toStrictEqual({ action: 'TerminateJobFlows', emrStateBefore: 'PENDING' });
    expect(emr.commandCalls(TerminateJobFlowsCommand)[0].args[0].input).toStrictEqual({ JobFlowIds: [CLUSTER] });
    expect(emr).not.toHaveReceivedCommand(CancelStepsCommand);
    expect(actionsSent()).toStrictEqual([...EMR_IAM_ACTIONS.cancelTransient].sort());
  });

  it('refuses to terminate a cluster without this analysis\'s loghive:analysis tag', async () => {
    // Arrange
    emr.on(DescribeStepCommand).resolves(stepOutput('RUNNING', { started: true }));
    emr.on(DescribeClusterCommand).resolves(clusterOutput('RUNNING', undefined, [{ Key: 'team', Value: 'data' }]));
    // Act
    const cancelling = runner().cancel({ clusterId: CLUSTER, stepId: STEP, transient: true, analysisId: 'an-01' });
    // Assert
    await expect(cancelling).rejects.toMatchObject({ name: 'StepNotCancellableError', httpStatus: 409 });
    await expect(cancelling).rejects.toThrow(/refusing to terminate/);
    expect(emr).not.toHaveReceivedCommand(TerminateJobFlowsCommand);
  });
});

describe('retries', () => {
  it('retries DescribeStep after ThrottlingException twice, sleeping with capped exponential backoff and jitter', async () => {
    // Arrange
    emr.on(DescribeStepCommand).rejectsOnce(throttling()).rejectsOnce(throttling()).resolves(stepOutput('RUNNING', { started: true }));
    // Act
    const status = await runner({ clusterId: CLUSTER }).status({ clusterId: CLUSTER, stepId: STEP });
    // Assert
    expect(status.state).toBe('RUNNING');
    expect(emr).toHaveReceivedCommandTimes(DescribeStepCommand, 3);
    // random() = 0.5: half of 250 ms, then half of 500 ms.
    expect(sleep.mock.calls).toStrictEqual([[125], [250]]);
  });

  it.each([
    ['ThrottledException', 400],
    ['TooManyRequestsException', 429],
    ['InternalServerException', 500],
    ['ServiceUnavailable', 503],
  ])('retries an idempotent call on %s (%i)', async (name, status) => {
    // Arrange
    emr.on(DescribeStepCommand).rejectsOnce(awsError(name, status, 'try again')).resolves(stepOutput('PENDING'));
    // Act
    const result = await runner({ clusterId: CLUSTER }).status({ clusterId: CLUSTER, stepId: STEP });
    // Assert
    expect(result.state).toBe('PENDING');
    expect(emr).toHaveReceivedCommandTimes(DescribeStepCommand, 2);
  });

  it('gives up on throttling that never ends with EmrUnavailableError 503 after maxAttempts, the last error as cause', async () => {
    // Arrange
    const last = throttling();
    emr.on(DescribeStepCommand).rejects(last);
    // Act
    const describing = runner({ clusterId: CLUSTER }).status({ clusterId: CLUSTER, stepId: STEP });
    // Assert
    const error = await describing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmrUnavailableError);
    expect(error).toBeInstanceOf(LoghiveError);
    expect(error).toMatchObject({ httpStatus: 503, operation: 'DescribeStep', attempts: 5, mayHaveTakenEffect: false, cause: last });
    expect((error as Error).message).toBe('EMR DescribeStep failed after 5 attempts: ThrottlingException: Rate exceeded');
    expect(emr).toHaveReceivedCommandTimes(DescribeStepCommand, 5);
    expect(sleep).toHaveBeenCalledTimes(4);
  });

  it('does not retry a rejected request (InvalidRequestException)', async () => {
    // Arrange
    emr.on(DescribeStepCommand).rejects(new InvalidRequestException({ $metadata: { httpStatusCode: 400 }, message: `Step id '${STEP}' is not valid.`, ErrorCode: 'INVALID_STEP_ID' }));
    // Act
    const describing = runner({ clusterId: CLUSTER }).status({ clusterId: CLUSTER, stepId: STEP });
    // Assert
    await expect(describing).rejects.toMatchObject({ name: 'EmrRequestError', httpStatus: 502, awsCode: 'InvalidRequestException' });
    expect(emr).toHaveReceivedCommandTimes(DescribeStepCommand, 1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('caps the backoff at maxDelayMs and spreads it with full jitter', () => {
    // Arrange
    const options = { baseDelayMs: 250, maxDelayMs: 8_000 };
    // Act
    const top = [1, 2, 3, 4, 5, 6, 7, 10].map((attempt) => backoffDelay(attempt, { ...options, random: () => 0.999999 }));
    const bottom = backoffDelay(6, { ...options, random: () => 0 });
    // Assert
    expect(top).toStrictEqual([249, 499, 999, 1999, 3999, 7999, 7999, 7999]);
    expect(bottom).toBe(0);
  });

  it('createEmrClient turns the SDK\'s own retries off, so the one retry layer is the one tested here', async () => {
    // Act
    const client = createEmrClient({ region: 'us-east-1' });
    // Assert
    await expect(client.config.maxAttempts()).resolves.toBe(1);
  });
});

describe('IAM actions', () => {
  it('lists, per deployment mode, exactly the actions the methods call', () => {
    // Act / Assert
    expect(emrIamActions('cluster')).toStrictEqual([
      'elasticmapreduce:AddJobFlowSteps',
      'elasticmapreduce:CancelSteps',
      'elasticmapreduce:DescribeCluster',
      'elasticmapreduce:DescribeStep',
    ]);
    expect(emrIamActions('transient')).toStrictEqual([
      'elasticmapreduce:DescribeCluster',
      'elasticmapreduce:DescribeStep',
      'elasticmapreduce:ListSteps',
      'elasticmapreduce:RunJobFlow',
      'elasticmapreduce:TerminateJobFlows',
      'iam:PassRole',
    ]);
  });
});
