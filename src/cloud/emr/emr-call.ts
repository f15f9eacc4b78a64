/**
 * One EMR API call: retried on throttling (always) and on server or network
 * errors (only when the call is safe to repeat), and mapped to our typed errors.
 */
import { EmrNotConfiguredError, EmrRequestError, EmrUnavailableError } from './errors.js';
import { DEFAULT_RETRY, RetriesExhausted, withRetry, type ErrorKind, type RetryOptions } from './retry.js';

/** Error names AWS services use for rate limiting (EMR sends ThrottlingException). */
const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'ThrottledException',
  'Throttling',
  'TooManyRequestsException',
  'TooManyRequests',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

const SERVER_NAMES = new Set(['InternalServerError', 'InternalServerException', 'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException']);

const NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED']);

/** The fields of an AWS SDK v3 error we look at; all optional because anything can be thrown. */
interface AwsErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly $retryable?: { readonly throttling?: unknown };
}

function shape(error: unknown): AwsErrorShape {
  return typeof error === 'object' && error !== null ? (error as AwsErrorShape) : {};
}

function httpStatusOf(error: unknown): number | undefined {
  const status = shape(error).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

export function classifyError(error: unknown): ErrorKind {
  const e = shape(error);
  const name = typeof e.name === 'string' ? e.name : '';
  const status = httpStatusOf(error);
  if (THROTTLING_NAMES.has(name) || status === 429 || e.$retryable?.throttling === true) return 'throttling';
  if (SERVER_NAMES.has(name) || e.$fault === 'server' || (status !== undefined && status >= 500)) return 'server';
  if (name === 'TimeoutError' || name === 'RequestTimeout' || (typeof e.code === 'string' && NETWORK_CODES.has(e.code))) return 'network';
  return 'other';
}

function isNotConfigured(error: unknown): boolean {
  const e = shape(error);
  return e.name === 'CredentialsProviderError' || (typeof e.message === 'string' && /Region is missing/.test(e.message));
}

export interface EmrCallOptions {
  readonly operation: string;
  /**
   * Whether repeating the call after a server/network error is harmless.
   * RunJobFlow and AddJobFlowSteps are not (no client token): a 5xx may come
   * after EMR started a cluster or queued a step, so a retry could run the
   * analysis twice. Throttling is retried for every call: EMR rejects those
   * before doing anything.
   */
  readonly idempotent: boolean;
  readonly retry?: Partial<RetryOptions>;
}

export async function emrCall<T>(call: () => Promise<T>, options: EmrCallOptions): Promise<T> {
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...options.retry };
  const shouldRetry = (error: unknown): ErrorKind | undefined => {
    const kind = classifyError(error);
    if (kind === 'throttling') return kind;
    if ((kind === 'server' || kind === 'network') && options.idempotent) return kind;
    return undefined;
  };
  try {
    return await withRetry(call, shouldRetry, retry);
  } catch (error) {
    throw toEmrError(error, options);
  }
}

function toEmrError(error: unknown, options: EmrCallOptions): unknown {
  if (error instanceof RetriesExhausted) return new EmrUnavailableError(options.operation, error.attempts, false, { cause: error.last });
  if (isNotConfigured(error)) return new EmrNotConfiguredError(`the AWS SDK could not run ${options.operation}`, { cause: error });
  const kind = classifyError(error);
  // Only reached for non-idempotent calls (idempotent ones were retried above).
  if (kind === 'server' || kind === 'network') return new EmrUnavailableError(options.operation, 1, true, { cause: error });
  const e = shape(error);
  if (typeof e.name === 'string' && (e.$fault === 'client' || httpStatusOf(error) !== undefined)) {
    return new EmrRequestError(options.operation, e.name, typeof e.message === 'string' ? e.message : '', { cause: error });
  }
  return error;
}
