import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseSizeBytes } from '../cli/size.js';

/**
 * The cloud half's configuration, read once from the environment (docs/cloud.md §Configuration).
 * Every variable is validated here so that a bad deployment fails on its first request with the
 * variable's name, instead of deep inside S3 or EMR with an unrelated message.
 */

const MiB = 2 ** 20;

/** A misconfigured deployment: the operator's problem, so a 500 that names the variable. */
export class ConfigError extends Error {
  readonly httpStatus = 500;
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`configuration variable ${variable}: ${detail}`);
    this.name = 'ConfigError';
  }
}

export type Engine = 'emr' | 'lambda' | 'auto';

export interface EmrConfig {
  /** An existing cluster to add steps to; undefined → a transient cluster per analysis. */
  readonly clusterId: string | undefined;
  readonly releaseLabel: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly subnetId: string | undefined;
  readonly logUri: string;
  readonly jobFlowRole: string;
  readonly serviceRole: string;
}

export interface CloudConfig {
  readonly bucket: string;
  /** S3-compatible endpoint (offline, tests); undefined → AWS. */
  readonly s3Endpoint: string | undefined;
  readonly region: string;
  readonly jobsDir: string;
  readonly defaultEngine: Engine;
  readonly lambdaMaxBytes: number;
  readonly emr: EmrConfig;
  readonly maxBodyBytes: number;
  readonly maxInflatedBytes: number;
  readonly maxMalformedShare: number;
}

/** Unset and empty are the same thing: serverless writes unset parameters as ''. */
const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const optionalText = z.preprocess(blankToUndefined, z.string().trim().optional());

/** Sizes accept bytes or the CLI's suffixes (64m, 6MiB is written 6m). */
const size = (fallback: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return fallback;
        const bytes = parseSizeBytes(text);
        if (bytes === undefined || !Number.isSafeInteger(bytes) || bytes <= 0) {
          ctx.addIssue({ code: 'custom', message: `expected a positive size in bytes (or with k/m/g), got ${JSON.stringify(text)}` });
          return z.NEVER;
        }
        return bytes;
      }),
  );

// S3's bucket naming rules, simplified: lower case, digits, dots and hyphens, 3-63 characters.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const CLUSTER_ID = /^j-[A-Z0-9]{1,64}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,32}$/;
// A role name or ARN, as RunJobFlow accepts them.
const ROLE = /^(arn:aws[a-z-]*:iam::\d{12}:(role|instance-profile)\/)?[\w+=,.@/-]{1,128}$/;

const envSchema = z.object({
  LOGHIVE_BUCKET: z.preprocess(blankToUndefined, z.string({ error: 'is required' }).regex(BUCKET_NAME, 'is not a valid S3 bucket name')),
  LOGHIVE_S3_ENDPOINT: z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional()),
  AWS_REGION: z.preprocess(blankToUndefined, z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'is not a region name').default('us-east-1')),
  LOGHIVE_JOBS_DIR: optionalText,
  LOGHIVE_DEFAULT_ENGINE: z.preprocess(blankToUndefined, z.enum(['emr', 'lambda', 'auto'], { error: 'expected emr, lambda or auto' }).default('auto')),
  LOGHIVE_LAMBDA_MAX_BYTES: size(64 * MiB),
  LOGHIVE_EMR_CLUSTER_ID: z.preprocess(blankToUndefined, z.string().regex(CLUSTER_ID, 'expected a cluster id like j-ABC123').optional()),
  LOGHIVE_EMR_RELEASE_LABEL: z.preprocess(blankToUndefined, z.string().regex(/^emr-\d+\.\d+\.\d+$/, 'expected a release label like emr-7.12.0').default('emr-7.12.0')),
  LOGHIVE_EMR_INSTANCE_TYPE: z.preprocess(blankToUndefined, z.string().regex(/^[a-z0-9-]+\.[a-z0-9]+$/, 'expected an instance type like m5.xlarge').default('m5.xlarge')),
  LOGHIVE_EMR_INSTANCE_COUNT: z.preprocess(blankToUndefined, z.coerce.number().int('expected a whole number').min(1).max(500).default(3)),
  LOGHIVE_EMR_SUBNET_ID: z.preprocess(blankToUndefined, z.string().regex(SUBNET_ID, 'expected a subnet id like subnet-0123abcd').optional()),
  LOGHIVE_EMR_LOG_URI: z.preprocess(blankToUndefined, z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'expected s3://bucket/prefix/').optional()),
  LOGHIVE_EMR_JOB_FLOW_ROLE: z.preprocess(blankToUndefined, z.string().regex(ROLE, 'expected a role name or ARN').default('EMR_EC2_DefaultRole')),
  LOGHIVE_EMR_SERVICE_ROLE: z.preprocess(blankToUndefined, z.string().regex(ROLE, 'expected a role name or ARN').default('EMR_DefaultRole')),
  LOGHIVE_MAX_BODY_BYTES: size(6 * MiB),
  LOGHIVE_MAX_INFLATED_BYTES: size(256 * MiB),
  LOGHIVE_MAX_MALFORMED_SHARE: z.preprocess(blankToUndefined, z.coerce.number('expected a number').min(0).max(1).default(0.1)),
});

/**
 * `jobs` next to the code: in Lambda's task root (where the zip is unpacked), else in the working
 * directory (tests, the CLI, serverless-offline, which sets LAMBDA_TASK_ROOT to a /var/task that
 * does not exist here).
 */
function defaultJobsDir(env: NodeJS.ProcessEnv): string {
  const inTaskRoot = env.LAMBDA_TASK_ROOT ? path.join(env.LAMBDA_TASK_ROOT, 'jobs') : undefined;
  return inTaskRoot && existsSync(inTaskRoot) ? inTaskRoot : path.join(process.cwd(), 'jobs');
}

/** Reads and validates the configuration; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): CloudConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const given = env[variable];
    const detail = given === undefined || given === '' ? issue.message : `${issue.message} (got ${JSON.stringify(given)})`;
    throw new ConfigError(variable, detail);
  }
  const e = parsed.data;
  return {
    bucket: e.LOGHIVE_BUCKET,
    s3Endpoint: e.LOGHIVE_S3_ENDPOINT,
    region: e.AWS_REGION,
    jobsDir: path.resolve(e.LOGHIVE_JOBS_DIR ?? defaultJobsDir(env)),
    defaultEngine: e.LOGHIVE_DEFAULT_ENGINE,
    lambdaMaxBytes: e.LOGHIVE_LAMBDA_MAX_BYTES,
    emr: {
      clusterId: e.LOGHIVE_EMR_CLUSTER_ID,
      releaseLabel: e.LOGHIVE_EMR_RELEASE_LABEL,
      instanceType: e.LOGHIVE_EMR_INSTANCE_TYPE,
      instanceCount: e.LOGHIVE_EMR_INSTANCE_COUNT,
      subnetId: e.LOGHIVE_EMR_SUBNET_ID,
      logUri: e.LOGHIVE_EMR_LOG_URI ?? `s3://${e.LOGHIVE_BUCKET}/emr-logs/`,
      jobFlowRole: e.LOGHIVE_EMR_JOB_FLOW_ROLE,
      serviceRole: e.LOGHIVE_EMR_SERVICE_ROLE,
    },
    maxBodyBytes: e.LOGHIVE_MAX_BODY_BYTES,
    maxInflatedBytes: e.LOGHIVE_MAX_INFLATED_BYTES,
    maxMalformedShare: e.LOGHIVE_MAX_MALFORMED_SHARE,
  };
}
