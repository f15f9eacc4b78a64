import { InputError } from '../hive/errors.js';

/** An S3 object or prefix: `s3://{bucket}/{key}`. The key may be empty (the bucket's root). */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** A location that is not of the form `s3://bucket/key`. An InputError, so callers report it like any bad input path. */
export class S3UriError extends InputError {
  constructor(
    readonly uri: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`not an S3 location: ${detail} (expected s3://bucket/key)`, { file: uri }, options);
  }
}

// Bucket names are 3–63 characters; legacy us-east-1 buckets may also hold capitals and underscores, so accept those too.
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/;

/** Splits `s3://bucket/key` into its bucket and key (the key as written, trailing slash included). */
export function parseS3Uri(uri: string): S3Location {
  if (!uri.startsWith('s3://')) throw new S3UriError(uri, 'the scheme is not s3://');
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? '' : rest.slice(slash + 1);
  if (bucket === '') throw new S3UriError(uri, 'the bucket name is missing');
  if (!BUCKET.test(bucket)) throw new S3UriError(uri, `"${bucket}" is not a valid bucket name`);
  return { bucket, key };
}

/** `s3://bucket/key` for a bucket and key (the inverse of parseS3Uri). */
export function formatS3Uri(location: S3Location): string;
export function formatS3Uri(bucket: string, key?: string): string;
export function formatS3Uri(first: S3Location | string, key = ''): string {
  const loc = typeof first === 'string' ? { bucket: first, key } : first;
  return `s3://${loc.bucket}/${loc.key}`;
}
