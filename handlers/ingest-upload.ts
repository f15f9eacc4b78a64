import type { S3Event } from 'aws-lambda';
import { ingestObject, type IngestObjectResult } from '../src/ingest/ingest.js';
import { cloudContext } from '../src/api/context.js';
import { consoleLogger, errorStatus } from '../src/api/http-errors.js';
import { uploadedObjects } from '../src/api/s3-events.js';

export interface UploadIngestSummary {
  readonly ingested: readonly IngestObjectResult[];
  /** Uploads that can never be ingested as they are (unknown table, bad layout, broken gzip …): kept under incoming/ until the lifecycle rule removes them. */
  readonly rejected: readonly { readonly location: string; readonly error: string; readonly message: string }[];
  readonly skipped: readonly string[];
}

/**
 * S3 ObjectCreated on incoming/: ingests each uploaded object (ingestObject deletes it once every
 * day is stored). A failure that retrying cannot fix (a 4xx kind) is logged and the upload kept;
 * any other failure is rethrown after the other records are done, so Lambda's async retries run
 * the event again, which is safe because stored days are content-addressed.
 */
export async function handler(event: S3Event): Promise<UploadIngestSummary> {
  const ctx = cloudContext();
  const { config } = ctx;
  const { objects, skipped } = uploadedObjects(event, config.bucket);
  for (const s of skipped) consoleLogger({ level: 'warn', message: 'not an upload of this service; ignored', record: s });
  const ingested: IngestObjectResult[] = [];
  const rejected: { location: string; error: string; message: string }[] = [];
  const retryable: unknown[] = [];
  for (const { location } of objects) {
    try {
      const result = await ingestObject({
        storage: ctx.storage.resolve(location),
        root: ctx.root,
        tables: await ctx.logTables(),
        location,
        limits: { maxInflatedBytes: config.maxInflatedBytes, maxMalformedShare: config.maxMalformedShare },
      });
      ingested.push(result);
      const { malformed, partitions, ...summary } = result;
      consoleLogger({ level: result.originalRemoved ? 'info' : 'warn', message: 'upload ingested', ...summary, days: partitions.length, firstMalformed: malformed.slice(0, 3) });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      if (errorStatus(err) < 500) {
        rejected.push({ location, error: e.name, message: e.message });
        consoleLogger({ level: 'warn', message: 'upload rejected; kept under incoming/', location, error: e.name, detail: e.message });
      } else {
        retryable.push(err);
        consoleLogger({ level: 'error', message: 'upload ingest failed; will be retried', location, error: e.name, detail: e.message, stack: e.stack });
      }
    }
  }
  if (retryable.length > 0) {
    throw new AggregateError(retryable, `${retryable.length} of ${objects.length} uploads failed and will be retried`);
  }
  return { ingested, rejected, skipped };
}
