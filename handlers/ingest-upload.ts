import type { S3Event } from 'aws-lambda';

// Not wired yet: ingestObject has not landed.
export async function handler(event: S3Event): Promise<void> {
  throw new Error(`ingest-upload is not implemented yet (${event.Records.length} records)`);
}
