import { randomUUID } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { z } from 'zod';
import { TABLE_NAME } from './request.js';

/**
 * Presigned uploads for files too big for `POST /logs/{table}` (API Gateway caps bodies at
 * 10 MB; Lambda at 6 MB). The client PUTs the file straight to `incoming/{table}/{uploadId}/{fileName}`;
 * the bucket's ObjectCreated event on `incoming/` then ingests it (handlers/ingest-upload.ts).
 */

/** How long a presigned URL stays valid: long enough for a slow upload of a big file, short enough that a leaked URL soon dies. */
export const UPLOAD_EXPIRY_SECONDS = 15 * 60;

/**
 * One key segment: no slashes (the key layout is fixed), no leading dot (hidden to Hive),
 * nothing that needs URL encoding, so the key in the S3 event is the key we issued.
 */
export const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export const uploadRequestSchema = z.strictObject({
  fileName: z.string().regex(FILE_NAME, 'must be 1-200 letters, digits, . _ or -, starting with a letter or digit'),
});

export type UploadRequest = z.infer<typeof uploadRequestSchema>;

export interface Upload {
  readonly url: string;
  readonly key: string;
  readonly uploadId: string;
  readonly expiresAt: string;
  readonly method: 'PUT';
}

/** Signs a PUT for a new object under `incoming/{table}/`; the caller has checked that the table exists. */
export async function createUpload(
  s3: S3Client,
  bucket: string,
  table: string,
  fileName: string,
  options: { now?: Date; uploadId?: string } = {},
): Promise<Upload> {
  // Checked again here so that no caller can put a path into the key.
  if (!TABLE_NAME.test(table)) throw new Error(`invalid table name ${JSON.stringify(table)}`);
  if (!FILE_NAME.test(fileName)) throw new Error(`invalid file name ${JSON.stringify(fileName)}`);
  const uploadId = options.uploadId ?? randomUUID();
  const key = `incoming/${table}/${uploadId}/${fileName}`;
  const now = options.now ?? new Date();
  const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key }), {
    expiresIn: UPLOAD_EXPIRY_SECONDS,
    signingDate: now,
  });
  return { url, key, uploadId, expiresAt: new Date(now.getTime() + UPLOAD_EXPIRY_SECONDS * 1000).toISOString(), method: 'PUT' };
}
