import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import {
  HiveParseError,
  InputError,
  LoghiveError,
  RegexError,
  SemanticError,
  TaskFailedError,
  UndefinedVariableError,
  UnsupportedError,
  UsageError,
} from '../hive/errors.js';
import { json, type HttpResponse } from './responses.js';

/**
 * The one place where errors become HTTP responses. Modules throw typed errors (carrying
 * `httpStatus`, or the engine's LoghiveError kinds); handlers never choose a status for a failure.
 * Unknown errors (SDK faults, bugs) are logged here and answered with a generic 500, so stack
 * traces, bucket keys in SDK messages and the like never reach the client.
 */

export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  /** For validation errors: which fields, and what is wrong with each. */
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
}

export type Logger = (entry: Record<string, unknown>) => void;

/** One JSON line per entry, which CloudWatch Logs Insights parses into fields. */
export const consoleLogger: Logger = (entry) => console.error(JSON.stringify(entry));

interface ZodLikeError {
  readonly name: string;
  readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
}

/** Structural, so a ZodError from any copy of zod in the bundle is recognised. */
function isZodError(err: unknown): err is ZodLikeError {
  return err instanceof Error && err.name === 'ZodError' && Array.isArray((err as Partial<ZodLikeError>).issues);
}

/** An error that says its own status: every module's typed errors (ingest, EMR, analyses, config, request). */
function httpStatusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = (err as { httpStatus?: unknown }).httpStatus;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599 ? status : undefined;
}

/** True when an InputError's cause says the thing is missing (a file, an S3 key), not unreadable. */
function isNotFound(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name, $metadata } = e as { code?: unknown; name?: unknown; $metadata?: { httpStatusCode?: unknown } };
    if (code === 'ENOENT' || name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket' || $metadata?.httpStatusCode === 404) return true;
  }
  return false;
}

/**
 * Status for the engine's errors whose message is meant for the caller: the script or its input is
 * at fault (4xx), or a task failed on every attempt (500, saying which input). Other LoghiveErrors
 * without an httpStatus (S3StorageError, say) carry SDK detail: undefined, so they stay generic.
 */
function loghiveStatus(err: LoghiveError): number | undefined {
  if (err instanceof HiveParseError || err instanceof SemanticError || err instanceof UnsupportedError || err instanceof UndefinedVariableError || err instanceof UsageError || err instanceof RegexError) return 400;
  if (err instanceof InputError) return isNotFound(err) ? 404 : 400;
  if (err instanceof TaskFailedError) return 500;
  return undefined;
}

function errorName(err: Error): string {
  return err.name && err.name !== 'Error' ? err.name : err.constructor.name;
}

/** A typed error's status, when its message is written for the client. */
function typedStatus(err: unknown): number | undefined {
  if (!(err instanceof Error)) return undefined;
  return httpStatusOf(err) ?? (err instanceof LoghiveError ? loghiveStatus(err) : undefined);
}

/** The status errorResponse answers for `err`; also tells event handlers a permanent failure (4xx) from a retryable one. */
export function errorStatus(err: unknown): number {
  return typedStatus(err) ?? (isZodError(err) ? 400 : 500);
}

/** Maps any thrown value to a response; logs what the client must not see. */
export function errorResponse(err: unknown, log: Logger = consoleLogger, context: Record<string, unknown> = {}): HttpResponse {
  const status = typedStatus(err);
  if (status !== undefined && err instanceof Error) {
    // Typed errors: their message is written for the client; 5xx ones are logged too, with the stack.
    if (status >= 500) log({ level: 'error', ...context, status, name: errorName(err), message: err.message, stack: err.stack });
    return json(status, { error: errorName(err), message: err.message } satisfies ErrorBody);
  }
  if (isZodError(err)) {
    const issues = err.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
    const message = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    return json(400, { error: 'ValidationError', message, issues } satisfies ErrorBody);
  }
  const e = err instanceof Error ? err : new Error(String(err));
  log({ level: 'error', ...context, status: 500, name: e.name, message: e.message, stack: e.stack });
  return json(500, { error: 'InternalError', message: 'internal error; the details are in the function log' } satisfies ErrorBody);
}

export type HttpHandler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<HttpResponse>;

/** Wraps a route's body so that whatever it throws goes through errorResponse, with the request id in the log. */
export function httpHandler(body: HttpHandler, log: Logger = consoleLogger): HttpHandler {
  return async (event, context) => {
    try {
      return await body(event, context);
    } catch (err) {
      return errorResponse(err, log, { requestId: event.requestContext?.requestId, route: event.routeKey });
    }
  };
}
