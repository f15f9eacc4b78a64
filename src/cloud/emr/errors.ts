/**
 * Typed errors of the EMR runner. Each carries the HTTP status the API maps it
 * to (`src/api/` does the mapping in one place) and keeps the AWS error as `cause`.
 */
import { LoghiveError } from '../../hive/errors.js';

export abstract class EmrError extends LoghiveError {
  abstract readonly httpStatus: number;
}

/** A step argument (analysis id, script location, `-d` variable) that could change the command line; rejected before anything is sent. */
export class InvalidStepArgumentError extends EmrError {
  readonly httpStatus = 400;
  readonly exitCode = 64;
  constructor(
    readonly argument: string,
    detail: string,
  ) {
    super(`${argument}: ${detail}`);
  }
}

/** Neither a cluster nor complete transient-cluster settings, or no AWS credentials/region (offline use). */
export class EmrNotConfiguredError extends EmrError {
  readonly httpStatus = 501;
  readonly exitCode = 78;
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      `EMR is not configured: ${detail}. Set LOGHIVE_EMR_CLUSTER_ID to run steps on an existing cluster, ` +
        'or leave it empty and set the transient-cluster settings (LOGHIVE_EMR_LOG_URI, LOGHIVE_EMR_JOB_FLOW_ROLE, ' +
        'LOGHIVE_EMR_SERVICE_ROLE, LOGHIVE_EMR_RELEASE_LABEL, LOGHIVE_EMR_INSTANCE_TYPE, LOGHIVE_EMR_INSTANCE_COUNT) ' +
        'with AWS credentials; offline, use the lambda engine',
      options,
    );
  }
}

/**
 * EMR kept throttling or failing on its side after every retry, or a server
 * error hit a call that is not safe to repeat (`mayHaveTakenEffect`).
 */
export class EmrUnavailableError extends EmrError {
  readonly httpStatus = 503;
  readonly exitCode = 69;
  constructor(
    readonly operation: string,
    readonly attempts: number,
    readonly mayHaveTakenEffect: boolean,
    options?: { cause?: unknown; detail?: string },
  ) {
    super(
      `EMR ${operation} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${describeCause(options?.cause)}` +
        (mayHaveTakenEffect ? `; the request may still have taken effect` : '') +
        (options?.detail ? `; ${options.detail}` : ''),
      options,
    );
  }
}

/** EMR rejected the request (an unknown cluster or step, a terminated cluster, missing permissions). */
export class EmrRequestError extends EmrError {
  readonly httpStatus = 502;
  readonly exitCode = 1;
  constructor(
    readonly operation: string,
    readonly awsCode: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`EMR ${operation} was rejected (${awsCode}): ${message}`, options);
  }
}

/** The step has already ended, or EMR refused to cancel it (CancelStepsInfo Status FAILED). */
export class StepNotCancellableError extends EmrError {
  readonly httpStatus = 409;
  readonly exitCode = 1;
  constructor(
    readonly stepId: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`step ${stepId} cannot be cancelled: ${reason}`, options);
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
