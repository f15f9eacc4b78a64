/**
 * The Hive step as EMR runs it (REFERENCE §3): command-runner.jar running
 * `hive-script --run-hive-script --args -f <script> -d K=V …`, the same
 * command line `aws emr add-steps --steps Type=HIVE,…` produces.
 */
import type { ActionOnFailure, StepConfig } from '@aws-sdk/client-emr';
import { InvalidStepArgumentError } from './errors.js';

export interface HiveStepRequest {
  readonly analysisId: string;
  /** `s3://bucket/scripts/<id>.q` */
  readonly scriptLocation: string;
  /** Hive `-d` variables (INPUT, OUTPUT, FROM, TO …). */
  readonly variables: Readonly<Record<string, string>>;
}

// Analysis ids become part of the step name, the cluster name and a tag value.
const ANALYSIS_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
// Hive variable names: identifiers only, so a name can never read as an option.
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
// Values: S3 URIs, dates, numbers. No whitespace or quotes (hive-script is a
// shell wrapper; we do not rely on it quoting "$@"), no `$`/`{}` (Hive would
// substitute `${env:…}` or `${system:…}` inside a value), no control characters.
const VARIABLE_VALUE = /^[A-Za-z0-9._~:/=+,@%-]{0,2048}$/;
const SCRIPT_LOCATION = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[A-Za-z0-9._~:/=+,@%-]{1,1024}$/;

export function validateHiveStepRequest(request: HiveStepRequest): void {
  if (!ANALYSIS_ID.test(request.analysisId)) {
    throw new InvalidStepArgumentError('analysisId', `must match ${ANALYSIS_ID.source}, got ${JSON.stringify(request.analysisId)}`);
  }
  if (!SCRIPT_LOCATION.test(request.scriptLocation)) {
    throw new InvalidStepArgumentError('scriptLocation', `must be an s3://bucket/key location without spaces, quotes or shell characters, got ${JSON.stringify(request.scriptLocation)}`);
  }
  for (const [name, value] of Object.entries(request.variables)) {
    if (!VARIABLE_NAME.test(name)) {
      throw new InvalidStepArgumentError(`-d ${JSON.stringify(name)}`, `variable names must match ${VARIABLE_NAME.source}`);
    }
    if (typeof value !== 'string' || !VARIABLE_VALUE.test(value)) {
      throw new InvalidStepArgumentError(`-d ${name}`, `value ${JSON.stringify(value)} may only contain letters, digits and . _ ~ : / = + , @ % - (at most 2048)`);
    }
  }
}

/** The step name EMR shows; also how ListSteps finds the step of a transient cluster. */
export function hiveStepName(analysisId: string): string {
  return `loghive analysis ${analysisId}`;
}

/** `-d` pairs sorted by name (code-unit order) so the same request always yields the same arguments. */
export function hiveStepArgs(scriptLocation: string, variables: Readonly<Record<string, string>>): string[] {
  const names = Object.keys(variables).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const args = ['hive-script', '--run-hive-script', '--args', '-f', scriptLocation];
  for (const name of names) args.push('-d', `${name}=${variables[name]}`);
  return args;
}

/** Validates the request and builds the StepConfig. CONTINUE on a shared cluster; TERMINATE_CLUSTER on a transient one. */
export function buildHiveStep(request: HiveStepRequest, actionOnFailure: Extract<ActionOnFailure, 'CONTINUE' | 'TERMINATE_CLUSTER'>): StepConfig {
  validateHiveStepRequest(request);
  return {
    Name: hiveStepName(request.analysisId),
    ActionOnFailure: actionOnFailure,
    HadoopJarStep: {
      Jar: 'command-runner.jar',
      Args: hiveStepArgs(request.scriptLocation, request.variables),
    },
  };
}
