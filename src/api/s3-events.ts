import type { S3Event } from 'aws-lambda';

/**
 * S3 notification parsing for the upload trigger. S3 sends object keys URL-encoded, with spaces
 * as '+', so a key is decoded before it becomes a storage location.
 */

export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

export interface UploadedObject {
  readonly location: string;
  readonly size: number | undefined;
}

/**
 * The created objects under `incoming/` of `bucket`, as `s3://bucket/key`. Records of other
 * buckets, other events or other prefixes are returned in `skipped` (the subscription should
 * never send them; if it does, they are logged, not ingested).
 */
export function uploadedObjects(event: S3Event, bucket: string): { objects: UploadedObject[]; skipped: string[] } {
  const objects: UploadedObject[] = [];
  const skipped: string[] = [];
  for (const record of event.Records ?? []) {
    const key = decodeS3Key(record.s3.object.key);
    const from = `s3://${record.s3.bucket.name}/${key}`;
    if (record.s3.bucket.name !== bucket || !record.eventName.startsWith('ObjectCreated:') || !key.startsWith('incoming/')) {
      skipped.push(`${record.eventName} ${from}`);
      continue;
    }
    objects.push({ location: from, size: record.s3.object.size });
  }
  return { objects, skipped };
}
