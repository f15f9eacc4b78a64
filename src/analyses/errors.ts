/**
 * Typed errors of the analyses API. Each carries the HTTP status the API maps
 * it to (src/api/ does the mapping in one place) and the fields a client needs
 * to fix its request, so no message has to be parsed.
 */
import { LoghiveError } from '../hive/errors.js';

export abstract class AnalysisError extends LoghiveError {
  readonly exitCode = 1;
  abstract readonly httpStatus: number;
}

/** Echo untrusted input in messages bounded and quoted. */
function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

/** The request body is not what POST /analyses or a query string expects. */
export class InvalidRequestError extends AnalysisError {
  readonly httpStatus = 400;
}

export class UnknownJobError extends AnalysisError {
  readonly httpStatus = 404;
  constructor(
    readonly job: string,
    readonly known: readonly string[],
  ) {
    super(`unknown job ${quote(job)}; the jobs are: ${known.join(', ')}`);
  }
}

/** A variable the job does not declare. */
export class UnknownVariableError extends AnalysisError {
  readonly httpStatus = 400;
  constructor(
    readonly variable: string,
    readonly job: string,
    readonly accepted: readonly string[],
  ) {
    super(`job ${job} has no variable ${quote(variable)}; it takes ${accepted.join(', ')}`);
  }
}

/** A variable the job declares that the request did not give. */
export class MissingVariableError extends AnalysisError {
  readonly httpStatus = 400;
  constructor(
    readonly variable: string,
    readonly job: string,
  ) {
    super(`job ${job} needs the variable ${variable}`);
  }
}

/** INPUT and OUTPUT point into the service's own bucket: a caller cannot choose them. */
export class ReservedVariableError extends AnalysisError {
  readonly httpStatus = 400;
  constructor(readonly variable: string) {
    super(`${variable} is set by the service (the bucket's logs/ and results/ prefixes); leave it out of vars`);
  }
}

/** A value that is malformed for its variable (a bad date, a quote, a newline). */
export class InvalidVariableError extends AnalysisError {
  readonly httpStatus = 400;
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}

/** No stored partition of the job's tables lies in [FROM, TO]: answered before anything runs. */
export class NoDataInRangeError extends AnalysisError {
  readonly httpStatus = 404;
  constructor(
    readonly tables: readonly string[],
    readonly range: { readonly from: string; readonly to: string } | undefined,
    /** First and last stored day per table, to tell the caller where data is. */
    readonly stored: readonly { readonly table: string; readonly first?: string; readonly last?: string }[],
  ) {
    const where = stored.map((s) => (s.first ? `${s.table} has days ${s.first} to ${s.last}` : `${s.table} has no stored logs`)).join('; ');
    super(`${range ? `no logs stored between ${range.from} and ${range.to}` : 'no logs stored'} for ${tables.join(', ')} (${where})`);
  }
}

/** A job file whose statements cannot be turned into the partitioned S3 form (a deployment problem, not the caller's). */
export class JobRenderError extends AnalysisError {
  readonly httpStatus = 500;
  constructor(
    readonly job: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`job ${job} cannot be rendered for S3: ${detail}`, options);
  }
}

/** The requested (or automatically chosen) engine is not configured here. */
export class EngineUnavailableError extends AnalysisError {
  readonly httpStatus = 501;
}

/** No record analyses/{id}.json, or an id that is not a UUID (which never reaches storage). */
export class RecordNotFoundError extends AnalysisError {
  readonly httpStatus = 404;
  constructor(readonly id: string) {
    super(`no analysis ${quote(id)}`);
  }
}

/** Results asked for before the analysis succeeded (or after it failed). */
export class ResultsNotReadyError extends AnalysisError {
  readonly httpStatus = 409;
  constructor(
    readonly id: string,
    readonly state: string,
  ) {
    super(state === 'FAILED' || state === 'CANCELLED' ? `analysis ${id} is ${state}: it has no results` : `analysis ${id} was ${state} when last checked: results are ready once GET /analyses/${id} reports SUCCEEDED (that call also refreshes the state from EMR)`);
  }
}

/** A state change that the analysis's state does not allow (cancelling a finished analysis). */
export class AnalysisStateError extends AnalysisError {
  readonly httpStatus = 409;
}

/** A pagination cursor that this service did not issue for this analysis. */
export class InvalidCursorError extends AnalysisError {
  readonly httpStatus = 400;
  constructor(reason: string) {
    super(`invalid cursor: ${reason}`);
  }
}

/** The Lambda engine stopped at its deadline rather than being killed silently. */
export class AnalysisDeadlineError extends AnalysisError {
  readonly httpStatus = 504;
  constructor(readonly budgetMs: number) {
    super(`the analysis did not finish within the Lambda's ${Math.round(budgetMs / 1000)} s; run it again with engine "emr"`);
  }
}
