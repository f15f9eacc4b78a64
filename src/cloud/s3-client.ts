import { S3Client } from '@aws-sdk/client-s3';

/** What an S3 client needs; plain data, so it can also be sent to worker threads. */
export interface S3ClientSettings {
  /** Defaults to AWS_REGION, then us-east-1. */
  readonly region?: string;
  /** An S3-compatible endpoint (s3rver, tests, offline); AWS when absent. */
  readonly endpoint?: string;
  /** Static credentials; the SDK's default provider chain when absent. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

/** An S3Client for AWS, or for an S3-compatible endpoint with path-style addressing. */
export function createS3Client(settings: S3ClientSettings = {}): S3Client {
  const custom = settings.endpoint !== undefined && settings.endpoint !== '';
  return new S3Client({
    region: settings.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(settings.credentials ? { credentials: { ...settings.credentials } } : {}),
    ...(custom
      ? {
          endpoint: settings.endpoint,
          // Compatible servers rarely have per-bucket DNS names.
          forcePathStyle: true,
          // The SDK's default flexible checksums frame streamed bodies in aws-chunked encoding, which s3rver and other
          // compatible servers store verbatim; send and check checksums only where the API requires them.
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
  });
}
