import { LoghiveError } from '../hive/errors.js';

/** An S3 request of the storage backend that failed (access denied, network, throttling beyond the SDK's retries). */
export class S3StorageError extends LoghiveError {
  readonly exitCode = 1;
  constructor(
    /** What was being done: `list`, `read`, `write`, `delete`, `copy`, … */
    readonly operation: string,
    /** The s3:// location concerned. */
    readonly location: string,
    options?: { cause?: unknown },
  ) {
    super(`${location}: S3 ${operation} failed${describeCause(options?.cause)}`, options);
  }
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return cause === undefined ? '' : `: ${String(cause)}`;
  return cause.message && cause.message !== cause.name ? `: ${cause.name}: ${cause.message}` : `: ${cause.name}`;
}

/** The HTTP status of an SDK error, if it has one. */
function statusOf(err: unknown): number | undefined {
  const meta = (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return meta?.httpStatusCode;
}

function nameOf(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

/** A missing key or bucket (HEAD answers have no body, so a 404 there is only `NotFound`). */
export function isNotFound(err: unknown): boolean {
  const name = nameOf(err);
  return name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket' || statusOf(err) === 404;
}

export function isNoSuchBucket(err: unknown): boolean {
  return nameOf(err) === 'NoSuchBucket';
}

/** A range that starts at or after the end of the object (HTTP 416). */
export function isInvalidRange(err: unknown): boolean {
  return nameOf(err) === 'InvalidRange' || statusOf(err) === 416;
}
